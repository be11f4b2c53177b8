import { describe, expect, it } from 'vitest';
import { describeKafkaTrouble, rewordMessage } from '../../src/kafka/wording.js';

const LOCAL = ['127.0.0.1:9092'];
const CLUSTER = ['kafka:9092'];

describe("kafkajs' errors in the project's words", () => {
  it.each([
    ['Connection error: connect ECONNREFUSED 127.0.0.1:9092', LOCAL, 'unreachable', 'cannot reach Kafka at 127.0.0.1:9092 — is it running? (npm run kafka)'],
    ['Crash: KafkaJSNumberOfRetriesExceeded: Connection error: connect ECONNREFUSED 127.0.0.1:9092', LOCAL, 'unreachable', 'cannot reach Kafka at 127.0.0.1:9092 — is it running? (npm run kafka)'],
    ['Failed to connect to seed broker, trying another broker from the list: Connection error: connect ECONNREFUSED 10.0.0.7:9092', ['10.0.0.7:9092'], 'unreachable', 'cannot reach Kafka at 10.0.0.7:9092 — is it running? Check --brokers (or KAFKA_BROKERS).'],
    ['Connection error: getaddrinfo ENOTFOUND kafka', CLUSTER, 'unreachable', 'cannot find the Kafka host "kafka" — check --brokers (or KAFKA_BROKERS)'],
    ['Connection error: connect EHOSTUNREACH 10.1.2.3:9092', ['10.1.2.3:9092'], 'unreachable', 'no network route to Kafka at 10.1.2.3:9092 — check --brokers and the network'],
    ['Connection timeout', LOCAL, 'unreachable', 'Kafka at 127.0.0.1:9092 does not answer (connection timed out) — is it running and reachable?'],
    ['Connection error: read ECONNRESET', LOCAL, 'lost', 'lost the connection to Kafka at 127.0.0.1:9092; reconnecting…'],
    ['Closed connection', LOCAL, 'lost', 'lost the connection to Kafka at 127.0.0.1:9092; reconnecting…'],
    ['Restarting the consumer in 300ms', LOCAL, 'not-ready', 'the Kafka consumer restarts after an error…'],
    ['KafkaJSNumberOfRetriesExceeded', LOCAL, 'lost', 'Kafka at 127.0.0.1:9092 did not answer after several retries; reconnecting…'],
    ['Request Fetch(key: 1, version: 11) timed out', LOCAL, 'slow', 'Kafka at 127.0.0.1:9092 is slow to answer (a request timed out); retrying…'],
    ['request to the broker timed out', LOCAL, 'slow', 'Kafka at 127.0.0.1:9092 is slow to answer (a request timed out); retrying…'],
    ['There is no leader for this topic-partition as we are in the middle of a leadership election', LOCAL, 'not-ready', 'Kafka is electing a partition leader (a broker restarted); retrying…'],
    ['This server does not host this topic-partition', LOCAL, 'not-ready', 'a topic is not ready on the broker yet; retrying…'],
    ['The coordinator is loading and hence can\'t process requests', LOCAL, 'not-ready', "Kafka's group coordinator is starting up; retrying…"],
    ['The group is rebalancing, so a rejoin is needed', LOCAL, 'not-ready', 'the consumer group is rebalancing; rejoining…'],
    ['not connected to Kafka at 127.0.0.1:9092 yet', LOCAL, 'unreachable', 'not connected to Kafka at 127.0.0.1:9092 yet'],
  ] as const)('%s', (raw, brokers, kind, text) => {
    expect(describeKafkaTrouble(raw, brokers)).toEqual({ kind, text });
  });

  it('says something plain about an error it does not know, without the library’s prefixes', () => {
    expect(describeKafkaTrouble('Crash: KafkaJSProtocolError: The request attempted to perform an operation on an invalid topic', LOCAL)).toEqual({
      kind: 'other',
      text: 'Kafka reported: The request attempted to perform an operation on an invalid topic',
    });
  });

  it('never passes a KafkaJS name through', () => {
    for (const raw of ['KafkaJSNumberOfRetriesExceeded', 'Crash: KafkaJSNonRetriableError: something odd', 'KafkaJSError: x']) {
      expect(describeKafkaTrouble(raw, LOCAL).text).not.toMatch(/KafkaJS|Crash/);
    }
  });

  it('keeps the context a pipeline or generator puts before the library’s text', () => {
    expect(rewordMessage('consumer: Connection error: connect ECONNREFUSED 127.0.0.1:9092', LOCAL)).toBe('consumer: cannot reach Kafka at 127.0.0.1:9092 — is it running? (npm run kafka)');
    expect(rewordMessage("cannot read the orders topic's offsets: Closed connection", LOCAL)).toBe("cannot read the orders topic's offsets: lost the connection to Kafka at 127.0.0.1:9092; reconnecting…");
    expect(rewordMessage('Connection error: connect ECONNREFUSED 127.0.0.1:9092', LOCAL)).toBe('cannot reach Kafka at 127.0.0.1:9092 — is it running? (npm run kafka)');
    expect(rewordMessage('results not acknowledged yet', LOCAL)).toBe('results not acknowledged yet');
  });
});
