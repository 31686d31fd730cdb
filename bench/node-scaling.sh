#!/usr/bin/env bash
# Produce and fetch throughput with 1, then 2, then 3 Rowstream nodes against one embedded
# PostgreSQL (fsync and synchronous_commit on), clients on each partition's leader and through a
# follower, with the CPU each node JVM, PostgreSQL (postmaster and backends) and the load generator
# used in each run (/proc/<pid>/stat). One table; see bench/README.md "Node scaling".
# usage: bench/node-scaling.sh [--quick] [NodeScaling flags: --nodes 3 --partitions 6
#        --clients-per-partition 1 --record-bytes 1024 --records-per-request 1000 --warmup-seconds 3 --seconds 20]
# (needs target/rowstream.jar: mvn -q -B -DskipTests package; Linux, for /proc)
set -eu
cd "$(dirname "$0")/.."
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
[ -f target/rowstream.jar ] || { echo "target/rowstream.jar is missing: mvn -q -B -DskipTests package" >&2; exit 2; }
if [ "${1:-}" = --quick ]; then  # smoke run: proves the tool works, its figures mean little
  shift
  set -- --seconds 3 --warmup-seconds 1 --records-per-request 100 "$@"
fi
exec "$J/java" -cp target/rowstream.jar io.rowstream.bench.NodeScaling "$@"
