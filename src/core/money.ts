/**
 * Money travels as dollars with two decimals on the wire but is summed in integer cents, so a total of
 * many prices never shows float noise such as 0.30000000000000004.
 */

export function centsToAmount(cents: number): number {
  // An integer divided by 100 is the double nearest to the two-decimal value, and JSON prints it that way.
  return cents / 100;
}

export function amountToCents(amount: number): number {
  return Math.round(amount * 100);
}

/** True when `amount` is written with at most two decimals (as far as a double can say). */
export function hasAtMostTwoDecimals(amount: number): boolean {
  return Number.isFinite(amount) && Math.abs(amount * 100 - Math.round(amount * 100)) < 1e-6;
}

export function formatAmount(amount: number): string {
  return amount.toFixed(2);
}
