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

/** Unit spellings people write (lower-cased), with their length in milliseconds; `w` has no brain unit. */
const SPELLINGS: Record<string, number> = {
  ms: 1, msec: 1, msecs: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, wk: 604_800_000, wks: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};
const WEEK_MS = 604_800_000;

/**
 * The brain spelling of a malformed duration that is still clear (`15M`, `15 min`, `15mins` → `15m`;
 * `0.25h` → `15m`; `1w` → `7d`; `1h 30m` → `90m`), with why the original is wrong; undefined when
 * it is not a recognisable duration or has no exact brain spelling (`0.5ms`).
 */
export function durationSuggestion(text: string): { duration: string; why: string } | undefined {
  const parts = [...text.trim().matchAll(/([0-9]*\.?[0-9]+)\s*([A-Za-z]+)\s*,?\s*/gy)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== text.trim()) return undefined;
  let total = 0;
  for (const [, number, unit] of parts) {
    const ms = SPELLINGS[unit.toLowerCase()];
    if (ms === undefined) return undefined;
    total += Number(number) * ms;
  }
  const ms = Math.round(total);
  if (Math.abs(total - ms) > 1e-6) return undefined; // finer than a millisecond
  // The brain unit of the unit written when the value is a whole number of it; else the largest exact unit.
  const units = Object.keys(UNIT_MS).reverse() as (keyof typeof UNIT_MS)[];
  const written = units.find((u) => UNIT_MS[u] === SPELLINGS[parts[0][2].toLowerCase()]);
  const best = parts.length === 1 && written && ms % UNIT_MS[written] === 0 ? written : (units.find((u) => ms % UNIT_MS[u] === 0) ?? "ms");
  const duration = `${ms / UNIT_MS[best]}${best}`;
  if (duration === text) return undefined;
  const why = parts.some((p) => SPELLINGS[p[2].toLowerCase()] === WEEK_MS)
    ? "there is no week unit; write days"
    : parts.some((p) => !/^[0-9]+$/.test(p[1]))
      ? "a duration is a whole number; use a smaller unit"
      : parts.length > 1
        ? "a duration is one number and one unit"
        : "units are ms, s, m, h and d, lower case, right after the number";
  return { duration, why };
}
