import type { ErrorObject } from "ajv";
import type { Diagnostic, Range } from "../diagnostics/diagnostic.js";
import { diagnostic, type Code } from "../diagnostics/codes.js";
import { plural } from "../diagnostics/format.js";
import type { SourceFile, SourceSet } from "../load/load.js";
import { SCHEMA_OF_KIND } from "../load/places.js";
import { escapePointer, rangeAt, unescapePointer } from "../load/yaml.js";
import { durationSuggestion } from "../link/durations.js";
import { validators, type SchemaKind, type Validators } from "./ajv.js";
import { didYouMean, didYouMeanHint } from "./did-you-mean.js";
import { checkSchemaReferences } from "./schema-refs.js";

/**
 * Validates every YAML document (and prompt frontmatter) against its kind's schema in `schemas/`, and
 * every JSON Schema embedded in the brain against the draft-07 meta-schema. Each ajv error becomes one
 * diagnostic (BRN101–BRN109) at the line:column of the offending key or value.
 */
export async function validateSchemas(sources: SourceSet): Promise<Diagnostic[]> {
  const v = await validators();
  const diagnostics: Diagnostic[] = [];
  for (const file of sources.files) {
    if (!file.yaml || file.kind === "partial") continue;
    const locate: Locate = (pointer, part) => ({ file: file.path, range: rangeAt(file.yaml!, pointer, part) });
    const errors = validateValue(v, SCHEMA_OF_KIND[file.kind] as SchemaKind, file.yaml.value, locate, { id: file.id });
    const embedded = errors.length ? [] : validateEmbeddedSchemas(v, file.kind, file.yaml.value, locate);
    diagnostics.push(...errors, ...embedded);
  }
  return diagnostics;
}

/**
 * Validates one value against a kind's schema; `locate` turns JSON pointers into source locations.
 * `context` (the document's id, and whether an overlay creates it) makes some messages and hints specific.
 */
export function validateValue(v: Validators, kind: SchemaKind, value: unknown, locate: Locate, context: Omit<ErrorContext, "kind"> = {}): Diagnostic[] {
  const validate = v[kind];
  if (validate(value)) return [];
  return mapErrors(validate.errors ?? [], locate, "", undefined, { ...context, kind });
}

/** What is known about the document being validated, for messages and hints about its top level. */
export interface ErrorContext {
  kind?: SchemaKind;
  /** The document's id (an agent's file stem). */
  id?: string;
  /**
   * Set when an overlay creates the document (an id the base brain does not have): its missing required
   * keys follow from that, often from a misspelt id (`suggestion`, the closest id of the base brain).
   */
  createdByOverlay?: { suggestion?: string };
}

/** Where the embedded JSON Schemas of each kind live (JSON pointers; `*` is any key). */
const EMBEDDED: Partial<Record<SourceFile["kind"], string[]>> = {
  tool: ["/input", "/output"],
  memory: ["/namespaces/*/record"],
  prompt: ["/input/*"],
};

/**
 * BRN108 for each JSON Schema embedded in a document of `kind` (a tool's input and output, a memory
 * namespace's record, a prompt's inputs) that is not a valid draft-07 schema, or whose references or
 * patterns a build cannot use ({@link checkSchemaReferences}); `locate` turns JSON pointers
 * into source locations. For brain files, and for the documents an overlay patches.
 */
export function validateEmbeddedSchemas(v: Validators, kind: string, value: unknown, locate: Locate): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const pattern of EMBEDDED[kind as SourceFile["kind"]] ?? []) {
    for (const [pointer, schema] of expand(value, pattern)) {
      if (!v.meta(schema)) out.push(...mapErrors(v.meta.errors ?? [], locate, pointer, "BRN108"));
      else out.push(...checkSchemaReferences(schema, pointer, locate));
    }
  }
  return out;
}

