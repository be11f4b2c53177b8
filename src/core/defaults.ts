/**
 * Defaults shared by the generator, the terminal UI and the Kubernetes manifests, so that the parts
 * find each other without configuration.
 */
export const DEFAULT_TOPICS = {
  orders: 'emart-orders',
  results: 'emart-results',
  control: 'emart-control',
  status: 'emart-generator-status',
} as const;

export const DEFAULT_RATE = 20;
export const DEFAULT_WINDOW_MS = 10_000;
export const DEFAULT_ALLOWED_LATENESS_MS = 1_000;
export const STATUS_INTERVAL_MS = 1_000;

/** Only emart-pipeline, the local stand-in for the Numaflow pipeline, publishes its status here. */
export const DEFAULT_PIPELINE_STATUS_TOPIC = 'emart-pipeline-status';
/** The consumer group emart-pipeline commits its progress in; a restart resumes from it. */
export const DEFAULT_PIPELINE_GROUP = 'emart-pipeline';

/** Where the binaries look for Kafka when neither --brokers nor KAFKA_BROKERS says (`npm run kafka`'s address). */
export const DEFAULT_BROKERS = '127.0.0.1:9092';
/** The generator's /healthz, /livez and /metrics, as the Kubernetes probes expect them. */
export const DEFAULT_GENERATOR_HTTP_PORT = 8080;
export const DEFAULT_GENERATOR_HTTP_HOST = '0.0.0.0';
