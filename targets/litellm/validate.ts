import type { ValidateFunction } from "ajv";
import { precompiledOr } from "../../src/validate/precompiled.js";

/** A schema violation: JSON pointer and ajv's message. */
export interface SchemaError {
  schema: "strict" | "permissive";
  pointer: string;
  message: string;
}

type Validators = { strict: ValidateFunction; permissive: ValidateFunction };

/** Where `npm run build` writes both validators as ajv standalone code (loading them beats compiling them). */
export const PRECOMPILED_VALIDATORS = "dist/targets/litellm/config.validators.cjs";

/**
 * Compiles the two LiteLLM config schemas (targets/litellm/schema/, see SOURCE.md) with one ajv instance.
 * `source: true` keeps the code for `npm run build` to write out as a standalone module.
 */
export async function compileSchemas(options: { source?: boolean } = {}) {
  const [{ Ajv }, strict, permissive] = await Promise.all([
    import("ajv"),
    import("./schema/config.strict.schema.json", { with: { type: "json" } }),
    import("./schema/config.permissive.schema.json", { with: { type: "json" } }),
  ]);
  const ajv = new Ajv({ allErrors: true, strict: true, code: { source: options.source ?? false } });
  return { ajv, validators: { strict: ajv.compile(strict.default), permissive: ajv.compile(permissive.default) } };
}

let compiled: Promise<Validators> | undefined;

/** The validators: the precompiled module when the build wrote it, else compiled on first use. */
function validators(): Promise<Validators> {
  compiled ??= precompiledOr(PRECOMPILED_VALIDATORS, async () => (await compileSchemas()).validators);
  return compiled;
}

/**
 * Validates a parsed LiteLLM proxy config against brainc's strict emitter profile and the permissive schema
 * (what the proxy accepts), both JSON Schema draft-07 hand-derived from LiteLLM's pydantic types.
 */
export async function validateConfig(config: unknown): Promise<SchemaError[]> {
  const v = await validators();
  const errors: SchemaError[] = [];
  for (const schema of ["strict", "permissive"] as const) {
    if (v[schema](config)) continue;
    for (const e of v[schema].errors ?? []) {
      const extra = e.keyword === "additionalProperties" ? ` ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}` : "";
      errors.push({ schema, pointer: e.instancePath, message: `${e.message ?? "is invalid"}${extra}` });
    }
  }
  return errors;
}
