#!/bin/sh
# Creates every topic listed in $CREATE_TOPICS on $KAFKA_BROKERS; run by the kafka-topics Job.
# An entry is <topic>:<partitions>[:<config>=<value>[,<config>=<value>…]]; entries are separated by
# spaces. Existing topics are kept; a topic with fewer partitions than listed gets more (Kafka cannot
# remove partitions, so a topic with more is left alone).
set -eu
: "${KAFKA_BROKERS:?KAFKA_BROKERS is not set}" "${CREATE_TOPICS:?CREATE_TOPICS is not set}"
# TOPICS_TOOL replaces the Kafka CLI in the script's offline test (test/manifests).
kafka_topics=${TOPICS_TOOL:-/opt/kafka/bin/kafka-topics.sh}

echo "waiting for Kafka at $KAFKA_BROKERS"
until "$kafka_topics" --bootstrap-server "$KAFKA_BROKERS" --list >/dev/null 2>&1; do
  sleep 3
done

for entry in $CREATE_TOPICS; do
  name=${entry%%:*}
  rest=${entry#*:}
  partitions=${rest%%:*}
  configs=
  case $rest in *:*) configs=${rest#*:} ;; esac

  set -- --bootstrap-server "$KAFKA_BROKERS" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor 1
  if [ -n "$configs" ]; then
    saved_ifs=$IFS
    IFS=,
    for config in $configs; do set -- "$@" --config "$config"; done
    IFS=$saved_ifs
  fi
  "$kafka_topics" "$@"

  current=$("$kafka_topics" --bootstrap-server "$KAFKA_BROKERS" --describe --topic "$name" \
    | sed -n 's/.*PartitionCount: *\([0-9][0-9]*\).*/\1/p' | head -n 1)
  if [ -z "$current" ]; then
    echo "cannot read the partition count of topic $name" >&2
    exit 1
  fi
  if [ "$current" -lt "$partitions" ]; then
    "$kafka_topics" --bootstrap-server "$KAFKA_BROKERS" --alter --topic "$name" --partitions "$partitions"
    current=$partitions
  fi
  echo "topic $name: $current partitions"
done
echo "all topics are ready"
