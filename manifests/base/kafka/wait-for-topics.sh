#!/bin/sh
# Waits until every topic in $WAIT_FOR_TOPICS (separated by spaces) exists on $KAFKA_BROKERS.
# Init container of the generator and of the pipeline's Kafka vertices: the broker does not auto-create
# topics, so they start only once the kafka-topics Job has created theirs.
set -eu
: "${KAFKA_BROKERS:?KAFKA_BROKERS is not set}" "${WAIT_FOR_TOPICS:?WAIT_FOR_TOPICS is not set}"
# TOPICS_TOOL replaces the Kafka CLI in the script's offline test (test/manifests).
kafka_topics=${TOPICS_TOOL:-/opt/kafka/bin/kafka-topics.sh}

for name in $WAIT_FOR_TOPICS; do
  until "$kafka_topics" --bootstrap-server "$KAFKA_BROKERS" --describe --topic "$name" >/dev/null 2>&1; do
    echo "waiting for topic $name on $KAFKA_BROKERS"
    sleep 3
  done
  echo "topic $name exists"
done