function expand(value: unknown, pattern: string): [string, unknown][] {
  let found: [string, unknown][] = [["", value]];
  for (const segment of pattern.split("/").slice(1)) {
    const next: [string, unknown][] = [];
    for (const [ptr, v] of found) {
      if (typeof v !== "object" || v === null) continue;
      const keys = segment === "*" ? Object.keys(v).sort() : [segment];
      for (const k of keys) if (k in v) next.push([`${ptr}/${escape(k)}`, (v as Record<string, unknown>)[k]]);
    }
    found = next;
  }
  return found;
}

const escape = escapePointer;

/**
 * Turns a JSON pointer into the file and range where it was written (a missing key: where its parent
 * was written, or the overlay `null` that deleted it, with `removed`).
 */
export type Locate = (pointer: string, part: "key" | "value") => { file?: string; range?: Range; removed?: boolean };

/**
 * Turns ajv errors into diagnostics. `prefix` is prepended to instance paths (for embedded schemas);
 * `forceCode` replaces the code (BRN108 for embedded schemas, BRN503 target options, BRN325 input
 * defaults). The errors must come from a validator compiled with ajv's `verbose` option (their `data`,
 * `schema` and `parentSchema` are read). A failed anyOf/oneOf becomes one
 * diagnostic, not one per branch (see `alternativesDiagnostics`).
 */
export function mapErrors(errors: ErrorObject[], locate: Locate, prefix = "", forceCode?: Code, context: ErrorContext = {}): Diagnostic[] {
  // A failed propertyNames reports the key's own error (with `propertyName`) and then itself; keep the first.
  // A value of the wrong type also fails the enum beside its `type` ({type: string, enum: […]}): the type says it.
  const wrongType = errors.filter((e) => e.keyword === "type");
  // A misspelt required key (`promt:`) is one mistake: the unknown key's did-you-mean names the missing one.
  const misspelt = new Set(
    errors
      .filter((e) => e.keyword === "additionalProperties")
      .flatMap((e) => {
        const meant = didYouMean(String(e.params.additionalProperty), Object.keys((e.parentSchema as { properties?: object })?.properties ?? {}));
        return meant === undefined ? [] : [`${e.instancePath}/${meant}`];
      }),
  );
  const kept = errors.filter(
    (e) =>
      e.keyword !== "propertyNames" &&
      !((e.keyword === "enum" || e.keyword === "const") && wrongType.some((t) => t.instancePath === e.instancePath && t.parentSchema === e.parentSchema)) &&
      !(e.keyword === "required" && misspelt.has(`${e.instancePath}/${String(e.params.missingProperty)}`)),
  );
  const created = context.createdByOverlay ? missingFromCreated(kept, locate, prefix, forceCode, context) : undefined;
  const rest = created ? kept.filter((e) => !created.errors.includes(e)) : kept;
  return [...(created?.diagnostics ?? []), ...groupAlternatives(rest).flatMap((item) => itemDiagnostics(item, errors, locate, prefix, forceCode, context))];
}

/** How a BRN102 message ends when it is about an entity the overlay creates ({@link missingFromCreated}). */
export const CREATED_BY_OVERLAY = ", which the overlay creates";

/**
 * The required keys missing at the top of an entity the overlay creates (`context.createdByOverlay`), as
 * one diagnostic (BRN102) at the entity's id, usually a misspelt id of the base brain's: one mistake, one
 * line. Keys an overlay null removed are left to {@link toDiagnostic}. Undefined when none is missing.
 */
function missingFromCreated(errors: ErrorObject[], locate: Locate, prefix: string, forceCode: Code | undefined, context: ErrorContext): { errors: ErrorObject[]; diagnostics: Diagnostic[] } | undefined {
  const found = errors.filter((e) => e.keyword === "required" && prefix + e.instancePath === "" && !locate(`/${escape(String(e.params.missingProperty))}`, "key").removed);
  if (!found.length) return undefined;
  const keys = found.map((e) => JSON.stringify(String(e.params.missingProperty)));
  const { file, range } = locate(`/${escape(String(found[0].params.missingProperty))}`, "key");
  const { suggestion } = context.createdByOverlay!;
  const hint = suggestion !== undefined ? `did you mean ${JSON.stringify(suggestion)}? a misspelt id creates a new ${context.kind} instead of patching the base brain's` : `a new ${context.kind} needs every required key; to patch one of the base brain, use its id`;
  const list = keys.length === 1 ? keys[0] : `${keys.slice(0, -1).join(", ")} and ${keys.at(-1)}`;
  const message = `missing required ${keys.length === 1 ? "key" : "keys"} ${list} in ${context.kind} ${JSON.stringify(context.id)}${CREATED_BY_OVERLAY}`;
  return { errors: found, diagnostics: [diagnostic(forceCode ?? "BRN102", message, { file, range, hint })] };
}

