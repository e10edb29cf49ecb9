import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { emitTarget, fixtureBrain, formatForTest, seededStrings, tempCopy } from "../../test/helpers.js";
import { singleEnvRef } from "../../src/emit/env-refs.js";
import { descriptionsDir } from "./descriptions.js";
import n8n from "./index.js";
import { fetchDescriptions } from "./test-setup.js";

/**
 * Tool nodes judged by n8n 2.41's own code, taken from the cache check() uses (`npm run n8n:nodes`:
 * n8n-workflow 2.41.0 with @n8n/tournament and zod): the `$fromAI` scan that decides which arguments the
 * model is offered, and the template evaluator that computes a parameter while the tool runs.
 */
let n8nRequire: NodeJS.Require;
beforeAll(() => {
  fetchDescriptions();
  n8nRequire = createRequire(join(descriptionsDir(), "package.json"));
}, 300_000);

/** One `$fromAI` argument as n8n-workflow's parser reads it (`FromAIArgument`). */
type FromAiArgument = { key: string; description?: string; type: string; defaultValue?: unknown };
type Parameters = Record<string, unknown>;

/** The arguments n8n 2.41 finds in a tool node's parameters (n8n-core getSchema: traverseNodeParameters), by key. */
function fromAiArguments(parameters: Parameters): Record<string, FromAiArgument> {
  const found: FromAiArgument[] = [];
  n8nRequire("n8n-workflow").traverseNodeParameters(parameters, found);
  return Object.fromEntries(found.map((a) => [a.key, a]));
}

/**
 * Whether the schema n8n 2.41 builds for these arguments (n8n-core getSchema:
 * `z.object(generateZodSchema per key).required()`) accepts a call with just `call`'s arguments.
 */
function schemaAccepts(args: Record<string, FromAiArgument>, call: Record<string, unknown>): boolean {
  const { z } = n8nRequire("zod");
  const { generateZodSchema } = n8nRequire("n8n-workflow");
  const shape = Object.fromEntries(Object.values(args).map((a) => [a.key, generateZodSchema(a)]));
  return z.object(shape).required().safeParse(call).success;
}

/**
 * A parameter value as n8n 2.41 computes it while the tool runs: a literal as it is; an "=" template with
 * @n8n/tournament, where `$fromAI(key, …, default)` is the model's argument, else the default (n8n-workflow
 * workflow-data-proxy handleFromAi), and `$env` holds `env`.
 */
function evaluate(value: unknown, args: Record<string, unknown> = {}, env: Record<string, string> = {}): unknown {
  if (typeof value !== "string" || !value.startsWith("=")) return value;
  const { Tournament } = n8nRequire("@n8n/tournament");
  const $fromAI = (key: string, _description: string, _type: string, defaultValue?: unknown) => (Object.hasOwn(args, key) ? args[key] : defaultValue);
  const data = { $fromAI, $env: env, encodeURIComponent, JSON, String };
  return new Tournament((e: Error) => {
    throw e;
  }).execute(value.slice(1), data);
}

/** The value of the keypair entry `name` of a node's query or header parameters. */
function pair(parameters: Parameters, list: "queryParameters" | "headerParameters", name: string): unknown {
  return (parameters[list] as { parameters: { name: string; value: unknown }[] }).parameters.find((p) => p.name === name)?.value;
}

/**
 * Emits the n8n target for n8n-minimal with extra tool contracts (written as JSON) given to its agent
 * "helper", and `brainYaml` appended to brain.yaml. Returns the parameters of the helper workflow's nodes
 * by node name and the BRN509 messages; fails on errors.
 */
