import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";
import { packagePath } from "../package-root.js";
import { precompiledOr } from "./precompiled.js";

/** The schema files under `schemas/`, by kind: schemas/<kind>.schema.json. */
export const SCHEMA_KINDS = ["brain", "models", "routing", "agent", "prompt", "tool", "policy", "memory", "overlay"] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];
/** The draft-07 meta-schema, used to check JSON Schemas embedded in a brain (tool input, memory record). */
export const META_SCHEMA_ID = "http://json-schema.org/draft-07/schema";

/**
 * Ajv options shared by the live compiler and the precompiled modules (they must agree). Validation runs
 * in two modes: "fast" stops at the first error and is what valid files cost; "full" collects every
 * error with its schema (for messages and did-you-mean) and runs only on files that failed.
 */
export const AJV_OPTIONS = {
  full: { allErrors: true, verbose: true, strict: true, allowUnionTypes: true },
  fast: { allErrors: false, verbose: false, strict: true, allowUnionTypes: true },
} as const;
export type AjvMode = keyof typeof AJV_OPTIONS;

/** One validator per schema kind, plus `meta` (draft-07); each sets `.errors` like an ajv ValidateFunction. */
export type Validators = Record<SchemaKind | "meta", ValidateFunction>;

/** Where `npm run build` writes the precompiled (ajv standalone) validators of each mode. */
export const PRECOMPILED: Record<AjvMode, string> = { full: "dist/validators.cjs", fast: "dist/validators-fast.cjs" };

/** Reads one schema, schemas/<kind>.schema.json. */
export function readSchema(kind: SchemaKind): { $id: string } & Record<string, unknown> {
  return JSON.parse(readFileSync(packagePath(`schemas/${kind}.schema.json`), "utf8"));
}

/** Reads schemas/*.schema.json. */
export function readSchemas(): Record<SchemaKind, { $id: string } & Record<string, unknown>> {
  const out = {} as Record<SchemaKind, { $id: string }>;
  const files = new Set(readdirSync(packagePath("schemas")));
  for (const kind of SCHEMA_KINDS) {
    if (!files.has(`${kind}.schema.json`)) throw new Error(`schemas/${kind}.schema.json is missing`);
    out[kind] = JSON.parse(readFileSync(packagePath(`schemas/${kind}.schema.json`), "utf8"));
  }
  return out;
}

/**
 * Compiles every schema with ajv (and ajv-formats). Used by `npm run build` to write the precompiled
 * module, and at run time only when that module is missing (running from sources).
 */
export async function compileValidators(mode: AjvMode, options: { code?: { source: boolean } } = {}) {
  const { Ajv } = await import("ajv");
  const { default: addFormats } = await import("ajv-formats");
  const ajv = new Ajv({ ...AJV_OPTIONS[mode], ...options });
  // ajv-formats is CommonJS: its function is the default export's `default` under NodeNext.
  (addFormats as unknown as { default: (a: typeof ajv) => void }).default(ajv);
  const schemas = readSchemas();
  for (const kind of SCHEMA_KINDS) ajv.addSchema(schemas[kind]);
  return { ajv, ids: Object.fromEntries([...SCHEMA_KINDS.map((k) => [k, schemas[k].$id]), ["meta", META_SCHEMA_ID]]) as Record<SchemaKind | "meta", string> };
}

let cached: Validators | undefined;

function load(mode: AjvMode): Promise<Validators> {
  return precompiledOr(PRECOMPILED[mode], async () => {
    const { ajv, ids } = await compileValidators(mode);
    return Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, ajv.getSchema(id)!])) as Validators;
  });
}

/**
 * Runs the fast validator, and the full one (loaded on first need: valid brains never load it) only when
 * the value is invalid.
 */
function twoPhase(fast: ValidateFunction, full: () => ValidateFunction): ValidateFunction {
  const validate = ((data: unknown) => {
    if (fast(data)) {
      validate.errors = null;
      return true;
    }
    const thorough = full();
    const ok = thorough(data);
    validate.errors = thorough.errors;
    return ok;
  }) as ValidateFunction;
  return validate;
}

/** The validators, from the precompiled modules when present (fast start-up), else compiled now. */
export async function validators(): Promise<Validators> {
  if (cached) return cached;
  const fast = await load("fast");
  // The full validators are needed only for files with errors; a synchronous require keeps twoPhase sync.
  let full: Validators | undefined;
  const fullFor = (kind: SchemaKind | "meta") => () => (full ??= loadFullSync())[kind];
  cached = Object.fromEntries(Object.keys(fast).map((k) => [k, twoPhase(fast[k as SchemaKind], fullFor(k as SchemaKind))])) as Validators;
  if (!fullAvailableSync()) full = await load("full"); // running from sources: compile now, asynchronously
  return cached;
}

function fullAvailableSync(): boolean {
  try {
    createRequire(import.meta.url).resolve(packagePath(PRECOMPILED.full));
    return true;
  } catch {
    return false;
  }
}

function loadFullSync(): Validators {
  return createRequire(import.meta.url)(packagePath(PRECOMPILED.full)) as Validators;
}
