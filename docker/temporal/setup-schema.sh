#!/bin/sh
# Installs or upgrades the schemas of Temporal's two databases (temporal, temporal_visibility) with
# temporal-sql-tool, the step the deprecated temporalio/auto-setup image used to do inside the server
# container. Run by the `temporal-schema` compose service (temporalio/admin-tools image) before the
# server starts; the databases and the temporal role come from docker/postgres-init.
# Safe to run at every start: `setup-schema -v 0.0` only creates the version table when it is missing,
# and `update-schema` applies the versioned steps the database has not had yet (none when current).
#
# Environment: POSTGRES_SEEDS, DB_PORT, POSTGRES_USER, SQL_PASSWORD (read by temporal-sql-tool),
# DBNAME (default temporal), VISIBILITY_DBNAME (default temporal_visibility).
set -eu

MAX_ATTEMPTS="${SETUP_MAX_ATTEMPTS:-60}"
SLEEP_SECONDS="${SETUP_SLEEP_SECONDS:-2}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

until nc -z "$POSTGRES_SEEDS" "$DB_PORT"; do
  MAX_ATTEMPTS=$((MAX_ATTEMPTS - 1))
  if [ "$MAX_ATTEMPTS" -le 0 ]; then
    echo "Gave up: PostgreSQL at $POSTGRES_SEEDS:$DB_PORT does not answer" >&2
    exit 1
  fi
  echo "Waiting: PostgreSQL at $POSTGRES_SEEDS:$DB_PORT"
  sleep "$SLEEP_SECONDS"
done

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}

for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  database="${pair%%:*}"
  schema="${pair##*:}"
  echo "Schema of $database ($schema)"
  sql_tool --db "$database" setup-schema -v 0.0
  sql_tool --db "$database" update-schema -d "$SCHEMA_DIR/$schema/versioned"
done
echo "Temporal schemas are current."
