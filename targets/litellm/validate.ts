import type { ValidateFunction } from "ajv";

/** A schema violation: JSON pointer and ajv's message. */
export interface SchemaError {
  schema: "strict" | "permissive";
  pointer: string;
  message: string;
}

let compiled: Promise<{ strict: ValidateFunction; permissive: ValidateFunction }> | undefined;

/** Compiles the two LiteLLM config schemas (targets/litellm/schema/, see SOURCE.md) once, on first use. */
function validators(): Promise<{ strict: ValidateFunction; permissive: ValidateFunction }> {
  compiled ??= (async () => {
    const [{ Ajv }, strict, permissive] = await Promise.all([
      import("ajv"),
      import("./schema/config.strict.schema.json", { with: { type: "json" } }),
      import("./schema/config.permissive.schema.json", { with: { type: "json" } }),
    ]);
    const ajv = new Ajv({ allErrors: true, strict: true });
    return { strict: ajv.compile(strict.default), permissive: ajv.compile(permissive.default) };
  })();
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
