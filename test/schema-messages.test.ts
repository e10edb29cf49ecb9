/**
 * Schema diagnostics (src/validate/schema.ts) for anyOf/oneOf and type lists: a failed anyOf/oneOf is one
 * diagnostic that names the alternatives (not one per branch plus "must match a schema in anyOf"), or the
 * error inside the value when one branch took it; a list of types reads as words ("a mapping or null").
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { compileBrain } from "../src/compile.js";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { AJV_OPTIONS } from "../src/validate/ajv.js";
import { mapErrors } from "../src/validate/schema.js";
import { minimalBrain } from "./corpus.js";
import { tempCopy } from "./helpers.js";

/** The errors of a copy of the minimal brain with `from` replaced by `to` in `file`, as code, place, message, hint. */
async function errorsAfter(file: string, from: string, to: string, env?: string): Promise<string[]> {
  const { dir, cleanup } = tempCopy(minimalBrain);
  try {
    const text = readFileSync(join(dir, file), "utf8");
    if (!text.includes(from)) throw new Error(`${file}: ${from} not found`);
    writeFileSync(join(dir, file), text.replace(from, to));
    const { diagnostics } = await compileBrain(dir, { env });
    return diagnostics.filter((d) => d.severity === "error").map(show);
  } finally {
    cleanup();
  }
}

const show = (d: Diagnostic) => `${d.code} ${d.file}:${d.range?.start.line}:${d.range?.start.column} ${d.message}${d.hint ? ` (${d.hint})` : ""}`;
const TYPES = `"array", "boolean", "integer", "null", "number", "object", "string"`;

describe("anyOf/oneOf: one diagnostic per failed value", () => {
  it("a misspelled type of an embedded schema names the types and suggests the closest", async () => {
    expect(await errorsAfter("prompts/watcher.md", "url: { type: string", "url: { type: strin")).toEqual([
      `BRN108 prompts/watcher.md:4:16 input.url.type must be one of ${TYPES}, or a list of them, not string "strin" (did you mean "string"?)`,
    ]);
  });

  it("a list of types with one bad entry: the entry, not the list", async () => {
    expect(await errorsAfter("prompts/watcher.md", "url: { type: string", "url: { type: [string, nul]")).toEqual([
      `BRN108 prompts/watcher.md:4:25 "nul" is not allowed in input.url.type[1]: expected ${TYPES} (did you mean "null"?)`,
    ]);
  });

  it("the branch that took the value reports inside it (items: a schema whose type is misspelled)", async () => {
    expect(await errorsAfter("tools/search.yaml", "query: { type: string }", "query: { type: array, items: { type: strng } }")).toEqual([
      `BRN108 tools/search.yaml:6:42 input.properties.query.items.type must be one of ${TYPES}, or a list of them, not string "strng" (did you mean "string"?)`,
    ]);
  });

  it("a value no branch takes: every alternative, in words", async () => {
    expect(await errorsAfter("tools/search.yaml", "query: { type: string }", "query: { type: array, items: 5 }")).toEqual([
      `BRN108 tools/search.yaml:6:34 input.properties.query.items must be a mapping, true/false, or a list of them, not number 5`,
    ]);
    expect(await errorsAfter("tools/search.yaml", "query: { type: string }", "query: { type: string, dependencies: { a: 5 } }")).toEqual([
      `BRN108 tools/search.yaml:6:47 input.properties.query.dependencies.a must be a mapping, true/false, or a list of strings, not number 5`,
    ]);
  });

  it("a rule the matching branch broke is reported alone (an empty list of types)", async () => {
    expect(await errorsAfter("prompts/watcher.md", "url: { type: string", "url: { type: []")).toEqual([
      "BRN108 prompts/watcher.md:4:16 input.url.type must have at least 1 item, not 0",
    ]);
  });

  it("a value of the wrong type gets the type error only, not also 'exactly one of'", async () => {
    expect(await errorsAfter("routing.yaml", "heartbeat_check: { tier: cheap }", "heartbeat_check: cheap")).toEqual([
      'BRN106 routing.yaml:2:20 tasks.heartbeat_check must be a mapping, not string "cheap"',
    ]);
    expect(await errorsAfter("agents/watcher.yaml", '  - { every: 5m, task: status_polling, message: "Check the URL." }', "  - every 5m")).toEqual([
      'BRN106 agents/watcher.yaml:10:5 schedules[0] must be a mapping, not string "every 5m"',
    ]);
  });

  it("exactly-one-of keys still says which keys (BRN107)", async () => {
    expect(await errorsAfter("routing.yaml", "heartbeat_check: { tier: cheap }", "heartbeat_check: { tier: cheap, models: [big] }")).toEqual([
      "BRN107 routing.yaml:2:3 only one of tier, models may be given in tasks.heartbeat_check",
    ]);
    expect(await errorsAfter("routing.yaml", "heartbeat_check: { tier: cheap }", "heartbeat_check: { description: x }")).toEqual([
      "BRN107 routing.yaml:2:3 exactly one of tier, models is required in tasks.heartbeat_check",
    ]);
  });
});

