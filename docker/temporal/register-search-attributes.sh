#!/bin/sh
# Creates the application's namespace (with its retention) when it does not exist, then registers the
# custom search attributes the campaign workflows set, CampaignId and CampaignStatus (both Keyword),
# so campaigns can be listed and filtered from Temporal visibility.
# Run once by the `temporal-namespace` compose service (temporalio/admin-tools image) after the
# Temporal server answers; the API and the worker start only after it succeeded.
# Safe to run again: an existing namespace is left as it is, the CLI skips attributes that already
# exist with the same type (and fails if one exists with another type), and the server treats an
# existing alias as already added.
#
# Environment: TEMPORAL_ADDRESS (read by the temporal CLI), TEMPORAL_NAMESPACE (default "default"),
# TEMPORAL_RETENTION (default 720h: how long closed histories stay readable).
set -eu

NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
MAX_ATTEMPTS="${SETUP_MAX_ATTEMPTS:-60}"
SLEEP_SECONDS="${SETUP_SLEEP_SECONDS:-2}"

# retry DESCRIPTION COMMAND...: runs COMMAND until it succeeds, at most MAX_ATTEMPTS times.
retry() {
  description="$1"
  shift
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
      echo "Gave up: $description (after $MAX_ATTEMPTS attempts)" >&2
      return 1
    fi
    echo "Waiting: $description (attempt $attempt/$MAX_ATTEMPTS)"
    attempt=$((attempt + 1))
    sleep "$SLEEP_SECONDS"
  done
}

server_healthy() {
  temporal operator cluster health >/dev/null 2>&1
}

namespace_exists() {
  temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1
}

ensure_namespace() {
  namespace_exists ||
    temporal operator namespace create --namespace "$NAMESPACE" --retention "${TEMPORAL_RETENTION:-720h}"
}

create_search_attributes() {
  temporal operator search-attribute create --namespace "$NAMESPACE" \
    --name CampaignId --type Keyword \
    --name CampaignStatus --type Keyword
}

echo "Temporal at ${TEMPORAL_ADDRESS:-127.0.0.1:7233}, namespace $NAMESPACE"
retry "Temporal server health" server_healthy
retry "namespace $NAMESPACE" ensure_namespace
retry "search attributes CampaignId, CampaignStatus" create_search_attributes
temporal operator search-attribute list --namespace "$NAMESPACE"

# With SQL visibility an attribute is a per-namespace alias stored in the namespace record, which
# every Temporal service reads through a cache refreshed every 10 s
# (system.namespaceCacheRefreshInterval). Waiting one refresh means that the first workflow the
# API starts after this service completed already sees CampaignId and CampaignStatus.
sleep "${NAMESPACE_CACHE_REFRESH_SECONDS:-11}"
echo "Namespace $NAMESPACE and its search attributes are ready."
