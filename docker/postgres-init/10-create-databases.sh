#!/usr/bin/env bash
# Creates the roles and databases of the compose deployment. The postgres image runs the files in
# /docker-entrypoint-initdb.d only when the data volume is empty, so this runs once per volume.
#
#   role temporal   owns  temporal, temporal_visibility   (Temporal's persistence and visibility)
#   role campaigns  owns  campaigns                        (the application's facts, via Prisma)
#
# Why separate databases and roles: Temporal and the application migrate their schemas on their
# own schedules (auto-setup, prisma migrate deploy), and neither may touch the other's tables; on a
# managed PostgreSQL in production the same split becomes separate databases or instances.
# The databases are created here, not by Temporal's auto-setup (SKIP_DB_CREATE=true), so that the
# Temporal role needs no CREATEDB privilege.
#
# Works both executed and sourced (the image sources *.sh files that are not executable): no
# `set`, no `exit`. psql interpolates :"name" as a quoted identifier and :'name' as a quoted literal,
# so passwords with quotes are safe.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
  -v temporal_user="${TEMPORAL_DB_USER:?TEMPORAL_DB_USER is not set}" \
  -v temporal_password="${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD is not set}" \
  -v app_user="${CAMPAIGNS_DB_USER:?CAMPAIGNS_DB_USER is not set}" \
  -v app_password="${CAMPAIGNS_DB_PASSWORD:?CAMPAIGNS_DB_PASSWORD is not set}" \
  -v app_db="${CAMPAIGNS_DB_NAME:?CAMPAIGNS_DB_NAME is not set}" <<'EOSQL'
CREATE ROLE :"temporal_user" WITH LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER :"temporal_user";
CREATE DATABASE temporal_visibility OWNER :"temporal_user";

CREATE ROLE :"app_user" WITH LOGIN PASSWORD :'app_password';
CREATE DATABASE :"app_db" OWNER :"app_user";
-- Since PostgreSQL 15 the public schema belongs to the database owner, so each owner creates its
-- tables there (auto-setup, prisma migrate deploy) without further grants. Only owners connect.
REVOKE CONNECT ON DATABASE :"app_db" FROM PUBLIC;
REVOKE CONNECT ON DATABASE temporal FROM PUBLIC;
REVOKE CONNECT ON DATABASE temporal_visibility FROM PUBLIC;

-- Temporal's PostgreSQL visibility schema needs btree_gin. It is a trusted extension that the
-- owner could create itself; creating it here as superuser makes the requirement explicit (a
-- managed PostgreSQL in production needs it allowed as well).
\connect temporal_visibility
CREATE EXTENSION IF NOT EXISTS btree_gin;
EOSQL
