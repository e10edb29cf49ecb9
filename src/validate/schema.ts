import type { ErrorObject } from "ajv";
import type { Diagnostic, Range } from "../diagnostics/diagnostic.js";
import { diagnostic, type Code } from "../diagnostics/codes.js";
import type { SourceFile, SourceSet } from "../load/load.js";
import { SCHEMA_OF_KIND } from "../load/places.js";
import { escapePointer, rangeAt } from "../load/yaml.js";
import { validators, type SchemaKind, type Validators } from "./ajv.js";
import { didYouMeanHint } from "./did-you-mean.js";

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
    const errors = validateValue(v, SCHEMA_OF_KIND[file.kind] as SchemaKind, file.yaml.value, locate);
    const embedded = errors.length ? [] : validateEmbeddedSchemas(v, file);
    diagnostics.push(...errors, ...embedded);
  }
  return diagnostics;
}

/** Validates one value against a kind's schema; `locate` turns JSON pointers into source locations. */
export function validateValue(v: Validators, kind: SchemaKind, value: unknown, locate: Locate): Diagnostic[] {
  const validate = v[kind];
  if (validate(value)) return [];
  return mapErrors(validate.errors ?? [], locate);
}

/** Where the embedded JSON Schemas of each kind live (JSON pointers; `*` is any key). */
const EMBEDDED: Partial<Record<SourceFile["kind"], string[]>> = {
  tool: ["/input", "/output"],
  memory: ["/namespaces/*/record"],
  prompt: ["/input/*"],
};

function validateEmbeddedSchemas(v: Validators, file: SourceFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const pattern of EMBEDDED[file.kind] ?? []) {
    for (const [pointer, schema] of expand(file.yaml!.value, pattern)) {
      if (!v.meta(schema)) {
        out.push(...mapErrors(v.meta.errors ?? [], (p, part) => ({ file: file.path, range: rangeAt(file.yaml!, p, part) }), pointer, "BRN108"));
      }
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

/** Turns a JSON pointer into the file and range where it was written. */
export type Locate = (pointer: string, part: "key" | "value") => { file: string; range: Range };

/**
 * Turns ajv errors into diagnostics. `prefix` is prepended to instance paths (for embedded schemas);
 * `forceCode` replaces the code (BRN108 for embedded schemas).
 */
export function mapErrors(errors: ErrorObject[], locate: Locate, prefix = "", forceCode?: Code): Diagnostic[] {
  // A failed oneOf reports its branches' errors too; keep only the oneOf itself.
  const oneOfPaths = errors.filter((e) => e.keyword === "oneOf").map((e) => e.schemaPath + "/");
  // A failed propertyNames reports the key's own error (with `propertyName`) and then itself; keep the first.
  const kept = errors.filter((e) => e.keyword !== "propertyNames" && !oneOfPaths.some((p) => e.schemaPath.startsWith(p)));
  return kept.map((e) => toDiagnostic(e, locate, prefix, forceCode));
}

function toDiagnostic(e: ErrorObject, locate: Locate, prefix: string, forceCode?: Code): Diagnostic {
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
      const hint = didYouMeanHint(key, known) ?? (known.length ? `known keys: ${known.join(", ")}` : undefined);
      return at(`${path}/${escape(key)}`, "key", "BRN101", `unknown key ${JSON.stringify(key)}${where}`, hint);
    }
    case "required":
      return at(path, "key", "BRN102", `missing required key ${JSON.stringify(params.missingProperty)}${where || " at the top level"}`);
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
      return at(path, "value", "BRN104", `${JSON.stringify(e.data)} is not a valid ${kind}${where}: ${rule}`, examplesHint(e.parentSchema));
    }
    case "type":
      return at(path, "value", "BRN106", `${path ? name : "the file"} must be ${article(params.type)}, not ${typeName(e.data)}`);
    case "oneOf": {
      const branches = ((e.schema as { required?: string[] }[]) ?? []).map((b) => b.required?.join(" + ")).filter(Boolean);
      const present = branches.filter((b) => b!.split(" + ").every((k) => typeof e.data === "object" && e.data !== null && k in e.data));
      const message = present.length > 1 ? `only one of ${present.join(", ")} may be given${where}` : `exactly one of ${branches.join(", ")} is required${where}`;
      return at(path, "key", "BRN107", message);
    }
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
      return at(path, "value", "BRN105", `${path ? name : "value"} ${e.message}`);
    default:
      return at(path, "value", "BRN109", `${path ? name : "value"} ${e.message}`);
  }
}

/** `/schedules/0/every` → `schedules[0].every` (how users read a path into their YAML). */
function dotted(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "");
}

function article(type: string): string {
  return ({ integer: "an integer", array: "a list", object: "a mapping", string: "a string", number: "a number", boolean: "true or false", null: "null" } as Record<string, string>)[type] ?? type;
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
