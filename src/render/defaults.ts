import type { ValidateFunction } from "ajv";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import type { TemplateDocument } from "../validate/documents.js";
import { escapePointer } from "../load/yaml.js";
import { mapErrors } from "../validate/schema.js";

let compile: ((schema: object) => ValidateFunction) | undefined;
/** Compiled input schemas by their JSON text: prompts tend to repeat the same small schemas. */
const compiled = new Map<string, ValidateFunction>();

/**
 * BRN325: each prompt input's `default` (the value the template is rendered with) must satisfy the rest
 * of its own JSON Schema. The schemas are the brain's, so they are compiled here (ajv, draft-07,
 * formats) — at build time, where the prompts are rendered, which keeps ajv off `brainc validate`'s path.
 */
export async function checkInputDefaults(prompts: Record<string, TemplateDocument>): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const prompt of Object.values(prompts)) {
    const input = (prompt.frontmatter.input ?? {}) as Record<string, { default?: unknown } & object>;
    for (const name of Object.keys(input).sort()) {
      const { default: value, ...schema } = input[name];
      if (!compile) {
        const { Ajv } = await import("ajv");
        const { default: addFormats } = await import("ajv-formats");
        const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, logger: false });
        (addFormats as unknown as { default: (a: typeof ajv) => void }).default(ajv);
        compile = (s) => ajv.compile(s);
      }
      const key = JSON.stringify(schema);
      let validate = compiled.get(key);
      let valid: boolean;
      try {
        if (!validate) compiled.set(key, (validate = compile(schema)));
        valid = validate(value) as boolean;
      } catch (e) {
        // A schema ajv cannot compile or that recurses forever, which validation did not rule out (see
        // checkSchemaReferences): reported, not thrown.
        out.push(diagnostic("BRN325", `the default of input.${name} cannot be checked: its schema does not compile (${(e as Error).message.split("\n")[0]})`, prompt.locate(`/input/${escapePointer(name)}`, "key")));
        continue;
      }
      if (valid) continue;
      // Worded like the brain's own schema errors, at the offending part of the default.
      out.push(...mapErrors(validate.errors ?? [], (pointer, part) => prompt.locate(pointer, part), `/input/${escapePointer(name)}/default`, "BRN325"));
    }
  }
  return out;
}
