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
