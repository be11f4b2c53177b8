/**
 * --json output cannot carry a terminal control (issue 12, item 5): a bad record's diagnostic quotes the
 * record (V8's JSON errors do), so it is escaped to one line; results keep their text, in JSON escapes.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { WindowResult } from '../../src/core/schemas.js';
import { pipeJsonLines } from '../../src/tui/json-lines.js';
import { FakeSource } from './support/fake-source.js';

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

describe('pipeJsonLines', () => {
  it('writes a hostile diagnostic as one escaped line and a hostile result as JSON that reads back', async () => {
    const result: WindowResult = {
      start: '2026-11-24T10:00:00.000Z',
      end: '2026-11-24T10:00:10.000Z',
      category_id: 'cate-001',
      category_name: 'Evil\u009b2J\u2028Name',
      order_count: 1,
      item_count: 1,
      total_amount: 1.5,
      top_product: { product_id: 'p-1', name: '\u001b]0;PWNED\u0007', quantity: 1 },
    };
    const source = new FakeSource({
      script: [
        { type: 'problem', problem: { kind: 'bad-record', message: 'not JSON: Unexpected token \'\u001b\', "\u001b]0;PWNED\u0007junk" is not valid JSON', atMs: 0 } },
        { type: 'connection', connection: { state: 'error', message: 'broker said\nemart-tui: forged' } },
        { type: 'result', result, receivedAtMs: 0 },
      ],
    });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const [out, err] = [collect(stdout), collect(stderr)];
    pipeJsonLines(source, { stdout, stderr });
    await source.start();
    expect(err()).not.toMatch(CONTROL);
    expect(err().split('\n')).toEqual([
      'emart-tui: bad-record: not JSON: Unexpected token \'\\x1b\', "\\x1b]0;PWNED\\x07junk" is not valid JSON',
      'emart-tui: connection error: broker said\\nemart-tui: forged',
      '',
    ]);
    expect(out()).not.toMatch(CONTROL);
    expect(out().split('\n')).toHaveLength(2);
    expect(JSON.parse(out())).toEqual(result);
  });
});
