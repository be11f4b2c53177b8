import { expect, it } from 'vitest';
import { IdleWatermark } from '../../src/engine/idle-watermark.js';

it('follows the wall clock, minus the lateness, only after the source has been idle long enough', () => {
  const idle = new IdleWatermark(1_000, 3_000);
  expect(idle.due(50_000)).toBe(49_000);
  idle.sawEvent(50_000);
  expect(idle.due(52_999)).toBeUndefined();
  expect(idle.due(53_000)).toBe(52_000);
});
