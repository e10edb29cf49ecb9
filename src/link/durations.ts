const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses a brain duration (`30s`, `5m`, `1h`, `7d`, `250ms`) into milliseconds; NaN when malformed. */
export function durationMs(duration: string): number {
  const m = /^([0-9]+)(ms|s|m|h|d)$/.exec(duration);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : NaN;
}

/** Whole seconds of a duration, rounded up (for runtimes that count seconds). */
export function durationSeconds(duration: string): number {
  return Math.ceil(durationMs(duration) / 1000);
}
