import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // One real Kafka broker for the run, started only when a selected test file needs it.
    globalSetup: ['test/support/kafka-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
