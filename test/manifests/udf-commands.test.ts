/** The manifests run `emart-udf <command>`; the validator's list of commands must be the real CLI's. */
import { describe, expect, it } from 'vitest';
import { UDF_COMMANDS } from '../../src/udfs/commands.js';
import { EMART_UDF_COMMANDS } from './validate.js';

describe('emart-udf commands', () => {
  it('are the ones the validator accepts in the manifests', () => {
    expect(Object.keys(UDF_COMMANDS).sort()).toEqual([...EMART_UDF_COMMANDS].sort());
  });
});
