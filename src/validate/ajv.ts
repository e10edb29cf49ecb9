import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";
import { packagePath } from "../package-root.js";

/** The schema files under `schemas/`, by kind: schemas/<kind>.schema.json. */
export const SCHEMA_KINDS = ["brain", "models", "routing", "agent", "prompt", "tool", "policy", "memory", "overlay"] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];
/** The draft-07 meta-schema, used to check JSON Schemas embedded in a brain (tool input, memory record). */
export const META_SCHEMA_ID = "http://json-schema.org/draft-07/schema";

/** Ajv options shared by the live compiler and the precompiled module (they must agree). */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true } as const;

export type Validators = Record<SchemaKind | "meta", ValidateFunction>;

/** Where `npm run build` writes the precompiled (ajv standalone) validators. */
export const PRECOMPILED = "dist/validators.cjs";

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
export async function compileValidators(options: { code?: { source: boolean } } = {}) {
  const { Ajv } = await import("ajv");
  const { default: addFormats } = await import("ajv-formats");
  const ajv = new Ajv({ ...AJV_OPTIONS, ...options });
  // ajv-formats is CommonJS: its function is the default export's `default` under NodeNext.
  (addFormats as unknown as { default: (a: typeof ajv) => void }).default(ajv);
  const schemas = readSchemas();
  for (const kind of SCHEMA_KINDS) ajv.addSchema(schemas[kind]);
  return { ajv, ids: Object.fromEntries([...SCHEMA_KINDS.map((k) => [k, schemas[k].$id]), ["meta", META_SCHEMA_ID]]) as Record<SchemaKind | "meta", string> };
}

let cached: Validators | undefined;

/** The validators, from the precompiled module when present (fast start-up), else compiled now. */
export async function validators(): Promise<Validators> {
  if (cached) return cached;
  try {
    cached = createRequire(import.meta.url)(packagePath(PRECOMPILED)) as Validators;
  } catch {
    const { ajv, ids } = await compileValidators();
    cached = Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, ajv.getSchema(id)!])) as Validators;
  }
  return cached;
}
