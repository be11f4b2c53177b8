/**
 * Money travels as dollars with two decimals on the wire but is summed in integer cents, so a total of
 * many prices never shows float noise such as 0.30000000000000004.
 *
 * Every sum of money e-mart makes (an item line, an order, a window's revenue) stays at or below
 * `MAX_AMOUNT_CENTS`. Far below 2^53, so cents add exactly in doubles, and low enough that dollars and
 * cents convert both ways without losing a cent (for cents c ≤ 2^51, fl(fl(c / 100) · 100) is within
 * 0.25 of c) and JSON prints the two decimals. It is also what PostgreSQL's numeric(14,2) column holds.
 */

/** $999,999,999,999.99: more than any real window of any real shop, in one category. */
export const MAX_AMOUNT_CENTS = 99_999_999_999_999;
export const MAX_AMOUNT = MAX_AMOUNT_CENTS / 100;

export function centsToAmount(cents: number): number {
  // An integer divided by 100 is the double nearest to the two-decimal value, and JSON prints it that way.
  return cents / 100;
}

/** Exact for amounts within ±MAX_AMOUNT that have at most two decimals. */
export function amountToCents(amount: number): number {
  return Math.round(amount * 100);
}

/** True when `amount` is a whole number of cents: exactly the double a two-decimal number parses to. */
export function hasAtMostTwoDecimals(amount: number): boolean {
  return Number.isFinite(amount) && Math.abs(amount) <= MAX_AMOUNT && centsToAmount(amountToCents(amount)) === amount;
}

export function formatAmount(amount: number): string {
  return amount.toFixed(2);
}

/** MAX_AMOUNT as a reason writes it, in the wire's own notation. */
export const MAX_AMOUNT_TEXT = formatAmount(MAX_AMOUNT);