/** An ajv error; for a failed anyOf/oneOf, with the errors of its branches (`branches`, in ajv's order). */
interface Item {
  error: ErrorObject;
  branches?: Item[];
}

/**
 * Nests the errors of each failed anyOf/oneOf under it. ajv reports a failed anyOf/oneOf right after the
 * errors of its branches: the errors just before it at or under its instance path, up to the first one
 * from the schema object that holds the anyOf (its own keywords, such as `type`, report at the same path,
 * before or after it). The schema path cannot tell branch errors apart: errors inside a `$ref` branch
 * carry the referenced schema's path (`#/definitions/simpleTypes/enum`).
 */
function groupAlternatives(errors: ErrorObject[]): Item[] {
  const out: Item[] = [];
  for (const error of errors) {
    if (error.keyword !== "anyOf" && error.keyword !== "oneOf") {
      out.push({ error });
      continue;
    }
    let start = out.length;
    while (start > 0 && within(out[start - 1].error.instancePath, error.instancePath) && out[start - 1].error.parentSchema !== error.parentSchema) start--;
    out.push({ error, branches: out.splice(start) });
  }
  return out;
}

/** Whether instance path `path` is `base` or inside it. */
function within(path: string, base: string): boolean {
  return path === base || path.startsWith(base + "/");
}

function itemDiagnostics(item: Item, all: ErrorObject[], locate: Locate, prefix: string, forceCode: Code | undefined, context: ErrorContext): Diagnostic[] {
  return item.branches ? alternativesDiagnostics(item.error, item.branches, all, locate, prefix, forceCode, context) : [toDiagnostic(item.error, locate, prefix, forceCode, context)];
}

/**
 * The diagnostics of a failed anyOf/oneOf `e` (with its `branches`), much as editors report one: none
 * when the value already has the wrong type for the schema holding it (that type error says it all); the
 * errors inside the value, or the rule it broke, when a branch matched its type (the other branches only
 * say that the type differs); else one diagnostic that names the alternatives.
 */
function alternativesDiagnostics(e: ErrorObject, branches: Item[], all: ErrorObject[], locate: Locate, prefix: string, forceCode: Code | undefined, context: ErrorContext): Diagnostic[] {
  if (all.some((o) => o.keyword === "type" && o.instancePath === e.instancePath && o.parentSchema === e.parentSchema)) return [];
  const specific = branches.filter((b) => b.error.instancePath !== e.instancePath || (!b.branches && !ALTERNATIVE.has(b.error.keyword)));
  if (specific.length) return specific.flatMap((b) => itemDiagnostics(b, all, locate, prefix, forceCode, context));
  const path = prefix + e.instancePath;
  const where = path ? ` in ${dotted(path)}` : "";
  const at = (part: "key" | "value", code: Code, message: string, hint?: string) => [diagnostic(forceCode ?? code, message, { ...locate(path, part), hint })];
  const required = ((e.schema as { required?: string[] }[]) ?? []).map((b) => b.required?.join(" + "));
  if (e.keyword === "oneOf" && required.length && required.every(Boolean)) {
    // Branches that each require keys: "exactly one of http, mcp, builtin".
    const present = required.filter((b) => b!.split(" + ").every((k) => typeof e.data === "object" && e.data !== null && k in e.data));
    return at("key", "BRN107", present.length > 1 ? `only one of ${present.join(", ")} may be given${where}` : `exactly one of ${required.join(", ")} is required${where}`);
  }
  const leaves = branches.flatMap(function flat(b: Item): ErrorObject[] {
    return b.branches ? b.branches.flatMap(flat) : [b.error];
  });
  if (!leaves.length) return at("value", "BRN109", `${path ? dotted(path) : "value"} ${e.message}`);
  const alternatives = [...new Set(leaves.flatMap((leaf) => alternative(leaf, e.schema as unknown[])))];
  const hint = leaves.map((l) => (l.keyword === "enum" && typeof l.data === "string" ? didYouMeanHint(l.data, (l.params as { allowedValues: unknown[] }).allowedValues.map(String)) : undefined)).find(Boolean);
  const code = leaves.every((l) => l.keyword === "type") ? "BRN106" : leaves.some((l) => l.keyword === "enum" || l.keyword === "const") ? "BRN103" : "BRN109";
  const subject = path ? dotted(path) : "the file";
  const message = alternatives.every((a) => a.startsWith("be "))
    ? `${subject} must be ${orList(alternatives.map((a) => a.slice(3)))}, not ${typeName(e.data)}`
    : `${subject} must ${orList(alternatives)}`;
  return at("value", code, message, hint);
}

