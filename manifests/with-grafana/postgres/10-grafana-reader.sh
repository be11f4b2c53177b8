#!/bin/sh
# Run once by the official postgres image, when it initialises an empty data directory
# (/docker-entrypoint-initdb.d): creates Grafana's read-only role from the Secret's values.
set -eu
psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set reader="$GRAFANA_DB_USER" \
  --set reader_password="$GRAFANA_DB_PASSWORD" \
  --set owner="$POSTGRES_USER" \
  --set db="$POSTGRES_DB" \
  --file /docker-entrypoint-initdb.d/grafana-reader.psql
