/**
 * `emart-generator control …`: one command to every generator replica, through the control topic, as
 * the TUI's keys send it. For a shell without kcat.
 */
import type { ControlCommand } from '../core/schemas.js';
import { createKafka, PRODUCER_DEFAULTS } from '../kafka/client.js';

export async function sendControl(options: { brokers: string[]; controlTopic: string; control: ControlCommand }): Promise<void> {
  // kafkajs' own log lines would bury the one line this command prints; failures reach the caller.
  const kafka = createKafka({ brokers: options.brokers, clientId: 'emart-generator-control', onLog: () => {} });
  const producer = kafka.producer(PRODUCER_DEFAULTS);
  await producer.connect();
  try {
    await producer.send({ topic: options.controlTopic, acks: -1, messages: [{ value: JSON.stringify(options.control) }] });
  } finally {
    await producer.disconnect();
  }
}
