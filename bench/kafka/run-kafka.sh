#!/usr/bin/env bash
# A single-node KRaft Apache Kafka from Maven Central jars, for `Bench --kafka-bootstrap`.
#
#   bench/kafka/run-kafka.sh start   # fetch the jars (once), format the log dir (once), start, wait
#   bench/kafka/run-kafka.sh stop    # stop it (SIGTERM, then wait for the clean shutdown)
#   bench/kafka/run-kafka.sh clean   # stop and delete its data (target/kafka/data)
#   bench/kafka/run-kafka.sh tools   # fetch the jars of Kafka's tools (once) into target/kafka/tools
#   bench/kafka/run-kafka.sh status  # exit status 0 when it runs
#
# Everything lives under target/kafka/ (jars in libs/, data in data/, output in kafka.log).
# Listens on 127.0.0.1:19092 (clients) and 127.0.0.1:19093 (controller). Uses $JAVA_HOME/bin/java
# when JAVA_HOME is set (Kafka 4.x needs Java 17 or later).
set -euo pipefail
cd "$(dirname "$0")/../.."

home=target/kafka
libs=$home/libs
pidfile=$home/kafka.pid
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

tools() {
  if ! ls $home/tools/kafka-tools-*.jar >/dev/null 2>&1; then
    mvn -q -B -f bench/kafka/tools/pom.xml dependency:copy-dependencies -DoutputDirectory="$PWD/$home/tools"
  fi
}

running() { [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

start() {
  if running; then
    echo "Kafka already running (pid $(cat "$pidfile"))"
    return
  fi
  if ! ls $libs/kafka_2.13-*.jar >/dev/null 2>&1; then
    mvn -q -B -f bench/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory="$PWD/$libs"
  fi
  if [[ ! -f $home/data/meta.properties ]]; then
    "$java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$libs/*" kafka.tools.StorageTool format \
      --cluster-id "$("$java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$libs/*" kafka.tools.StorageTool random-uuid)" \
      --config bench/kafka/server.properties
  fi
  nohup "$java" -Xms1g -Xmx1g -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$libs/*" kafka.Kafka bench/kafka/server.properties >"$home/kafka.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 60); do
    if (exec 3<>/dev/tcp/127.0.0.1/19092) 2>/dev/null; then
      echo "Kafka running (pid $(cat "$pidfile")), bootstrap 127.0.0.1:19092, log $home/kafka.log"
      return
    fi
    running || { cat "$home/kafka.log"; echo "Kafka exited" >&2; exit 1; }
    sleep 1
  done
  echo "Kafka did not listen on 127.0.0.1:19092 within 60 s; see $home/kafka.log" >&2
  exit 1
}

stop() {
  if running; then
    pid=$(cat "$pidfile")
    kill "$pid"
    for _ in $(seq 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "Kafka (pid $pid) did not stop within 60 s" >&2
      exit 1
    fi
    echo "Kafka stopped"
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  clean) stop; rm -rf "$home/data" ;;
  tools) tools ;;
  status) running ;;
  *) echo "usage: $0 start|stop|clean|tools|status" >&2; exit 2 ;;
esac