async function emitTools(tools: Record<string, object>, brainYaml = ""): Promise<{ nodes: Record<string, Parameters>; infos: string[] }> {
  const { dir, cleanup } = tempCopy(fixtureBrain("n8n-minimal"));
  try {
    mkdirSync(join(dir, "tools"), { recursive: true });
    for (const [id, tool] of Object.entries(tools)) writeFileSync(join(dir, `tools/${id}.yaml`), JSON.stringify(tool));
    appendFileSync(join(dir, "agents/helper.yaml"), `tools: ${JSON.stringify(Object.keys(tools))}\n`);
    appendFileSync(join(dir, "brain.yaml"), brainYaml);
    const { files, diagnostics } = await emitTarget(n8n, dir);
    const errors = diagnostics.filter((d) => d.severity === "error");
    expect(errors, formatForTest(errors)).toEqual([]);
    const workflow = JSON.parse(files.find((f) => f.path === "helper.json")!.contents) as { nodes: { name: string; parameters: Parameters }[] };
    return {
      nodes: Object.fromEntries(workflow.nodes.map((n) => [n.name, n.parameters])),
      infos: diagnostics.filter((d) => d.code === "BRN509").map((d) => d.message),
    };
  } finally {
    cleanup();
  }
}

/** An http tool contract. */
const http = (input: object, implementation: object, description = "A tool.") => ({ description, input: { type: "object", ...input }, implementation: { http: implementation } });

describe("n8n tool descriptions (item 1)", () => {
  it("stay the literal text: one starting with '=' is not evaluated as an expression, so it reads no $env and calls no $fromAI", async () => {
    const description = "=Fetch {{ $env.HOME }} and $fromAI('z').";
    const { nodes } = await emitTools({
      fetch: http({ properties: {} }, { url: "https://api.example/items" }, description),
      page: { description, input: { type: "object", required: ["url"], properties: { url: { type: "string" } } }, implementation: { builtin: { n8n: "n8n-nodes-base.httpRequestTool" } } },
      think: { description, input: { type: "object", properties: {} }, implementation: { builtin: { n8n: "@n8n/n8n-nodes-langchain.toolThink" } } },
    });
    const env = { HOME: "/home/secret" };
    expect(evaluate(nodes.fetch.toolDescription, {}, env)).toBe(description);
    expect(evaluate(nodes.page.toolDescription, {}, env)).toBe(description);
    expect(evaluate(nodes.think.description, {}, env)).toBe(description);
    expect(Object.keys(fromAiArguments(nodes.fetch))).toEqual([]);
    expect(Object.keys(fromAiArguments(nodes.page))).toEqual(["url"]);
  });
});

describe("n8n $fromAI defaults and optional arguments (item 2)", () => {
  const input = {
    required: ["q", "r"],
    properties: {
      q: { type: "string", description: "Query" },
      r: { type: "integer", default: 3, description: "Required, with a default" },
      n: { type: "integer", default: 5 },
      word: { type: "string", default: "x y&z" },
      flag: { type: "boolean", default: false },
      tags: { type: "array", items: { type: "string" }, default: ["a", "b,c"] },
      opt: { type: "string", description: "Optional filter" },
      opt2: { type: "string", default: "back\\slash" },
    },
  };
  const query = { q: "{{q}}", r: "{{r}}", n: "{{n}}", word: "{{word}}", flag: "{{flag}}", opt: "{{opt}}", opt2: "{{opt2}}" };
  const tools = { search: http(input, { method: "POST", url: "https://api.example/search", query, body: { tags: "{{tags}}" } }) };

  it("passes an optional input's schema default as $fromAI's 4th argument: n8n offers it with that default and uses it when the model leaves it out", async () => {
    const { nodes } = await emitTools(tools);
    const args = fromAiArguments(nodes.search);
    const defaults = Object.fromEntries(Object.values(args).map((a) => [a.key, a.defaultValue]));
    // A required input keeps no default (else n8n would let the model leave it out); a default $fromAI
    // cannot carry exactly (a backslash) is left out too, and the input stays required.
    expect(defaults).toEqual({ q: undefined, r: undefined, n: 5, word: "x y&z", flag: false, opt: undefined, opt2: undefined, tags: ["a", "b,c"] });
    expect(schemaAccepts(args, { q: "x", r: 1, opt: "o", opt2: "p" })).toBe(true);
    expect(schemaAccepts(args, { q: "x", opt: "o", opt2: "p" })).toBe(false);
    const given = { q: "x", r: 1, opt: "o", opt2: "p" };
    expect(["n", "word", "flag"].map((k) => evaluate(pair(nodes.search, "queryParameters", k), given))).toEqual([5, "x y&z", false]);
    expect(JSON.parse(evaluate(nodes.search.jsonBody, given) as string)).toEqual({ tags: ["a", "b,c"] });
    expect(JSON.parse(evaluate(nodes.search.jsonBody, { ...given, tags: ["m"] }) as string)).toEqual({ tags: ["m"] });
  });

  it("reports, once per tool (BRN509), the optional inputs n8n makes required because they have no default it can carry", async () => {
    const { infos } = await emitTools(tools);
    const forced = infos.filter((m) => m.includes("without a default"));
    expect(forced).toHaveLength(1);
    expect(forced[0]).toContain('tool "search" (agent "helper")');
    expect(forced[0]).toContain('the optional "opt", "opt2"');
  });
});

