/**
 * The skills' curl commands, as a model fills them in, make exactly the contract's request, with real curl
 * 8.14 from Debian bookworm-backports (the copy `bash scripts/ensure-curl8.sh` unpacks into .cache/curl8;
 * skipped when it is not there).
 *
 * For every http skill of every brain the OpenClaw conformance run builds, the test fills each `{{name}}`
 * placeholder of the SKILL.md command the way the skill tells the model to (URL-encoded in the URL and
 * in `--url-query` values, JSON-escaped in the body, as is in headers) with a value full of characters
 * that need encoding, runs the command through `sh -c` with curl 8 against a local HTTP server
 * (`--connect-to`, https turned into http) and compares the request the server received with the one
 * the tool contract defines: method, host, path and query (decoded), headers and JSON body, with the
 * env variables that curl imports itself (`--variable`) set, and once more with the ones that have a
 * default unset. Then 60 seeded contracts whose body strings mix braces, backslashes and quotes with env
 * references and a placeholder check that curl's `--expand-data-raw` keeps every literal character.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { envRefs, envSegments } from "../../src/emit/env-refs.js";
import type { Tool } from "../../src/link/model.js";
import { compileOk, emitTarget, fillSkillCommand, openclawBrains, repoRoot, seededStrings, skillCommand, strictUriEncode } from "../../test/helpers.js";
import openclaw from "./index.js";
import { curlCommand } from "./skills.js";

const curl = join(repoRoot, ".cache/curl8/curl");
const installed = existsSync(curl);
const skipped = " (skipped: no curl 8 in .cache/curl8; run bash scripts/ensure-curl8.sh once)";

const brains = openclawBrains();

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/** The value the model passes for argument `name`: its name (so swapped arguments show) and characters that need encoding. */
const argument = (name: string) => `${name}: "Ünï" & 50% + it's #1 / a?b=c`;

/** The test value of env variable `name`: the local server `base` when the contract's `url` starts with it, URL-safe when it is elsewhere in the URL, else full of characters that need encoding. */
function envValue(name: string, url: string, base: string): string {
  if (url.startsWith(`\${env:${name}`)) return base;
  return url.includes(`\${env:${name}`) ? `env-${name}` : `${name} "tøken" & 50% + it's /?#=`;
}

/** The test value of a number, integer or boolean argument (which a body placeholder out of quotes takes as JSON), else undefined. */
function jsonValue(tool: Tool, name: string): number | boolean | undefined {
  const type = ((tool.input.properties ?? {}) as Record<string, { type?: string }>)[name]?.type;
  return type === "integer" ? 3 : type === "number" ? 2.5 : type === "boolean" ? true : undefined;
}

/**
 * The command as the model runs it ({@link fillSkillCommand}: each argument placeholder filled with
 * {@link argument}, the argument's JSON value where the body takes one, and `base` where the URL starts
 * with the placeholder), pointed at the local server at `base`: curl 8 in place of `curl`, `--connect-to`
 * the server, and https turned into http (in the URL and in `--variable` defaults).
 */
