import { createHash } from "node:crypto";

/**
 * A copy of a JSON value with every object's keys in code-unit order (canonical key order) and without
 * `undefined` members. `mapString`, when given, replaces each string value on the way (its result is put
 * in canonical order too), so that a transform and the ordering take one pass over a large value.
 */
export function sortKeys<T>(value: T, mapString?: (text: string) => unknown): T {
  if (typeof value === "string") {
    if (!mapString) return value;
    const mapped = mapString(value);
    return (typeof mapped === "string" ? mapped : sortKeys(mapped)) as T;
  }
  if (Array.isArray(value)) return value.map((v) => sortKeys(v, mapString)) as T;
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v, mapString);
    }
    return out as T;
  }
  return value;
}

/** JSON text with canonical key order, 2-space indent, LF and a trailing newline. */
export function canonicalJson(value: unknown): string {
  return sortedJson(sortKeys(value));
}

/** {@link canonicalJson} of a value whose keys are in canonical order already (from {@link sortKeys}), without copying it again. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/**
 * `json`, the text {@link sortedJson} gives for an object, with one more top-level member `key: value` in
 * its canonical place: what {@link canonicalJson} of the object with that member gives, without
 * serializing the object again (a large bundle takes tens of ms). Top-level members are the only lines
 * that start with two spaces and a quote: deeper ones are indented further, and JSON strings hold no
 * line breaks. `key` must not be a member already.
 */
export function withMember(json: string, key: string, value: unknown): string {
  const member = `${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replaceAll("\n", "\n  ")}`;
  if (json === "{}\n") return `{\n  ${member}\n}\n`;
  for (const m of json.matchAll(/\n {2}("(?:[^"\\]|\\.)*"): /g)) {
    if ((JSON.parse(m[1]) as string) > key) return `${json.slice(0, m.index + 1)}  ${member},${json.slice(m.index)}`;
  }
  return `${json.slice(0, -3)},\n  ${member}\n}\n`;
}

/** Hex sha256 of a string (UTF-8) or bytes. */
export function sha256Hex(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}
