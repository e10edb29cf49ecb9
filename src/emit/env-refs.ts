import { ENV_REF } from "../validate/secrets.js";

/** A piece of a string from the brain: literal text, or a reference to an environment variable. */
export type EnvSegment = { text: string } | { env: string; default?: string };

/**
 * Splits a brain string into literal text and `${env:NAME}` / `${env:NAME:-default}` references
 * (brain-format.md "Secrets are never literal"), so each target can write references in its own native
 * form and never resolves them at build time.
 */
export function envSegments(value: string): EnvSegment[] {
  const out: EnvSegment[] = [];
  let last = 0;
  for (const m of value.matchAll(ENV_REF)) {
    if (m.index! > last) out.push({ text: value.slice(last, m.index) });
    out.push(m[2] !== undefined ? { env: m[1], default: m[2] } : { env: m[1] });
    last = m.index! + m[0].length;
  }
  if (last < value.length || out.length === 0) out.push({ text: value.slice(last) });
  return out;
}

/** The single env reference a string consists of, or undefined when it holds anything else. */
export function singleEnvRef(value: string): { env: string; default?: string } | undefined {
  const segments = envSegments(value);
  return segments.length === 1 && "env" in segments[0] ? segments[0] : undefined;
}

/** Every env reference in a value (deeply: the strings in its arrays and objects), in order, repeats included. */
export function envRefs(value: unknown): Extract<EnvSegment, { env: string }>[] {
  if (typeof value === "string") return envSegments(value).flatMap((s) => ("env" in s ? [s] : []));
  if (Array.isArray(value)) return value.flatMap(envRefs);
  return typeof value === "object" && value !== null ? Object.values(value).flatMap(envRefs) : [];
}

/** Every environment variable a value (deeply) references, sorted and unique. */
export function envNames(value: unknown): string[] {
  return [...new Set(envRefs(value).map((r) => r.env))].sort();
}