function filledIn(command: string, base: string, tool: Tool): string {
  const filled = fillSkillCommand(command, (name, place) => (place === "url-start" ? base : place === "body-value" ? JSON.stringify(jsonValue(tool, name)) : argument(name)));
  return filled.replace(/^curl /, `'${curl}' --connect-to '::${new URL(base).host}' `).replace(/(['=])https:\/\//g, "$1http://");
}

/** A request as the server received it, or as the contract defines it: path and query decoded. */
interface Request {
  method: string;
  host: string;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  body: unknown;
}

/**
 * The request an http contract defines for the arguments of {@link argument} (the one its URL starts
 * with: `base`) and the environment `env` (a variable's default when it is unset).
 */
function contractRequest(tool: Tool, env: Record<string, string>, base: string): Request {
  const http = tool.implementation.http!;
  const urlStart = /^\{\{(\w+)\}\}/.exec(http.url)?.[1];
  const fill = (text: string, value = argument) =>
    envSegments(text)
      .map((s) => ("text" in s ? s.text.replace(PLACEHOLDER, (_, name: string) => value(name)) : (env[s.env] ?? s.default ?? "")))
      .join("");
  const whole = (v: string) => /^\{\{(\w+)\}\}$/.exec(v)?.[1];
  const deep = (v: unknown): unknown => (typeof v === "string" ? (whole(v) && jsonValue(tool, whole(v)!) !== undefined ? jsonValue(tool, whole(v)!) : fill(v)) : Array.isArray(v) ? v.map(deep) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)])) : v);
  const url = new URL(fill(http.url, (name) => (name === urlStart ? base : strictUriEncode(argument(name)))));
  const headers = Object.fromEntries(Object.entries(http.headers ?? {}).map(([k, v]) => [k.toLowerCase(), fill(v, (name) => argument(name).replace(/'/g, ""))]));
  if (http.body && !headers["content-type"]) headers["content-type"] = "application/json";
  return {
    method: http.method ?? "GET",
    host: url.host,
    path: decodeURIComponent(url.pathname),
    query: [...url.searchParams, ...Object.entries(http.query ?? {}).map(([k, v]): [string, string] => [k, fill(v)])],
    headers,
    body: deep(http.body),
  };
}

/** The raw request a local HTTP server received (header values as UTF-8), answered with 200 `{"ok":true}`. */
interface Received {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Runs `send(base)` with a fresh local HTTP server at `base` (`http://127.0.0.1:<free port>`); returns its result and the requests the server received. */
async function receive<T>(send: (base: string) => Promise<T>): Promise<{ result: T; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      // Node reads header bytes as latin1; curl sends the UTF-8 bytes of the command line.
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Buffer.from(String(v), "latin1").toString("utf8")]));
      received.push({ method: req.method!, url: req.url!, headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return { result: await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), received };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A received request in the shape of {@link Request}: path and query decoded, only the headers `expected` names, the body parsed as JSON. */
function asRequest(r: Received, expected: Request): Request {
  const [path, query = ""] = r.url.split(/\?(.*)/s);
  return {
    method: r.method,
    host: r.headers.host,
    path: decodeURIComponent(path),
    query: [...new URLSearchParams(query)],
    headers: Object.fromEntries(Object.keys(expected.headers).map((k) => [k, r.headers[k]])),
    body: r.body === "" ? undefined : JSON.parse(r.body),
  };
}

/** Runs a command line with `sh -c` in exactly the environment `env` (and PATH). */
function sh(command: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("sh", ["-c", command], { env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}


/** One test case: a brain's skill (each tool once, however many workspaces have it), with its contract. */
type Case = [label: string, command: string, tool: Tool];

/** The http skills of every brain, with their tool contracts. */
async function skillCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const [label, dir, env] of brains) {
    const brain = await compileOk(dir, env);
    const { files, diagnostics } = await emitTarget(openclaw, dir, env);
    const failed = diagnostics.find((d) => d.code === "BRN505");
    if (failed) throw new Error(`${label}: ${failed.message}`);
    const seen = new Set<string>();
    for (const f of files) {
      const id = /^workspaces\/[^/]+\/skills\/([^/]+)\/SKILL\.md$/.exec(f.path)?.[1];
      if (!id || seen.has(id)) continue;
      seen.add(id);
      cases.push([`${label} ${f.path}`, skillCommand(f.contents), brain.tools[id]]);
    }
  }
  return cases;
}

const cases = installed ? await skillCases() : [];

describe.skipIf(!installed)(`skills' curl commands make the contract's request with curl 8${installed ? "" : skipped}`, () => {
  it("finds http skills", () => expect(cases.length).toBeGreaterThan(0));

  it.concurrent.each(cases)("%s", async (_label, command, tool) => {
    expect(command, "the command is one curl line").toMatch(/^curl [^\n]+$/);
    const http = tool.implementation.http!;
    const refs = envRefs([http.url, http.query, http.headers, http.body]);
    const withDefault = [...new Set(refs.filter((r) => r.default !== undefined).map((r) => r.env))];
    // Every variable the contract references set; then, when some have a default, those left unset (curl must use the default).
    for (const unset of [[], ...(withDefault.length ? [withDefault] : [])]) {
      const { result, received } = await receive(async (base) => {
        const env = Object.fromEntries(refs.filter((r) => !unset.includes(r.env)).map((r) => [r.env, envValue(r.env, http.url, base)]));
        return { expected: contractRequest(tool, env, base), run: await sh(filledIn(command, base, tool), env) };
      });
      const { expected, run } = result;
      expect({ unset, exit: run.code, stderr: run.stderr, requests: received.length }).toEqual({ unset, exit: 0, stderr: "", requests: 1 });
      expect(asRequest(received[0], expected), `unset: ${unset.join(", ") || "none"}; received ${received[0].method} ${received[0].url}`).toEqual(expected);
    }
  });
});

/**
 * Pieces of the body strings of {@link seededBodyTool}: what curl's `--expand-data-raw` must keep literal
 * (braces, a `{{`, a merge tag, backslashes, quotes) beside env references (one with a default holding
 * quotes) and an argument placeholder, in every order.
 */
const BODY_PIECES = ["a", "{", "}", "{{", "}}", "\\", "'", '"', "ü", "\n", "{{ list.id }}", "${env:BODY_A}", "${env:BODY_B:-d'e\"f}", "{{s}}"];

/** An http contract whose JSON body strings are made of {@link BODY_PIECES}, drawn from `seed` ({@link seededStrings}). */
function seededBodyTool(seed: number): Tool {
  const text = seededStrings(seed, BODY_PIECES);
  const body = { [text()]: text(), n: { m: [text(), text()] } };
  return { id: "seeded", description: "A seeded body.", input: { type: "object", required: ["s"], properties: { s: { type: "string" } } }, implementation: { http: { method: "POST", url: "https://api.example.com/x", body } } } as unknown as Tool;
}

describe.skipIf(!installed)(`bodies with braces, backslashes and quotes beside env references keep them, with curl 8${installed ? "" : skipped}`, () => {
  it.concurrent.each(Array.from({ length: 60 }, (_, i) => i + 1))("seed %i", async (seed) => {
    const tool = seededBodyTool(seed);
    const { command } = curlCommand(tool);
    const env = { BODY_A: 'a{{l}} "q" \\ {x}' }; // BODY_B unset: its default
    const { result, received } = await receive(async (base) => ({ expected: contractRequest(tool, env, base), run: await sh(filledIn(command, base, tool), env) }));
    expect({ exit: result.run.code, stderr: result.run.stderr, requests: received.length }).toEqual({ exit: 0, stderr: "", requests: 1 });
    expect(asRequest(received[0], result.expected).body, command).toEqual(result.expected.body);
  });
});