describe("n8n URL placeholders (item 3)", () => {
  const hostile = "a/b c&d=e?x#y/../";
  const input = { required: ["id", "base"], properties: { id: { type: "string" }, base: { type: "string" }, n: { type: "integer", default: 2 } } };

  it("percent-encodes a placeholder in the path and the URL's own query, so the argument cannot add segments, parameters or a fragment", async () => {
    const { nodes } = await emitTools({ get: http(input, { url: "https://api.example/items/{{id}}/sub?static=1&x={{id}}&n={{n}}", query: { q: "{{id}}" } }) });
    const enc = encodeURIComponent(hostile);
    expect(evaluate(nodes.get.url, { id: hostile, base: "" })).toBe(`https://api.example/items/${enc}/sub?static=1&x=${enc}&n=2`);
    // Query parameters are n8n's own: it encodes their values itself.
    expect(evaluate(pair(nodes.get, "queryParameters", "q"), { id: hostile })).toBe(hostile);
  });

  it("fails the tool call when a value in the path or the URL's own query is a dot segment, which the URL parser would resolve to the parent path", async () => {
    const { nodes } = await emitTools({ get: http(input, { url: "https://api.example/items/{{id}}/sub?x={{id}}" }) });
    for (const dots of [".", ".."]) {
      // The HTTP Request node (n8n 2.41 HttpRequestV3) refuses a URL that does not start with http:// or https://, naming it.
      expect(evaluate(nodes.get.url, { id: dots }), dots).toBe(`argument 'id' cannot be '.' or '..' in the URL (it would change the URL's path), so nothing was sent: https://api.example/items/${dots}/sub?x=${dots}`);
      // What the request would be without the refusal: the parent path (WHATWG URL, as Node's fetch and http use it).
      expect(new URL(`https://api.example/items/${encodeURIComponent(dots)}/sub`).pathname).not.toMatch(/^\/items\/[^/]+\/sub$/);
    }
    // Values that only hold dots in other ways stay one segment: more dots, or encoded dots (encoded once more).
    for (const value of ["...", "%2e%2e", "a..", "../x"]) expect(new URL(evaluate(nodes.get.url, { id: value }) as string).pathname, value).toBe(`/items/${encodeURIComponent(value)}/sub`);
  });

  it("keeps a placeholder that picks the host (allowed: tool.schema.json, link.ts) as the model gives it, and never encodes an env reference", async () => {
    const { nodes } = await emitTools({
      fetch: http(input, { url: "{{base}}/items/{{id}}" }),
      tenant: http(input, { url: "https://{{base}}.example:8443/items/{{id}}" }),
      env: http(input, { url: "${env:API_BASE:-https://api.example/v1}/items/{{id}}" }),
    });
    expect(evaluate(nodes.fetch.url, { base: "https://h.example/p", id: "a/b" })).toBe("https://h.example/p/items/a%2Fb");
    expect(evaluate(nodes.tenant.url, { base: "t1", id: "a/b" })).toBe("https://t1.example:8443/items/a%2Fb");
    expect(evaluate(nodes.env.url, { id: "a/b" }, { API_BASE: "https://x.example/v2" })).toBe("https://x.example/v2/items/a%2Fb");
  });
});

