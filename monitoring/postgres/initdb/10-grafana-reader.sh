#!/bin/sh
# Grafana's read-only role on AlertRelay's PostgreSQL history (compose profile ha). The official postgres image runs this
# once, as the database's owner, when its data volume is empty (/docker-entrypoint-initdb.d); to change the password
# later: ALTER ROLE grafana_reader PASSWORD '...'.
#
# The role reads the tables AlertRelay's migrations create (they are owned by POSTGRES_USER, who runs the migrations:
# ALTER DEFAULT PRIVILEGES grants SELECT on each of them when it is created) and can write nothing, as the SQLite
# datasource opens its file with mode=ro. Its name and password: ALERTRELAY_PG_GRAFANA_USER and
# ALERTRELAY_PG_GRAFANA_PASSWORD, the same variables Grafana's datasource (provisioning/datasources/postgres.yml) reads.
set -eu

if [ -z "${ALERTRELAY_PG_GRAFANA_USER:-}" ] || [ -z "${ALERTRELAY_PG_GRAFANA_PASSWORD:-}" ]; then
  echo "10-grafana-reader.sh: ALERTRELAY_PG_GRAFANA_USER and ALERTRELAY_PG_GRAFANA_PASSWORD must be set (see docker-compose.yml)" >&2
  exit 1
fi

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v reader="$ALERTRELAY_PG_GRAFANA_USER" -v password="$ALERTRELAY_PG_GRAFANA_PASSWORD" \
  -v owner="$POSTGRES_USER" -v dbname="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"reader" LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
ALTER ROLE :"reader" SET default_transaction_read_only = on;
ALTER ROLE :"reader" SET statement_timeout = '30s';
GRANT CONNECT ON DATABASE :"dbname" TO :"reader";
GRANT USAGE ON SCHEMA public TO :"reader";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"reader";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT ON TABLES TO :"reader";
SQL
