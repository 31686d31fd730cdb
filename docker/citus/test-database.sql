-- Run by each Citus container's first start (docker-entrypoint-initdb.d, after the image's own
-- script created the citus extension in "postgres"): a second database with Citus on every server,
-- for CitusCompatibilityTest (ROWSTREAM_TEST_CITUS_URL), so the test never touches the nodes' one.
create database rowstream_test;
\c rowstream_test
create extension citus;
