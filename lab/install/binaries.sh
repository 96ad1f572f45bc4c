#!/usr/bin/env bash
# The Temporal CLI (built from source with go install: no prebuilt downloads reach this machine)
# and the Kafka 3.9 / ZooKeeper 3.8 jars plus kafka-tools (through Maven). Both are cached outside the repo.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${REKINDLE_CACHE:-$HOME/.cache/rekindle}
temporal_version=v1.5.1
kafka_version=3.9.1

if [ -n "${TEMPORAL_CLI:-}" ] || command -v temporal >/dev/null 2>&1; then
  echo "Temporal CLI: using ${TEMPORAL_CLI:-$(command -v temporal)}"
elif [ -x "$cache/bin/temporal" ]; then
  echo "Temporal CLI: cached at $cache/bin/temporal"
else
  echo "Temporal CLI: building $temporal_version with go install (several minutes, once)"
  mkdir -p "$cache/bin"
  GOBIN="$cache/bin" go install "github.com/temporalio/cli/cmd/temporal@$temporal_version"
fi

libs="$cache/kafka-$kafka_version/libs"
if [ -f "$libs/kafka_2.13-$kafka_version.jar" ] && ls "$libs"/zookeeper-3.8*.jar >/dev/null 2>&1; then
  echo "Kafka jars: cached in $libs"
else
  echo "Kafka jars: fetching kafka_2.13:$kafka_version through Maven into $libs"
  mvn -q -B -f "$here/maven/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$kafka_version" -DoutputDirectory="$libs" -DincludeScope=runtime
fi

# Kafka's tools (ConsumerGroupCommand, the oracle of the offsets differential test) live beside libs/,
# not in it, so the brokers' classpath does not change. Checked on their own: older caches lack them.
tools="$cache/kafka-$kafka_version/tools"
if [ -f "$tools/kafka-tools-$kafka_version.jar" ]; then
  echo "Kafka tools: cached in $tools"
else
  echo "Kafka tools: fetching kafka-tools:$kafka_version through Maven into $tools"
  mvn -q -B -f "$here/maven/tools-pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$kafka_version" -DoutputDirectory="$tools" -DincludeScope=runtime
fi
