/** Generated text for the escaping tests: what a hostile record could carry. */
import fc from 'fast-check';

// Written independently of src/core/printable.ts: C0, DEL, C1, U+2028/9, bidi controls, unpaired surrogates.
export const RAW_UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Strings rich in what hurts: controls, escapes' own syntax, quotes, surrogate halves, wide text. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.oneof(
      fc.constantFrom('\u001b', '\u0007', '\u009b', '\u009d', '\n', '\r', '\t', '\u0000', '\u007f', '\u2028', '\u202e', '\ud800', '\udc00', '\\', '"', '=', ' ', 'x', '[', ']', '2J', '本'),
      fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    ),
    maxLength: 40,
  }),
);

