/**
 * The helpers a brain's templates may call, besides Handlebars' built-ins (if, unless, each, with,
 * lookup; not `log`, which writes to the console: into `--format json` output, say). Documented in the
 * README ("Prompt templates").
 */
export const HELPERS: Record<string, (...args: any[]) => unknown> = {
  /** `{{json value}}` or `{{json value 2}}`: JSON text of a value (keys in their order), optional indent. */
  json: (value: unknown, ...rest: unknown[]) => JSON.stringify(value, null, typeof rest[0] === "number" ? rest[0] : undefined),
  /** `{{join list ", "}}`: list items joined with a separator (default ", "). */
  join: (list: unknown, ...rest: unknown[]) => (Array.isArray(list) ? list.join(typeof rest[0] === "string" ? rest[0] : ", ") : ""),
  /** `{{#if (eq a b)}}`: strict equality. */
  eq: (a: unknown, b: unknown) => a === b,
  /** `{{default value "fallback"}}`: the value, or the fallback when it is undefined, null or "". */
  default: (value: unknown, fallback: unknown) => (value === undefined || value === null || value === "" ? fallback : value),
};

/** Handlebars' own block and inline helpers that templates may call. */
export const BUILTIN_HELPERS = ["if", "unless", "each", "with", "lookup", "blockHelperMissing", "helperMissing"];

/** Every helper name a template may call: brainc's and Handlebars' own. */
export const HELPER_NAMES: ReadonlySet<string> = new Set([...Object.keys(HELPERS), ...BUILTIN_HELPERS]);
