#!/usr/bin/env bash
# Issue 21's side-by-side run in one command: Kafka's ProducerPerformance and a consumer against
# Apache Kafka and against a Rowstream node's Kafka port, and binary COPY into PostgreSQL, with the
# same flags in the same run (io.rowstream.bench.KafkaProtocolBench; bench/README.md).
#
#   mvn -q -B -DskipTests package            # once: target/rowstream.jar
#   bench/kafka-protocol.sh                  # the full run
#   bench/kafka-protocol.sh --quick          # a smoke run
#   bench/kafka-protocol.sh --systems kafka,copy --records 200000   # flags: KafkaProtocolBench's
#
# Fetches the jars of Kafka's tools (once, target/kafka/tools). Unless --systems leaves Kafka out or
# --kafka-bootstrap names another one, it starts the single-node Kafka of run-kafka.sh when it is not
# running, and stops it and deletes its data afterwards (one it found running is left running).
# Uses $JAVA_HOME/bin/java when JAVA_HOME is set (Java 21 or later).
set -euo pipefail
cd "$(dirname "$0")/.."

java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=target/rowstream.jar
if [[ ! -f $jar ]]; then
  echo "no $jar: build it first (mvn -q -B -DskipTests package)" >&2
  exit 2
fi

wants_kafka=yes
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --systems) [[ ${args[i + 1]:-} == *kafka* ]] || wants_kafka=no ;;
    --kafka-bootstrap) wants_kafka=no ;;
  esac
done

bench/kafka/run-kafka.sh tools
if [[ $wants_kafka == yes ]] && ! bench/kafka/run-kafka.sh status; then
  trap 'bench/kafka/run-kafka.sh clean' EXIT
  bench/kafka/run-kafka.sh start
fi

"$java" -cp "$jar" io.rowstream.bench.KafkaProtocolBench --tools-classpath 'target/kafka/tools/*' "$@"
