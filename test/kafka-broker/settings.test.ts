import { describe, expect, it } from 'vitest';
import { brokerSettings } from '../../scripts/kafka/broker.js';

describe('the Kafka broker settings', () => {
  it('fill in defaults, keep a given work dir, and take the log level from the environment', () => {
    expect(brokerSettings({}, {})).toEqual({ port: undefined, controllerPort: undefined, workDir: undefined, keepWorkDir: false, logLevel: 'warn', heap: '512m', jvmArgs: [], properties: {}, startTimeoutMs: 120_000 });
    expect(brokerSettings({ workDir: '/d', properties: { 'num.partitions': 3, 'x.y': true } }, { KAFKA_BROKER_LOG_LEVEL: 'debug' })).toMatchObject({
      workDir: '/d',
      keepWorkDir: true,
      logLevel: 'debug',
      properties: { 'num.partitions': '3', 'x.y': 'true' },
    });
    expect(brokerSettings({}, { KAFKA_KEEP_WORKDIR: '1' }).keepWorkDir).toBe(true);
  });

  it('name every bad setting at once, before anything is started', () => {
    expect(() => brokerSettings({ port: 70_000, controllerPort: 0, heap: 'lots', startTimeoutMs: 0 }, { KAFKA_BROKER_LOG_LEVEL: 'loud' })).toThrow(
      'invalid Kafka broker settings: port must be a port from 1 to 65535, got 70000; controllerPort must be a port from 1 to 65535, got 0; KAFKA_BROKER_LOG_LEVEL must be one of error, warn, info, debug, trace, got "loud"; heap must be a java -Xmx size such as 512m or 1g, got "lots"; startTimeoutMs must be a positive number of milliseconds, got 0',
    );
    expect(() => brokerSettings({ port: 9092, controllerPort: 9092 }, {})).toThrow('port and controllerPort must differ, both are 9092');
  });
});