describe("n8n env references in tool expressions (item 4)", () => {
  it("reports once per tool (BRN509) the variables its url, query, partial header or MCP endpoint read through $env, which n8n 2.x blocks by default", async () => {
    const { infos } = await emitTools(
      {
        get: http({ properties: {} }, { url: "${env:ITEMS_BASE}/items", query: { key: "${env:ITEMS_KEY}" }, headers: { Authorization: "${env:ITEMS_TOKEN}", "X-Trace": "t-${env:TRACE_ID}" } }),
        note: { description: "Add a note.", input: { type: "object", properties: {} }, implementation: { mcp: { server: "notes", tool: "add_note" } } },
        plain: http({ properties: {} }, { url: "https://api.example/items", headers: { Authorization: "${env:PLAIN_TOKEN}" } }),
      },
      "mcpServers:\n  notes: { url: \"${env:NOTES_URL:-http://127.0.0.1:7010/mcp}\" }\n",
    );
    const env = infos.filter((m) => m.includes("N8N_BLOCK_ENV_ACCESS_IN_NODE=false"));
    expect(env).toHaveLength(2);
    // ITEMS_TOKEN is the tool's Header Auth credential, not an expression; "plain" reads nothing in expressions.
    expect(env[0]).toContain('tool "get" (agent "helper") reads $env.ITEMS_BASE, $env.ITEMS_KEY, $env.TRACE_ID in n8n expressions');
    expect(env[1]).toContain('the MCP server "notes" (agent "helper") url reads $env.NOTES_URL');
  });

  it("applies a ${env:NAME:-default} default when the variable is unset or empty, as the shell's :- does", async () => {
    const { nodes } = await emitTools({ get: http({ properties: {} }, { url: "${env:ITEMS_BASE:-https://d.example}/items" }) });
    expect(evaluate(nodes.get.url, {}, {})).toBe("https://d.example/items");
    expect(evaluate(nodes.get.url, {}, { ITEMS_BASE: "" })).toBe("https://d.example/items");
    expect(evaluate(nodes.get.url, {}, { ITEMS_BASE: "https://set.example" })).toBe("https://set.example/items");
  });
});

describe("n8n $fromAI in literal text (item 5)", () => {
  it("adds no argument for a '$fromAI(…)' in an argument description or any literal text, and keeps the text the request sends exact", async () => {
    const input = { required: ["id"], properties: { id: { type: "string", description: "Item id, not $fromAI('y') nor $FROMAI ('y2')" } } };
    const lit = "a $fromAI('w') b\\c {{ x.y }}";
    const { nodes } = await emitTools({
      get: http(input, { url: "https://api.example/{{id}}/$fromAI('u')", query: { lit: `${lit} {{id}}` }, headers: { "X-Lit": lit }, body: { s: `$fromAI('b') {{id}}` } }),
    });
    expect(Object.keys(fromAiArguments(nodes.get))).toEqual(["id"]);
    expect(fromAiArguments(nodes.get).id.description).toBe("Item id, not $ fromAI('y') nor $ FROMAI ('y2'). Required.");
    expect(evaluate(nodes.get.url, { id: "7" })).toBe("https://api.example/7/$fromAI('u')");
    expect(evaluate(pair(nodes.get, "queryParameters", "lit"), { id: "7" })).toBe(`${lit} 7`);
    expect(evaluate(pair(nodes.get, "headerParameters", "X-Lit"))).toBe(lit);
    expect(JSON.parse(evaluate(nodes.get.jsonBody, { id: "7" }) as string)).toEqual({ s: "$fromAI('b') 7" });
  });
});

