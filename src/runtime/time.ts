/** Durations and backoff as the brain format defines them (durations `<integer><unit>`, unit ms s m h d). */
import type { BundleBackoff } from "./bundle.js";

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses a duration (`250ms`, `30s`, `5m`, `1h`, `7d`) into milliseconds; NaN when malformed. */
export function durationMs(duration: string | undefined): number {
  const m = duration === undefined ? null : /^([0-9]+)(ms|s|m|h|d)$/.exec(duration);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : NaN;
}

/** The UTC day (`2026-11-21`) and month (`2026-11`) of an epoch time in ms: the budget periods. */
export function periodKeys(t: number): { daily: string; monthly: string } {
  const iso = new Date(t).toISOString();
  return { daily: iso.slice(0, 10), monthly: iso.slice(0, 7) };
}

/**
 * The wait before retry number `retry` (1-based), in ms: `initial × multiplier^(retry-1)` capped at
 * `max`, then jittered (full: uniform in [0, wait]; equal: wait/2 + uniform in [0, wait/2]; none).
 * Defaults: initial 1s, max 30s, multiplier 2, jitter full (AWS Architecture Blog, "Exponential Backoff
 * And Jitter", 2015).
 */
export function backoffMs(backoff: BundleBackoff | undefined, retry: number, random: () => number = Math.random): number {
  const initial = durationMs(backoff?.initial ?? "1s");
  const max = durationMs(backoff?.max ?? "30s");
  const wait = Math.min(max, initial * (backoff?.multiplier ?? 2) ** Math.max(0, retry - 1));
  switch (backoff?.jitter ?? "full") {
    case "none":
      return wait;
    case "equal":
      return wait / 2 + random() * (wait / 2);
    default:
      return random() * wait;
  }
}
