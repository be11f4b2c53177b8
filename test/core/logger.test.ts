/**
 * Log lines cannot be forged or turned into terminal controls by the text they carry (issue 12, item 6):
 * JSON lines where logs are collected, an escaped text line on a terminal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger, formatFor, type LogFields, type LogFormat } from '../../src/core/logger.js';
import { hostileString, RAW_UNPRINTABLE } from './hostile-strings.js';
const TEXT_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO |WARN |ERROR) /;

function capture(format: LogFormat, name = 'udf[enrich]') {
  const lines: string[] = [];
  return { logger: createLogger(name, { format, level: 'debug', write: (line) => void lines.push(line) }), lines };
}

describe('logger', () => {
  it('keeps a forged line inside the one it was logged in (the order id of issue 12)', () => {
    const forged = 'o-1\n2026-11-24T10:00:00.000Z ERROR udf[enrich]: database wiped';
    for (const format of ['text', 'json'] as const) {
      const { logger, lines } = capture(format);
      logger.warn(`invalid order dropped: order ${forged} is bad`, { id: forged, key: '\u001b[2J' });
      expect(lines).toHaveLength(1);
      expect(lines[0]!.match(/\n/g)).toHaveLength(1);
      expect(lines[0]!.slice(0, -1)).not.toMatch(RAW_UNPRINTABLE);
    }
    const { logger, lines } = capture('text');
    logger.warn('dropped', { id: forged, key: '\u001b[2J', plain: 'p-001-0001', empty: '' });
    expect(lines[0]).toMatch(/ WARN  udf\[enrich\]: dropped id="o-1\\n2026-11-24T10:00:00\.000Z ERROR udf\[enrich\]: database wiped" key="\\x1b\[2J" plain=p-001-0001 empty=""\n$/);
  });

  it('writes JSON lines with time, level, logger, msg and the fields, which never overwrite those', () => {
    const { logger, lines } = capture('json');
    logger.info('reading orders', { topic: 'emart-orders', partitions: 2, live: true, missing: undefined, msg: 'sneaky' });
    expect(JSON.parse(lines[0]!)).toEqual({ time: expect.stringMatching(/Z$/), level: 'info', logger: 'udf[enrich]', msg: 'reading orders', topic: 'emart-orders', partitions: 2, live: true, 'field.msg': 'sneaky' });
  });

  it('chooses JSON unless stderr is a terminal, and LOG_FORMAT overrides', () => {
    expect(formatFor(undefined, true)).toBe('text');
    expect(formatFor(undefined, false)).toBe('json');
    expect(formatFor('json', true)).toBe('json');
    expect(formatFor('TEXT', false)).toBe('text');
    expect(formatFor('yaml', false)).toBe('json');
  });

  it('writes exactly one line for any message, name and fields, with nothing unprintable, in either format', () => {
    const fields = fc.dictionary(hostileString, fc.oneof(hostileString, fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 4 });
    fc.assert(
      fc.property(fc.constantFrom<LogFormat>('json', 'text'), hostileString, hostileString, fields, (format, name, message, extra) => {
        const { logger, lines } = capture(format, name);
        logger.error(message, extra as LogFields);
        expect(lines).toHaveLength(1);
        const line = lines[0]!;
        expect(line.endsWith('\n')).toBe(true);
        const body = line.slice(0, -1);
        expect(body).not.toMatch(RAW_UNPRINTABLE);
        if (format === 'text') {
          expect(body).toMatch(TEXT_LINE);
          return;
        }
        // JSON lines read back exactly.
        const entry = JSON.parse(body) as Record<string, unknown>;
        expect(entry).toMatchObject({ level: 'error', logger: name, msg: message });
        for (const [key, value] of Object.entries(extra)) {
          const stored = ['time', 'level', 'logger', 'msg'].includes(key) ? `field.${key}` : key;
          expect(entry[stored]).toEqual(value);
        }
      }),
      { numRuns: 10_000 },
    );
  });
  it('keeps a field named __proto__ in a JSON line (found by the property above)', () => {
    const { logger, lines } = capture('json');
    logger.warn('order dropped', JSON.parse('{"__proto__":"x","id":"o-1"}') as LogFields);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'order dropped', id: 'o-1', ['__proto__']: 'x' });
    expect(Object.keys(JSON.parse(lines[0]!))).toContain('__proto__');
  });
});
