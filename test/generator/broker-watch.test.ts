import { describe, expect, it } from 'vitest';
import { ACK_TIMEOUT_MS, BrokerWatch } from '../../src/generator/broker-watch.js';

describe('BrokerWatch', () => {
  it('is down until the producer connects, then up', () => {
    const watch = new BrokerWatch();
    expect(watch.view(0)).toEqual({ up: false, reason: 'not connected yet' });
    watch.connected();
    expect(watch.view(0)).toEqual({ up: true });
  });

  it('goes down as soon as a send fails, and up again on the next acknowledgement', () => {
    const watch = new BrokerWatch();
    watch.connected();
    watch.failed(watch.sending(0), 'Connection error: connect ECONNREFUSED');
    expect(watch.view(1)).toEqual({ up: false, reason: 'Connection error: connect ECONNREFUSED' });
    watch.acknowledged(watch.sending(2));
    expect(watch.view(3).up).toBe(true);
  });

  it('goes down when a send waits for its acknowledgement too long, before kafkajs gives up on it', () => {
    const watch = new BrokerWatch();
    watch.connected();
    const stuck = watch.sending(1_000);
    expect(watch.view(1_000 + ACK_TIMEOUT_MS - 1).up).toBe(true);
    expect(watch.view(1_000 + ACK_TIMEOUT_MS)).toEqual({ up: false, reason: 'no acknowledgement from Kafka for 3.0 s' });
    // A later send that is acknowledged proves the broker answers again.
    watch.acknowledged(watch.sending(5_000));
    watch.acknowledged(stuck);
    expect(watch.view(9_000).up).toBe(true);
  });

  it('judges by the oldest send still waiting', () => {
    const watch = new BrokerWatch(1_000);
    watch.connected();
    const first = watch.sending(0);
    watch.sending(900);
    watch.acknowledged(first);
    expect(watch.view(1_500).up).toBe(true);
    expect(watch.view(1_900).up).toBe(false);
  });

  it('goes down when the client reports a lost connection or a timed-out request', () => {
    const watch = new BrokerWatch();
    watch.connected();
    watch.lost('a request to Kafka timed out');
    expect(watch.view(0)).toEqual({ up: false, reason: 'a request to Kafka timed out' });
    watch.acknowledged(watch.sending(0));
    expect(watch.view(0).up).toBe(true);
  });

  it('is not marked down by late news of an outage that later acknowledgements have ended', () => {
    const watch = new BrokerWatch();
    watch.connected();
    const inOutage = watch.sending(1_000);
    const statusInOutage = watch.sending(1_500);
    watch.acknowledged(watch.sending(6_000));
    // Begun before the acknowledged send: they fail, time out or hang after it, and say nothing of now.
    watch.failed(statusInOutage, 'Connection error');
    watch.lost('a request to Kafka timed out', 2_000);
    expect(watch.view(12_000)).toEqual({ up: true });
    // Trouble with what began since is news again.
    watch.lost('a request to Kafka timed out', 6_500);
    expect(watch.view(12_000).up).toBe(false);
    watch.acknowledged(watch.sending(12_000));
    const later = watch.sending(13_000);
    expect(watch.view(13_000 + ACK_TIMEOUT_MS).up).toBe(false);
    watch.acknowledged(later);
    watch.acknowledged(inOutage);
    expect(watch.view(20_000).up).toBe(true);
  });
});
