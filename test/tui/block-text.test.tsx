import './support/pin-env-color.js';
import { Box, Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { BlockText, decodeGlyphs, encodeGlyphs } from '../../src/tui/components/block-text.js';
import { runsOf } from '../../src/tui/components/segment-line.js';

afterEach(() => cleanup());

describe('BlockText', () => {
  it('encodes glyphs as ASCII letters and back, leaving spaces alone', () => {
    const glyphs = '▁▂▃▄▅▆▇█ ▏▎▍▌▋▊▉ ─▲';
    const encoded = encodeGlyphs(glyphs);
    expect(encoded).toMatch(/^[\x20-\x7e]+$/);
    expect(encoded).toHaveLength(glyphs.length);
    expect(decodeGlyphs(encoded)).toBe(glyphs);
  });

  it('never touches colour codes', () => {
    const coloured = '\u001B[34mABC\u001B[39m\u001B[1;35mH\u001B[22;39m';
    expect(decodeGlyphs(coloured)).toBe('\u001B[34m▁▂▃\u001B[39m\u001B[1;35m█\u001B[22;39m');
  });

  it('renders glyphs, coloured, in the columns the letters took', async () => {
    const app = render(
      <Box>
        <Text>[</Text>
        <BlockText glyphs="▁▄█ ▌" tone="bar" />
        <Text>]</Text>
      </Box>,
    );
    const frame = app.lastFrame() ?? '';
    expect(frame).toContain('▁▄█ ▌');
    expect(frame).toMatch(/\u001B\[34m▁▄█ ▌/);
    expect(frame.replace(/\u001B\[[0-9;]*m/g, '')).toBe('[▁▄█ ▌]');
  });
});

describe('runsOf', () => {
  it('keeps ASCII text apart from glyph text, and bars and sparklines on their own', () => {
    const runs = runsOf([
      { kind: 'text', text: 'Books ' },
      { kind: 'text', text: '  42' },
      { kind: 'bar', fraction: 0.5, width: 4 },
      { kind: 'text', text: '▲ 3%' },
      { kind: 'text', text: '' },
      { kind: 'text', text: 'Dune ×3' },
      { kind: 'text', text: ' ok' },
    ]);
    expect(runs.map((r) => (r.kind === 'text' ? `${r.ascii ? 'ascii' : 'glyphs'}:${r.segments.map((s) => s.text).join('|')}` : r.kind))).toEqual([
      'ascii:Books |  42',
      'bar',
      'glyphs:▲ 3%|Dune ×3',
      'ascii: ok',
    ]);
  });
});
