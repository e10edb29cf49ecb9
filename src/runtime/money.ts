/**
 * Money in USD without floating-point drift. Costs are summed and compared in whole nano-USD (1e-9 USD,
 * integers, exact up to 9 million USD), so `8 × 0.1` reaches a limit of `0.8` and sums read `0.0144`,
 * not `0.014399999999999998`. Amounts stay USD numbers at the edges (ledger events, results, reports).
 */

const NANO_PER_USD = 1e9;

/** An amount in whole nano-USD. */
export function toNanoUsd(usd: number): number {
  return Math.round(usd * NANO_PER_USD);
}

/** USD from whole nano-USD. */
export function fromNanoUsd(nano: number): number {
  return nano / NANO_PER_USD;
}

/** An amount rounded to the nano-USD: the nearest number to a whole count of 1e-9 USD. */
export function roundUsd(usd: number): number {
  return toNanoUsd(usd) / NANO_PER_USD;
}

/** The sum of USD amounts, each rounded to the nano-USD and added exactly. */
export function sumUsd(...amounts: number[]): number {
  let nano = 0;
  for (const a of amounts) nano += toNanoUsd(a);
  return nano / NANO_PER_USD;
}

/** Whether `spentUsd` has reached `percent` % of `limitUsd`, compared to the nano-USD (100 when omitted). */
export function reachedUsd(spentUsd: number, limitUsd: number, percent = 100): boolean {
  return toNanoUsd(spentUsd) * 100 >= toNanoUsd(limitUsd) * percent;
}
