-- Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d), as the
-- POSTGRES_USER cotenant. One database per service that keeps state; each service's Flyway
-- migrations create its schema on startup. placement and monitor keep no relational state but
-- get a database too, so every service has the same shape should it need one.
-- To run this again: docker compose down -v (drops the postgres-data volume).
CREATE DATABASE job_api OWNER cotenant;
CREATE DATABASE placement OWNER cotenant;
CREATE DATABASE monitor OWNER cotenant;
CREATE DATABASE profiler OWNER cotenant;
