import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Brain } from "../../src/link/model.js";
import { sha256Hex } from "../../src/emit/canonical.js";
import { STRIP_TITLES_MODULE, stripNestedTitles } from "../../src/schema-tools/strip-titles.js";
import { TRAVERSE_MODULE, traverseSchema } from "../../src/schema-tools/traverse.js";

/** `http-check` → `HttpCheck`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join("");
}

/** Everything `brain.ts` is made of: the brain's name and env, its ids, and the tool contracts' schemas. */
export interface TypeScriptInput {
  name: string;
  env: string;
  agentIds: string[];
  taskClasses: string[];
  tools: { id: string; input: object; output?: object }[];
}

/** The part of the brain that `brain.ts` is made of. */
export function typeScriptInput(brain: Brain): TypeScriptInput {
  return {
    name: brain.name,
    env: brain.env,
    agentIds: Object.keys(brain.agents),
    taskClasses: Object.keys(brain.tasks),
    tools: Object.values(brain.tools).map((t) => ({ id: t.id, input: t.input, ...(t.output !== undefined && { output: t.output }) })),
  };
}

/**
 * `name@version` of each installed package that `names` are or depend on (their `dependencies`, as Node
 * resolves them from each dependent's folder), sorted. A package that is not installed is left out.
 */
function installedVersions(names: readonly string[]): string[] {
  const found = new Map<string, string>(); // package.json path → name@version
  const visit = (name: string, from: string) => {
    const path = createRequire(from).resolve.paths(name)?.map((dir) => join(dir, name, "package.json")).find((p) => existsSync(p));
    if (!path || found.has(path)) return;
    const { version, dependencies = {} } = JSON.parse(readFileSync(path, "utf8")) as { version: string; dependencies?: Record<string, string> };
    found.set(path, `${name}@${version}`);
    for (const dependency of Object.keys(dependencies)) visit(dependency, path);
  };
  for (const name of names) visit(name, fileURLToPath(import.meta.url));
  return [...found.values()].sort();
}

let generator: string | undefined;
/**
 * The cache key of `brain.ts` (hex sha256): its input and the generator that turns it into TypeScript
 * (the code of this module, strip-titles and traverse, and the versions of json-schema-to-typescript,
 * json-schema-traverse, ts-morph and every package they depend on, TypeScript's printer among them), so
 * that a `brain.ts` from an earlier build is reused only when regenerating it would give the same text.
 */
export function typeScriptKey(input: TypeScriptInput): string {
  if (!generator) {
    const code = [import.meta.url, STRIP_TITLES_MODULE, TRAVERSE_MODULE].map((url) => sha256Hex(readFileSync(fileURLToPath(url))));
    generator = [...code, ...installedVersions(["json-schema-to-typescript", "json-schema-traverse", "ts-morph"])].join("\n");
  }
  return sha256Hex(`${generator}\n${JSON.stringify(input)}`);
}

/**
 * The type names of the tools' interfaces: `<Pascal id>` (`http-check` → `HttpCheck`), except for ids that
 * would share one (`a-b`, `a--b`; `check2`, `check-2`), which keep each `-` as `_` (`A_B`, `A__B`).
 */
function typeNames(ids: readonly string[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const id of ids) count.set(pascalCase(id), (count.get(pascalCase(id)) ?? 0) + 1);
  return new Map(ids.map((id) => [id, count.get(pascalCase(id))! > 1 ? id.split("-").map((p) => (p ? p[0].toUpperCase() + p.slice(1) : "")).join("_") : pascalCase(id)]));
}

/**
 * `schema` with a title for each of its root `definitions` and each subschema with a plain-name `$id`
 * (`#item`): `<name><Pascal key>`. json-schema-to-typescript names their types after the title, else after
 * the key or `$id`, which two tools' schemas may share (two `Item` declarations in one file).
 */
function withOwnNames(schema: object, name: string): object {
  const text = JSON.stringify(schema);
  if (!text.includes('"definitions"') && !text.includes('"$id"')) return schema;
  const copy = JSON.parse(text) as Record<string, unknown>;
  traverseSchema(copy, (sub, _pointer, parentPointer, keyword, key) => {
    if (keyword === "definitions" && parentPointer === "") sub.title = `${name}${pascalCase(String(key))}`;
    else if (typeof sub.$id === "string" && sub.$id.startsWith("#") && sub !== copy) sub.title = `${name}${pascalCase(sub.$id.slice(1))}`;
  });
  return copy;
}

