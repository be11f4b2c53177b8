/**
 * Builds the ResultsSource the options ask for. Kafka support is imported only in Kafka mode, so the
 * embedded path never loads kafkajs.
 */
import type { ResultsSource } from '../core/results-source.js';
import { EmbeddedEngine } from '../engine/embedded-engine.js';
import type { TuiOptions } from './options.js';

export const CLIENT_ID = 'emart-tui';

export async function openSource(options: TuiOptions): Promise<ResultsSource> {
  const source = options.source;
  if (source.kind === 'embedded') {
    const { windowMs, seed, mix, dayLengthMs } = source;
    return new EmbeddedEngine({ windowMs, rate: options.rate, seed, mix, dayLengthMs, audit: options.audit });
  }
  const { KafkaResultsSource } = await import('../kafka/results-source.js');
  return new KafkaResultsSource({ brokers: source.brokers, topics: source.topics, pipelineGroup: source.pipelineGroup, fromBeginning: source.fromBeginning, clientId: CLIENT_ID, audit: options.audit });
}

/**
 * In Kafka mode the generator runs elsewhere at its own rate; an explicit --rate is sent to it once.
 * (The embedded engine was built with the rate already.)
 */
export async function applyInitialRate(source: ResultsSource, options: TuiOptions): Promise<void> {
  if (options.source.kind === 'kafka' && options.rateGiven && options.control) await source.control({ command: 'set-rate', rate: options.rate });
}
