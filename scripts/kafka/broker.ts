/** The Kafka broker for tests, benches and `npm run kafka`: see ./broker/index.ts for its parts. */
export * from './broker/index.js';