/**
 * Keywords whose failure in a branch only says that the value is not that branch's kind of value; any
 * other failure (errors inside the value, minItems, pattern …) comes from a branch that took the value.
 */
const ALTERNATIVE = new Set(["type", "enum", "const", "required"]);

/**
 * What one branch error of an anyOf/oneOf asks of the value, after "must": `be a list of strings`, `be
 * one of "a", "b"`; a list whose items are another alternative (`siblings`, the branches) is `be a list of
 * them`.
 */
function alternative(e: ErrorObject, siblings: unknown[]): string[] {
  const params = e.params as Record<string, any>;
  switch (e.keyword) {
    case "type": {
      const items = (e.parentSchema as { items?: { type?: unknown } } | undefined)?.items;
      return typeWords(params.type, siblings.length > 1).map((w) => `be ${w === "a list" ? `a list${listOf(items, siblings)}` : w}`);
    }
    case "enum":
      return [`be one of ${params.allowedValues.map((a: unknown) => JSON.stringify(a)).join(", ")}`];
    case "const":
      return [`be ${JSON.stringify(params.allowedValue)}`];
    default:
      return [String(e.message).replace(/^must /, "")];
  }
}

/** What a list's `items` are, after "a list": ` of them` (another of the alternatives), ` of strings`, or nothing. */
function listOf(items: { type?: unknown } | undefined, alternatives: unknown[]): string {
  if (items === undefined) return "";
  if (alternatives.some((a) => JSON.stringify(a) === JSON.stringify(items))) return " of them";
  const word = typeof items.type === "string" ? TYPE_WORDS[items.type] : undefined;
  return word && /^an? /.test(word) ? ` of ${word.replace(/^an? /, "")}s` : "";
}

/** `["a", "b", "c"]` → `a, b, or c`; `["a", "b"]` → `a or b` (`a, or b` when `a` holds a comma). */
function orList(words: string[]): string {
  if (words.length < 2) return words.join("");
  const comma = words.length > 2 || words.some((w) => w.includes(","));
  return `${words.slice(0, -1).join(", ")}${comma ? "," : ""} or ${words[words.length - 1]}`;
}

