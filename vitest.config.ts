import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests run @emart/numaflow from its TypeScript sources (the package's "@emart/source" export
// condition), so a change there is tested without building it first.
const conditions = ['@emart/source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.{ts,tsx}', 'packages/*/test/**/*.test.ts'],
    // One real Kafka broker for the run, started only when a selected test file needs it.
    globalSetup: ['test/support/kafka-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
