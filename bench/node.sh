# Sourced by the bench scripts: one Rowstream node for a measurement, started as the README
# starts it (the same GC flag), its data and log under a directory of the run.
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin

# start_node JAR DIR PORT [NAME=VALUE...]: a node answering HTTP on PORT with its data in DIR/data,
# its log in DIR/node.log and the settings given (ROWSTREAM_* variables); sets NODE to its pid
# and returns once it answers ready (fails after two minutes).
start_node() {
  local jar=$1 dir=$2 port=$3
  shift 3
  env ROWSTREAM_DATA_DIR=$dir/data ROWSTREAM_HTTP_PORT=$port "$@" \
    $J/java -XX:MaxGCPauseMillis=20 -Djava.io.tmpdir=$dir -jar $jar > $dir/node.log 2>&1 &
  NODE=$!
  for i in $(seq 1 240); do
    curl -sf localhost:$port/status/ready >/dev/null && return 0
    sleep 0.5
  done
  echo "the node did not answer ready within two minutes: see $dir/node.log" >&2
  return 1
}

# create_topic PORT JSON: creates a topic with the v3 API (JSON as its request body), again until
# it exists: a node may answer ready a moment before it creates topics.
create_topic() {
  local port=$1 body=$2 cid
  for i in $(seq 1 60); do
    cid=$(curl -s localhost:$port/v3/clusters | sed -E 's/.*"cluster_id":"([^"]+)".*/\1/')
    [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST localhost:$port/v3/clusters/$cid/topics \
      -H 'Content-Type: application/json' -d "$body")" = 201 ] && return 0
    curl -sf localhost:$port/v3/clusters/$cid/topics/"$(echo "$body" | sed -E 's/.*"topic_name":"([^"]+)".*/\1/')" \
      >/dev/null && return 0
    sleep 0.5
  done
  echo "could not create the topic $body" >&2
  return 1
}