function toDiagnostic(e: ErrorObject, locate: Locate, prefix: string, forceCode: Code | undefined, context: ErrorContext): Diagnostic {
  const path = prefix + e.instancePath;
  const at = (pointer: string, part: "key" | "value", code: Code, message: string, hint?: string) =>
    diagnostic(forceCode ?? code, message, { ...locate(pointer, part), hint });
  const name = dotted(path);
  const where = path ? ` in ${name}` : "";
  const params = e.params as Record<string, any>;
  const title = (e.parentSchema as { title?: string } | undefined)?.title;
  if (e.propertyName !== undefined) {
    const pointer = `${path}/${escape(e.propertyName)}`;
    return at(pointer, "key", "BRN104", `key ${JSON.stringify(e.propertyName)}${where} ${e.message}`);
  }
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      const hint = (path === "" ? misplacedKeyHint(key, context) : undefined) ?? didYouMeanHint(key, known) ?? (known.length ? `known keys: ${known.join(", ")}` : undefined);
      return at(`${path}/${escape(key)}`, "key", "BRN101", `unknown key ${JSON.stringify(key)}${where}`, hint);
    }
    case "required": {
      // Located at the missing key itself: the overlay null that deleted it, else (as before) its parent.
      // (Keys missing from an entity the overlay creates are reported together: missingFromCreated.)
      const { file, range, removed } = locate(`${path}/${escape(String(params.missingProperty))}`, "key");
      const message = `missing required key ${JSON.stringify(params.missingProperty)}${where || " at the top level"}`;
      if (!removed) return diagnostic(forceCode ?? "BRN102", message, { file, range });
      return diagnostic(forceCode ?? "BRN102", `${message}: the overlay's null removes it`, { file, range, hint: "null in an overlay deletes the key; give the key a value there instead, or drop the line" });
    }
    case "enum":
    case "const": {
      const allowed: unknown[] = e.keyword === "enum" ? params.allowedValues : [params.allowedValue];
      const hint = typeof e.data === "string" ? didYouMeanHint(e.data, allowed.map(String)) : undefined;
      return at(path, "value", "BRN103", `${JSON.stringify(e.data)} is not allowed${where}: expected ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, hint);
    }
    case "pattern":
    case "format": {
      const kind = title ?? (e.keyword === "format" ? params.format : "value");
      const rule = e.keyword === "pattern" ? `must match ${params.pattern}` : `must be a ${params.format}`;
      return at(path, "value", "BRN104", `${JSON.stringify(e.data)} is not a valid ${kind}${where}: ${rule}`, durationHint(e) ?? spellingHint(e) ?? examplesHint(e.parentSchema));
    }
    case "type":
      return at(path, "value", "BRN106", `${path ? name : "the file"} must be ${orList(typeWords(params.type))}, not ${typeName(e.data)}`);
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
    case "minItems":
    case "maxItems":
    case "minLength":
    case "maxLength":
    case "minProperties":
    case "maxProperties":
    case "uniqueItems":
      return at(path, "value", "BRN105", `${path ? name : "value"} ${rangeRule(e.keyword, params)}${e.keyword === "uniqueItems" ? "" : `, not ${sizeOf(e.keyword, e.data)}`}`);
    default:
      return at(path, "value", "BRN109", `${path ? name : "value"} ${e.message}`);
  }
}

/** `/schedules/0/every` → `schedules[0].every` (how users read a path into their YAML). */
function dotted(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map(unescapePointer)
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "");
}

const TYPE_WORDS: Record<string, string> = { integer: "an integer", array: "a list", object: "a mapping", string: "a string", number: "a number", boolean: "true or false", null: "null" };

/**
 * A JSON Schema type or list of types in words, one per type: `["object", "null"]` → `a mapping`, `null`.
 * `among` other alternatives, boolean is `true/false` ("a mapping, true or false, or a list" reads badly).
 */
function typeWords(type: string | string[], among = Array.isArray(type) && type.length > 1): string[] {
  return [type].flat().map((t) => (among && t === "boolean" ? "true/false" : (TYPE_WORDS[t] ?? t)));
}

/** A range or size rule in words: "must be at least 1", "must have at least 1 item", "must not repeat items (1 and 3 are equal)". */
function rangeRule(keyword: string, params: Record<string, any>): string {
  switch (keyword) {
    case "minimum":
      return `must be at least ${params.limit}`;
    case "maximum":
      return `must be at most ${params.limit}`;
    case "exclusiveMinimum":
      return `must be more than ${params.limit}`;
    case "exclusiveMaximum":
      return `must be less than ${params.limit}`;
    case "minItems":
      return `must have at least ${plural(params.limit, "item")}`;
    case "maxItems":
      return `must have at most ${plural(params.limit, "item")}`;
    case "minLength":
      return `must be at least ${plural(params.limit, "character")} long`;
    case "maxLength":
      return `must be at most ${plural(params.limit, "character")} long`;
    case "minProperties":
      return `must have at least ${plural(params.limit, "key")}`;
    case "maxProperties":
      return `must have at most ${plural(params.limit, "key")}`;
    default: // uniqueItems (ajv's i and j are 0-based indexes, shown as list[i] is elsewhere)
      return `must not repeat an item ([${params.j}] and [${params.i}] are equal)`;
  }
}

/** What a range or size rule found (after "not"): the number, or the count of items, characters or keys. */
function sizeOf(keyword: string, data: unknown): string {
  if (keyword.endsWith("Items") && Array.isArray(data)) return `${data.length}`;
  if (keyword.endsWith("Length") && typeof data === "string") return `${[...data].length}`;
  if (keyword.endsWith("Properties") && typeof data === "object" && data !== null) return `${Object.keys(data).length}`;
  return JSON.stringify(data);
}

/**
 * Keys that people put into a file of one kind but that live elsewhere, with where they go (a top-level
 * key that the kind's schema does not have). `id` is the document's id.
 */
const MISPLACED_KEYS: Partial<Record<SchemaKind, Record<string, (id: string) => string>>> = {
  agent: {
    budget: (id) => `budgets live in routing.yaml under budgets.agents.${id}`,
    budgets: (id) => `budgets live in routing.yaml under budgets.agents.${id}`,
    model: () => "an agent names no model: it picks a task class with task:, and routing.yaml routes each task class to models",
    models: () => "an agent names no model: it picks a task class with task:, and routing.yaml routes each task class to models",
  },
};

/** The hint for a top-level key of a document that belongs in another file, or undefined. */
function misplacedKeyHint(key: string, context: ErrorContext): string | undefined {
  const hints = context.kind && MISPLACED_KEYS[context.kind];
  return hints && Object.hasOwn(hints, key) ? hints[key](context.id ?? `<${context.kind} id>`) : undefined;
}

/** A duration's pattern (`^[0-9]+(ms|s|m|h|d)$`, alone or among other alternatives). */
const DURATION_PATTERN = "[0-9]+(ms|s|m|h|d)";

/** For a malformed duration with a clear meaning (`15 min`, `0.25h`, `1w`): its brain spelling and why. */
function durationHint(e: ErrorObject): string | undefined {
  if (e.keyword !== "pattern" || typeof e.data !== "string" || !String((e.params as { pattern?: string }).pattern).includes(DURATION_PATTERN)) return undefined;
  const suggestion = durationSuggestion(e.data);
  return suggestion && `did you mean ${JSON.stringify(suggestion.duration)}? ${suggestion.why}`;
}

/**
 * For an id that misses its pattern by a common slip, the spelling that matches: `daily-summary` for a
 * task class (`daily_summary`), `openai/gpt-5-mini` for a model id (`gpt-5-mini`), upper case.
 */
function spellingHint(e: ErrorObject): string | undefined {
  if (e.keyword !== "pattern" || typeof e.data !== "string") return undefined;
  let pattern: RegExp;
  try {
    pattern = new RegExp(String((e.params as { pattern?: string }).pattern), "u");
  } catch {
    return undefined;
  }
  const value = e.data;
  const spellings = [value.replace(/-/g, "_"), value.replace(/_/g, "-"), value.slice(value.lastIndexOf("/") + 1), value.toLowerCase(), value.toLowerCase().replace(/[\s_]+/g, "-"), value.toLowerCase().replace(/[\s-]+/g, "_")];
  const meant = spellings.find((s) => s !== value && s !== "" && pattern.test(s));
  return meant === undefined ? undefined : `did you mean ${JSON.stringify(meant)}?`;
}

function examplesHint(schema: unknown): string | undefined {
  const s = schema as { examples?: unknown[]; description?: string } | undefined;
  if (s?.examples?.length) return `for example ${s.examples.map((x) => JSON.stringify(x)).join(", ")}`;
  return undefined;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}
