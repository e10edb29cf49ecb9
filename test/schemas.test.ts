/**
 * The JSON Schemas in schemas/ are the single source of truth of the format. They compile with ajv in
 * strict mode; every property and definition has a title and a description; every object is closed
 * (additionalProperties false, or a schema for maps) except the documented exceptions below; and
 * definitions shared by several schemas (same name) are identical.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileValidators, SCHEMA_KINDS } from "../src/validate/ajv.js";
import { repoRoot } from "./helpers.js";

const dir = join(repoRoot, "schemas");
const schemas: Record<string, any> = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".schema.json")).sort().map((f) => [f, JSON.parse(readFileSync(join(dir, f), "utf8"))]));

/**
 * Objects that may stay open, by schema file and JSON pointer (regular expression), with the reason.
 * Everything else must be closed.
 */
const OPEN_OBJECTS: [RegExp, string][] = [
  [/^(tool|memory)\.schema\.json#\/definitions\/jsonSchema(Object)?$/, "an embedded JSON Schema (tool input/output, memory record)"],
  [/^prompt\.schema\.json#\/definitions\/inputVariable$/, "an embedded JSON Schema (a prompt input variable)"],
  [/^brain\.schema\.json#\/properties\/targets\/additionalProperties$/, "third-party target options (the target's own optionsSchema validates them)"],
  [/^overlay\.schema\.json#\/properties\/(brain|models|routing|memory)$/, "an overlay body (a JSON Merge Patch, validated after merging)"],
  [/^overlay\.schema\.json#\/properties\/(agents|tools|policies)\/additionalProperties$/, "an overlay body (a JSON Merge Patch, validated after merging)"],
  [/^[a-z]+\.schema\.json#.*\/oneOf\/\d+$/, "a oneOf branch that only says which key is required"],
  [/^tool\.schema\.json#\/properties\/implementation\/properties\/http\/properties\/body$/, "a free-form JSON request body template (user data, like an embedded schema)"],
];

/** Walks a schema: calls `visit` with each subschema and its JSON pointer (skipping values such as enum, default). */
function walk(node: unknown, pointer: string, visit: (node: any, pointer: string) => void): void {
  if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${pointer}/${i}`, visit));
  if (typeof node !== "object" || node === null) return;
  visit(node, pointer);
  for (const [k, v] of Object.entries(node)) if (!["enum", "const", "default", "examples"].includes(k)) walk(v, `${pointer}/${k}`, visit);
}

const isObjectSchema = (n: any) => n.type === "object" || (Array.isArray(n.type) && n.type.includes("object")) || n.properties !== undefined;

describe("schemas/", () => {
  it("holds one schema per brain file kind", () => {
    expect(Object.keys(schemas)).toEqual(SCHEMA_KINDS.map((k) => `${k}.schema.json`).sort());
  });

  it("compile with ajv in strict mode (draft-07, with formats)", async () => {
    const { ajv, ids } = await compileValidators("full");
    for (const kind of SCHEMA_KINDS) expect(ajv.getSchema(ids[kind]), kind).toBeTypeOf("function");
  });

  it("every property and every definition has a title and a description", () => {
    const missing: string[] = [];
    for (const [file, schema] of Object.entries(schemas)) {
      expect(schema.title, file).toBeTruthy();
      expect(schema.description, file).toBeTruthy();
      walk(schema, "", (n, pointer) => {
        for (const [name, p] of Object.entries<any>(n.properties ?? {})) if (p !== true && (!p.title || !p.description)) missing.push(`${file}#${pointer}/properties/${name}`);
        for (const [name, d] of Object.entries<any>(n.definitions ?? {})) if (!d.title || !d.description) missing.push(`${file}#${pointer}/definitions/${name}`);
      });
    }
    expect(missing).toEqual([]);
  });

  it("every object is closed (additionalProperties false, or a schema for maps), except the documented exceptions", () => {
    const open: string[] = [];
    const used = new Set<RegExp>();
    for (const [file, schema] of Object.entries(schemas)) {
      walk(schema, "", (n, pointer) => {
        if (!isObjectSchema(n) || (n.additionalProperties !== undefined && n.additionalProperties !== true)) return;
        const where = `${file}#${pointer}`;
        const exception = OPEN_OBJECTS.find(([re]) => re.test(where));
        if (exception) used.add(exception[0]);
        else open.push(where);
      });
    }
    expect(open).toEqual([]);
    // An exception that matches nothing is stale: remove it.
    expect(OPEN_OBJECTS.filter(([re]) => !used.has(re)).map(([re]) => re.source)).toEqual([]);
  });

  it("definitions with the same name in several schemas are byte-identical", () => {
    const byName = new Map<string, [string, string][]>();
    for (const [file, schema] of Object.entries(schemas)) {
      for (const [name, def] of Object.entries(schema.definitions ?? {})) byName.set(name, [...(byName.get(name) ?? []), [file, JSON.stringify(def, null, 2)]]);
    }
    const shared = [...byName.entries()].filter(([, defs]) => defs.length > 1);
    expect(shared.length).toBeGreaterThan(0);
    for (const [name, defs] of shared) {
      for (const [file, text] of defs.slice(1)) expect(text, `definitions/${name} in ${file} differs from ${defs[0][0]}`).toBe(defs[0][1]);
    }
  });

  it("every $ref resolves inside its own schema", () => {
    for (const [file, schema] of Object.entries(schemas)) {
      walk(schema, "", (n) => {
        if (typeof n.$ref !== "string") return;
        expect(n.$ref, file).toMatch(/^#\/definitions\//);
        expect(schema.definitions?.[n.$ref.slice("#/definitions/".length)], `${file} ${n.$ref}`).toBeDefined();
      });
    }
  });

  it("each schema has a stable $id under https://brainc.dev/schemas/v1/", () => {
    for (const [file, schema] of Object.entries(schemas)) expect(schema.$id).toBe(`https://brainc.dev/schemas/v1/${file}`);
  });
});