/** Generated interfaces by (name, schema), kept across builds of one process (`build --watch`). */
const generated = new Map<string, Promise<string>>();

async function interfaceFor(schema: object, name: string): Promise<string> {
  const key = name + "\0" + JSON.stringify(schema);
  let ts = generated.get(key);
  if (!ts) {
    const { compile } = await import("json-schema-to-typescript");
    const prepared = { ...withOwnNames(stripNestedTitles(schema) as object, name), title: name };
    // No external $ref is resolved (validation refuses them, BRN108): a build reads no file and no URL.
    ts = compile(prepared, name, { bannerComment: "", format: false, strictIndexSignatures: true, declareExternallyReferenced: true, unknownAny: true, $refOptions: { resolve: { external: false } } });
    generated.set(key, ts);
  }
  return ts;
}

/**
 * `brain.ts`: the brain's ids as TypeScript types, for agent code that runs on the supervisor runtime:
 * `AgentId`, `TaskClass` and `ToolId` string-literal unions (and their values as const arrays),
 * `ToolTypes` (input and output type by tool id), written with ts-morph; and one input and one output
 * interface per tool contract (`<Tool>Input`, `<Tool>Output`), generated from the contracts' JSON Schemas
 * with json-schema-to-typescript. The whole file is laid out by the TypeScript printer. Loads ts-morph
 * and json-schema-to-typescript on first use (≈ 0.3 s).
 */
export async function buildTypeScript(input: TypeScriptInput): Promise<string> {
  const { IndentationText, NewLineKind, Project, QuoteKind, StructureKind, ts, VariableDeclarationKind } = await import("ts-morph");
  const project = new Project({ useInMemoryFileSystem: true, manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Double, newLineKind: NewLineKind.LineFeed } });
  const file = project.createSourceFile("brain.ts");
  const statements: import("ts-morph").StatementStructures[] = [];
  const union = (name: string, constName: string, values: string[], doc: string) => {
    statements.push(
      { kind: StructureKind.VariableStatement, isExported: true, declarationKind: VariableDeclarationKind.Const, declarations: [{ name: constName, initializer: `[${values.map((v) => JSON.stringify(v)).join(", ")}] as const` }], docs: [doc] },
      { kind: StructureKind.TypeAlias, isExported: true, name, type: `(typeof ${constName})[number]`, docs: [doc] },
    );
  };
  union("AgentId", "agentIds", input.agentIds, "The ids of the brain's agents.");
  union("TaskClass", "taskClasses", input.taskClasses, "The task classes declared in routing.yaml.");
  union("ToolId", "toolIds", input.tools.map((t) => t.id), "The ids of the brain's tool contracts.");
  const interfaces: string[] = [];
  const toolTypes: string[] = [];
  const names = typeNames(input.tools.map((t) => t.id));
  for (const tool of input.tools) {
    const base = names.get(tool.id)!;
    interfaces.push(await interfaceFor(tool.input, `${base}Input`), await interfaceFor(tool.output ?? { type: "object" }, `${base}Output`));
    toolTypes.push(`${JSON.stringify(tool.id)}: { input: ${base}Input; output: ${base}Output };`);
  }
  statements.push({ kind: StructureKind.TypeAlias, isExported: true, name: "ToolTypes", type: `{ ${toolTypes.join(" ")} }`, docs: ["Input and output type of each tool, by tool id."] });
  file.addStatements(statements);
  const header = `// Generated by brainc from the brain "${input.name}" (env: ${input.env}). Do not edit.\n`;
  // One parse and one pass of the TypeScript printer (not the formatter, which costs seconds on large
  // brains) gives the interfaces json-schema-to-typescript wrote a uniform layout.
  const text = header + file.getFullText() + interfaces.join("\n");
  if (lastPrinted?.text !== text) {
    // What ts-morph's SourceFile.print() does, without adding the file to the project's language service.
    const whole = ts.createSourceFile("brain.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    lastPrinted = { text, printed: ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false }).printFile(whole) };
  }
  return lastPrinted.printed;
}

/** The last file printed, so that a rebuild whose ids and tools did not change skips the printer. */
let lastPrinted: { text: string; printed: string } | undefined;