describe("n8n builtin HTTP Request tool (item 6)", () => {
  it("reports (BRN509) the input properties besides the URL that n8n's HTTP Request tool does not offer, as the docs say", async () => {
    const { infos } = await emitTools({
      "web-fetch": {
        description: "Fetch a page.",
        input: { type: "object", required: ["url"], properties: { url: { type: "string" }, maxChars: { type: "integer", default: 20000 } } },
        implementation: { builtin: { n8n: "n8n-nodes-base.httpRequestTool" } },
      },
    });
    expect(infos.filter((m) => m.includes('tool "web-fetch"'))).toEqual([
      'n8n: tool "web-fetch" (agent "helper"): n8n offers the model only the arguments its request uses ($fromAI), so "maxChars" is not offered; its HTTP Request tool offers only the URL; run the tool through the openclaw or supervisor target to honour the others',
    ]);
  });
});

/**
 * Pieces of the strings of {@link seededTools}: what n8n must keep literal (braces, `{{`, backslashes,
 * quotes, a leading `=`, a `$fromAI(`, a merge tag) beside env references (one with a default holding
 * quotes) and an argument placeholder, in every order.
 */
const STRING_PIECES = ["a", "{", "}", "{{", "}}", "\\", "'", '"', "ü", "\n", "=", "$fromAI(", "{{ list.id }}", "${env:N_A}", "${env:N_B:-d'e\"f}", "{{s}}"];

/** `count` http contracts whose header, query and body strings are made of {@link STRING_PIECES}, drawn from `seed` ({@link seededStrings}). */
function seededTools(seed: number, count: number): Record<string, ReturnType<typeof http>> {
  const text = seededStrings(seed, STRING_PIECES);
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`seeded-${i}`, http({ required: ["s"], properties: { s: { type: "string" } } }, { method: "POST", url: "https://api.example/x", headers: { "X-T": text() }, query: { q: text() }, body: { [text()]: text(), n: { m: [text(), text()] } } })]),
  );
}

describe("n8n keeps literal text beside env references and placeholders (seeded)", () => {
  it("headers, query values and JSON bodies evaluate to the contract's strings; n8n offers the argument `s` where a string uses it, and no other", async () => {
    const tools = seededTools(7, 40);
    const { nodes } = await emitTools(tools);
    const env = { N_A: 'a{{l}} }} "q" \\ {x} $fromAI(' }; // N_B unset: its default
    const args = { s: 'S {{v}} }} "d" \\ $fromAI(' };
    const fill = (t: string) => t.replace(/\$\{env:(\w+)(?::-([^}]*))?\}/g, (_, n: string, d?: string) => (env as Record<string, string>)[n] ?? d ?? "").replace(/\{\{s\}\}/g, args.s);
    const deep = (v: unknown): unknown => (typeof v === "string" ? fill(v) : Array.isArray(v) ? v.map(deep) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)])) : v);
    const strings = (v: unknown): string[] => (typeof v === "string" ? [v] : v && typeof v === "object" ? Object.values(v).flatMap(strings) : []); // values: keys are literal
    for (const [id, tool] of Object.entries(tools)) {
      const node = nodes[id];
      const request = tool.implementation.http as { headers: Record<string, string>; query: Record<string, string>; body: object };
      expect(Object.keys(fromAiArguments(node)), id).toEqual(strings(request).some((t) => t.includes("{{s}}")) ? ["s"] : []);
      // A header that is exactly one env reference is the tool's Header Auth credential, not a parameter.
      if (singleEnvRef(request.headers["X-T"])) expect(node.genericAuthType, id).toBe("httpHeaderAuth");
      else expect(evaluate(pair(node, "headerParameters", "X-T"), args, env), `${id} header ${JSON.stringify(request.headers["X-T"])}`).toBe(fill(request.headers["X-T"]));
      expect(evaluate(pair(node, "queryParameters", "q"), args, env), `${id} query ${JSON.stringify(request.query.q)}`).toBe(fill(request.query.q));
      expect(JSON.parse(evaluate(node.jsonBody, args, env) as string), `${id} body ${JSON.stringify(request.body)}`).toEqual(deep(request.body));
    }
  });
});
