import { compile } from "json-schema-to-typescript";
import { readSchemas, SCHEMA_KINDS } from "../validate/ajv.js";
import { stripNestedTitles } from "./strip-titles.js";

const BANNER = "// Generated from schemas/*.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit.\n";

/**
 * The TypeScript types of every brain file kind, generated from `schemas/` with
 * json-schema-to-typescript: `src/types/<kind>.ts` per schema plus an `index.ts` that re-exports each
 * file's root type. Returns file name → contents (committed; a test fails when they drift).
 */
export async function generateTypes(): Promise<Record<string, string>> {
  const schemas = readSchemas();
  const files: Record<string, string> = {};
  const index: string[] = [BANNER];
  for (const kind of SCHEMA_KINDS) {
    const schema = schemas[kind] as unknown as { title: string };
    const ts = await compile(stripNestedTitles(schema) as object, schema.title, {
      bannerComment: "",
      additionalProperties: false,
      strictIndexSignatures: false,
      unknownAny: true,
      format: true,
      style: { printWidth: 120, singleQuote: false },
    });
    files[`${kind}.ts`] = BANNER + "\n" + ts;
    index.push(`export type { ${schema.title} } from "./${kind}.js";`);
  }
  files["index.ts"] = index.join("\n") + "\n";
  return files;
}
