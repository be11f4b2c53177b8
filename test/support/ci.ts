/**
 * CI=true (or any value but '', 0 and false) makes every test that needs a tool or a server mandatory:
 * without it such a test fails instead of being skipped. `.ci/run` sets it.
 */
export function isCI(): boolean {
  const ci = (process.env.CI ?? '').toLowerCase();
  return ci !== '' && ci !== '0' && ci !== 'false';
}
