#!/usr/bin/env bash
# Issue 22's rebalance figures in one command: a group of consumer processes on Apache Kafka and on
# a Rowstream node's Kafka port, classic and KIP-848 protocols, timed through a join, a member added
# and a member SIGKILLed (io.rowstream.bench.GroupRebalanceBench; bench/README.md).
#
#   mvn -q -B -DskipTests package       # once: target/rowstream.jar
#   bench/group-rebalance.sh            # flags: GroupRebalanceBench's
#
# Starts the single-node Kafka of run-kafka.sh when it is not running (and stops it and deletes its
# data afterwards), unless --systems leaves Kafka out.
set -euo pipefail
cd "$(dirname "$0")/.."

java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=target/rowstream.jar
if [[ ! -f $jar ]]; then
  echo "no $jar: build it first (mvn -q -B -DskipTests package)" >&2
  exit 2
fi
if [[ " $* " != *" --systems "* || " $* " == *kafka,* || " $* " == *,kafka* || " $* " == *" kafka "* ]]; then
  if ! bench/kafka/run-kafka.sh status; then
    trap 'bench/kafka/run-kafka.sh clean' EXIT
    bench/kafka/run-kafka.sh start
  fi
fi
"$java" -Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn -cp "$jar" io.rowstream.bench.GroupRebalanceBench "$@"
