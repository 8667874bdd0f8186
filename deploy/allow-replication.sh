#!/bin/sh
# Run once by the postgres image when it creates the database (docker-entrypoint-initdb.d):
# the replica in docker-compose.yml's "replica" profile connects as newsdb to stream the WAL.
echo "host replication newsdb all scram-sha-256" >> "$PGDATA/pg_hba.conf"