describe("type lists in words", () => {
  it("an overlay patch that is neither a mapping nor null", async () => {
    const schedules = 'watcher:\n    schedules: [{ every: 1m, task: status_polling, message: "Check the URL." }]';
    expect(await errorsAfter("overlays/prod.yaml", schedules, "watcher: yes")).toEqual([
      'BRN106 overlays/prod.yaml:5:12 agents.watcher must be a mapping or null, not string "yes"',
    ]);
  });

  it("a schema that is neither a mapping nor true/false", async () => {
    expect(await errorsAfter("tools/search.yaml", "query: { type: string }", "query: { not: 5 }")).toEqual([
      "BRN108 tools/search.yaml:6:19 input.properties.query.not must be a mapping or true/false, not number 5",
    ]);
  });
});

describe("mapErrors on any schema", () => {
  /** The messages of `value` against `schema`, compiled as brainc compiles its own schemas (full mode). */
  const messages = (schema: object, value: unknown) => {
    const validate = new Ajv(AJV_OPTIONS.full).compile(schema);
    expect(validate(value)).toBe(false);
    const here = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
    return mapErrors(validate.errors ?? [], () => ({ file: "x.yaml", range: here })).map((d) => `${d.code} ${d.message}`);
  };

  it("a type list checked before the anyOf beside it stays its own error (not taken for a branch error)", () => {
    const schema = { type: ["object", "null"], anyOf: [{ type: "object", required: ["a"], properties: { a: true } }, { type: "null" }] };
    expect(messages(schema, "x")).toEqual(['BRN106 the file must be a mapping or null, not string "x"']);
  });

  it("a branch that took the value by its type: its rule, not the other branch's type", () => {
    const schema = { type: "object", properties: { id: { anyOf: [{ type: "string", pattern: "^[a-z]+$" }, { type: "integer" }] } } };
    expect(messages(schema, { id: "A1" })).toEqual(['BRN104 "A1" is not a valid value in id: must match ^[a-z]+$']);
    expect(messages(schema, { id: true })).toEqual(["BRN106 id must be a string or an integer, not boolean true"]);
  });
});

describe("range and size rules in words", () => {
  it("says the rule and what was found, not ajv's wording", async () => {
    expect(await errorsAfter("policies/baseline.yaml", "maxSteps: 20", "maxSteps: 0")).toEqual(["BRN105 policies/baseline.yaml:3:13 loop.maxSteps must be at least 1, not 0"]);
    expect(await errorsAfter("agents/watcher.yaml", "tools: [http-check, search]", "tools: [http-check, search, http-check]")).toEqual([
      "BRN105 agents/watcher.yaml:6:8 tools must not repeat an item ([0] and [2] are equal)",
    ]);
  });

  it("a value of the wrong type is one type error, not also one for the enum beside it", async () => {
    expect(await errorsAfter("memory.yaml", "scope: shared", "scope: 5")).toEqual(["BRN106 memory.yaml:4:12 namespaces.checks.scope must be a string, not number 5"]);
  });
});

describe("references and patterns of embedded schemas (BRN108): what a build could not use", () => {
  const outside = "brainc resolves only references inside the schema (#/definitions/…), so that a build reads no file and no URL: copy the referenced schema under definitions";
  it("a $ref to a URL or a file is refused: json-schema-to-typescript would fetch or read it during the build", async () => {
    expect(await errorsAfter("tools/search.yaml", "query: { type: string }", 'query: { $ref: "http://127.0.0.1:9/x.json" }\n    local: { $ref: "/etc/hostname" }')).toEqual([
      `BRN108 tools/search.yaml:6:20 $ref "http://127.0.0.1:9/x.json" points outside the schema (${outside})`,
      `BRN108 tools/search.yaml:7:20 $ref "/etc/hostname" points outside the schema (${outside})`,
    ]);
  });

  it("a $ref that points nowhere, or only at itself; an invalid pattern (prompt inputs too, in the order of their names)", async () => {
    expect(await errorsAfter("tools/search.yaml", "query: { type: string }", 'query: { $ref: "#/definitions/nope" }\n  definitions:\n    a: { $ref: "#/definitions/a" }')).toEqual([
      `BRN108 tools/search.yaml:6:20 $ref "#/definitions/nope" points nowhere in this schema (a reference is a JSON pointer from the schema's root, such as #/definitions/item)`,
      `BRN108 tools/search.yaml:8:16 $ref "#/definitions/a" leads back to itself through references alone (a recursive schema refers to itself from inside a subschema (properties, items …), never as the whole schema)`,
    ]);
    expect(await errorsAfter("prompts/watcher.md", 'url: { type: string, default: "https://example.com" }', 'url: { type: string, pattern: "[", default: "https://example.com" }\n  n: { $ref: "#", default: 1 }')).toEqual([
      `BRN108 prompts/watcher.md:5:14 $ref "#" leads back to itself through references alone (a recursive schema refers to itself from inside a subschema (properties, items …), never as the whole schema)`,
      'BRN108 prompts/watcher.md:4:33 pattern "[" is not a regular expression (patterns are ECMAScript regular expressions (with the u flag))',
    ]);
  });

  it("references inside the schema are fine: a JSON pointer, a plain-name $id, the root from a property (a tree)", async () => {
    expect(await errorsAfter("tools/search.yaml", "query: { type: string }", 'query: { $ref: "#/definitions/q" }\n    named: { $ref: "#n" }\n    child: { $ref: "#" }\n  definitions:\n    q: { type: string, pattern: "^\\\\w+$" }\n    n: { $id: "#n", type: integer }')).toEqual([]);
  });
});
