/** This module's URL: generators whose output depends on its code put a digest of it into their cache keys. */
export const STRIP_TITLES_MODULE = import.meta.url;

/** Subschema keywords of draft-07 whose values are maps of schemas. */
const SCHEMA_MAPS = ["properties", "patternProperties", "definitions"];
/** Subschema keywords whose values are one schema or a list of schemas. */
const SCHEMA_VALUES = ["items", "additionalItems", "additionalProperties", "contains", "propertyNames", "not", "if", "then", "else", "allOf", "anyOf", "oneOf"];

/**
 * A copy of a JSON Schema without `title` keywords below the root (and below `definitions` entries,
 * which keep theirs), so that json-schema-to-typescript names only the root and the definitions instead
 * of one alias per titled property. Properties that happen to be named "title" are kept. `oneOf`s whose
 * branches only list `required` keys (and declare them in `properties`) (the format's "exactly one of" rules) are dropped too: they
 * constrain values, not shapes.
 */
export function stripNestedTitles(schema: unknown, keepTitle = true): unknown {
  if (Array.isArray(schema)) return schema.map((s) => stripNestedTitles(s, false));
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "title" && !keepTitle) continue;
    if (k === "oneOf" && Array.isArray(v) && v.every((b) => Object.keys(b).every((key) => key === "required" || key === "properties"))) continue;
    if (SCHEMA_MAPS.includes(k) && typeof v === "object" && v !== null) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, stripNestedTitles(s, k === "definitions")]));
    } else if (SCHEMA_VALUES.includes(k)) out[k] = stripNestedTitles(v, false);
    else out[k] = v;
  }
  return out;
}
