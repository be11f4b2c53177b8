/**
 * Values the Kafka globalSetup (./kafka-global-setup.ts) provides to test files (read them with
 * the helpers of ./kafka.ts, not directly).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** "127.0.0.1:PORT" of the shared broker, '' when there is none. */
    kafkaBrokers: string;
    /** Why there is no shared broker ('' when there is one). */
    kafkaSkipReason: string;
  }
}

/** Test files that import this module's siblings (test/support/kafka) count as Kafka tests. */
export const KAFKA_TEST_MARKER = /support\/kafka(\.js|\.ts)?['"]/;

/** CI=true (or any value but ''/0/false) makes Kafka tests mandatory. */
export function isCI(): boolean {
  const ci = (process.env.CI ?? '').toLowerCase();
  return ci !== '' && ci !== '0' && ci !== 'false';
}
