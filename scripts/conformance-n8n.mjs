#!/usr/bin/env node
// Conformance of the n8n target against real n8n (`npm run test:conformance:n8n`): n8n itself is the judge.
//
// For each case brain it builds the n8n target with brainc (dist/, so run `npm run build` first; the npm
// script does), starts the fake OpenAI-compatible server (test/fake-openai/) on 127.0.0.1, and in a fresh
// n8n user folder (SQLite):
//   1. `n8n import:credentials` of the generated credentials.json, unmodified: its `{{ $env.NAME }}`
//      expressions read the environment this script sets (gateway URL = the fake server);
//   2. `n8n import:workflow` of every generated workflow (one file per call: n8n 2.41's --separate import
//      fails on tags shared between files);
//   3. `n8n export:workflow --all` and a round-trip comparison (nodes, connections, settings, meta);
//   4. `n8n execute --id` of each agent workflow, asserting from the run data that the agent answered and from
//      the fake server's log that it sent the brain's system prompt and model names, that it moved to the
//      fallback model when the primary answered 500, that the HTTP tools sent their credential header, and
//      that each HTTP tool whose URL leads to the fake server sent exactly the request its tool contract
//      (tools/<id>.yaml implementation.http, read with brainc's compileBrain) defines for the arguments the
//      fake model passed (recorded in its log; strings that need percent-encoding): method, host, decoded
//      path segments, decoded query parameters (no others), the contract's headers with `${env:…}` resolved
//      from the environment given to n8n, and the parsed JSON body (see expectedRequest). A tool whose
//      path gets a dot segment (`.`, `..`: the "dot-segment" case's fake model passes ".." for every string)
//      must send nothing, and the model must get brainc's refusal as the tool's answer;
//   5. for a case with `webhookToken`: `n8n publish:workflow` of the workflows with Webhook triggers, then
//      `n8n start`, and a POST to each webhook: 403 without the header of targets.n8n.webhookAuth and with a
//      wrong token, the agent's answer with the right one; then n8n again without the token's variable in
//      its environment: 500, with or without the header (an unset token never opens a webhook). A webhook
//      whose agent's model is down answers 500, and the published error workflow posts the failure to the
//      URL of targets.n8n.errorAlertUrl (the fake server) as {"text": "<workflow> failed in <node>: …"};
//   6. the README's step 5, run as written: after a published workflow of an "earlier build" (an agent
//      workflow under another id) is imported, it unpublishes that one and no other.
// Options: --keep (keep each case's folder), --case NAME (run only that case).
// Needs: Node 24 (scripts/ensure-node24.sh) and n8n 2.41.1 (scripts/ensure-n8n.sh), both installed from the
// npm registry into .cache/ on first use (about 7 minutes); nothing else leaves 127.0.0.1.
// Exit code 0 when every assertion holds. Prints each step with its wall time.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { start } from "../test/fake-openai/index.mjs";
import { readmeStep } from "./lib/readme-step.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const { compileBrain } = await import(pathToFileURL(join(root, "dist/src/index.js")).href);
const keep = process.argv.includes("--keep");
const onlyCase = process.argv.includes("--case") ? process.argv[process.argv.indexOf("--case") + 1] : undefined;
/** What the model gets from an HTTP tool whose URL path value is a dot segment (targets/n8n/tools.ts). */
const DOT_SEGMENT_REFUSAL = "cannot be '.' or '..' in the URL";
const failures = [];
const t0 = Date.now();

async function step(label, fn) {
  const t = Date.now();
  try {
    const result = await fn();
    console.log(`  ok   ${label} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    return result;
  } catch (e) {
    console.log(`  FAIL ${label} (${((Date.now() - t) / 1000).toFixed(1)} s)\n       ${String(e.message ?? e).split("\n").join("\n       ")}`);
    failures.push(label);
    return undefined;
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

console.log("n8n conformance (n8n 2.41.1, Node 24)");
const node24 = await step("Node 24 (scripts/ensure-node24.sh)", () => execFileSync("bash", [join(root, "scripts/ensure-node24.sh")], { encoding: "utf8" }).trim());
const n8nBin = await step("n8n 2.41.1 (scripts/ensure-n8n.sh; first run installs it)", () => execFileSync("bash", [join(root, "scripts/ensure-n8n.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim());
if (!node24 || !n8nBin) process.exit(1);

/** Environment of every n8n call: offline, no telemetry, SQLite in `userFolder`, env access for {{ $env }}. */
function n8nEnv(userFolder, extra) {
  return {
    ...process.env,
    PATH: `${join(node24, "..")}:${process.env.PATH}`,
    N8N_USER_FOLDER: userFolder,
    N8N_DIAGNOSTICS_ENABLED: "false",
    N8N_VERSION_NOTIFICATIONS_ENABLED: "false",
    N8N_TEMPLATES_ENABLED: "false",
    N8N_PERSONALIZATION_ENABLED: "false",
    N8N_HIRING_BANNER_ENABLED: "false",
    N8N_COMMUNITY_PACKAGES_ENABLED: "false",
    N8N_LICENSE_AUTO_RENEW_ENABLED: "false",
    N8N_ENCRYPTION_KEY: "brainc-conformance-key-0123456789",
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: "false",
    N8N_LISTEN_ADDRESS: "127.0.0.1",
    N8N_HOST: "127.0.0.1",
    N8N_PORT: "5688",
    N8N_RUNNERS_BROKER_LISTEN_ADDRESS: "127.0.0.1",
    N8N_BLOCK_ENV_ACCESS_IN_NODE: "false",
    DB_TYPE: "sqlite",
    GENERIC_TIMEZONE: "UTC",
    NODE_ENV: "production",
    N8N_LOG_LEVEL: "info",
    ...extra,
  };
}

/**
 * Runs one n8n CLI command (asynchronously: the fake server answers from this process meanwhile); kills it
 * after 5 minutes. Resolves to its exit code and output.
 */
function n8n(env, args) {
  return new Promise((resolve) => {
    const child = spawn(node24, [n8nBin, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The run data of `n8n execute --rawOutput`: the JSON after the banner lines, from the first line "{". */
function parseRun(stdout) {
  const at = stdout.indexOf("\n{\n");
  const text = stdout.startsWith("{\n") ? stdout : at >= 0 ? stdout.slice(at + 1) : "";
  assert(text, `no run data in the output:\n${stdout.slice(-2000)}`);
  return JSON.parse(text);
}

/**
 * Runs `n8n start` until `use(url)` settles (the instance's address, once every webhook path of `paths` is
 * registered: n8n answers 404 until it has activated the published workflows; the probes carry no token),
 * then stops it. Fails when n8n does not get there within 90 s; its log is in the error.
 */
async function withServer(env, paths, use) {
  const child = spawn(node24, [n8nBin, "start"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (c) => (log += c));
  child.stderr.on("data", (c) => (log += c));
  const exited = new Promise((resolve) => child.on("close", resolve));
  const url = `http://127.0.0.1:${env.N8N_PORT}`;
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const statuses = await Promise.all(paths.map((path) => callWebhook(url, path, {}).then((r) => r.status, () => 0)));
      if (statuses.every((status) => status !== 0 && status !== 404)) break;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`n8n start did not come up:\n${log.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return await use(url);
  } finally {
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * The text of the alert the error workflow posted to `alertUrl` (a /tool/ URL of the fake server) after log
 * entry `before`, which must be the JSON body {"text": "<workflow name> failed in <node>: <error>\n<execution
 * URL>"} for the workflow named `name`. Waits up to 60 s: n8n runs the error workflow after answering.
 */
async function alertAfter(fake, before, alertUrl, name) {
  const path = new URL(alertUrl).pathname;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const alerts = fake.log.slice(before).filter((e) => e.kind === "tool" && e.url === path);
    if (alerts.length) {
      assert(alerts.length === 1 && alerts[0].method === "POST", `alerts: ${alerts.map((a) => `${a.method} ${a.body}`).join("; ")}`);
      const body = JSON.parse(alerts[0].body);
      assert(Object.keys(body).join() === "text" && body.text.startsWith(`${name} failed in `) && /\n\S+\/workflow\/\S+\/executions\/\d+$/.test(body.text), `alert body ${alerts[0].body}`);
      assert(/^application\/json/.test(alerts[0].headers["content-type"] ?? ""), `alert content-type ${alerts[0].headers["content-type"]}`);
      return body.text;
    }
    assert(Date.now() < deadline, `no alert reached ${alertUrl} within 60 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A POST of a JSON message to a webhook path of a running n8n: status and body text. */
async function callWebhook(url, path, headers) {
  const r = await fetch(`${url}/webhook/${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ chatInput: "conformance webhook call", sessionId: "conformance" }) });
  return { status: r.status, text: await r.text() };
}

// ---- The request an HTTP tool contract defines (brain-format.md tools/<id>.yaml, schemas/tool.schema.json),
// written from the contract format, not from the n8n target's code, so that it judges that code.

/** `{{name}}` placeholders (of top-level input properties) and `${env:NAME}` / `${env:NAME:-default}` references. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;
const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const ONE_PLACEHOLDER = /^\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$/;

/**
 * A contract string as pieces: `{ text }` (literal text, and env references resolved from `env`: the variable,
 * or the default when it is unset or empty) and `{ arg }` (a placeholder of an input property; a `{{…}}` of
 * any other name stays text).
 */
function contractPieces(tool, value, env) {
  const props = tool.input?.properties ?? {};
  const out = [];
  const pushText = (text) => {
    let last = 0;
    for (const m of text.matchAll(PLACEHOLDER)) {
      if (!Object.hasOwn(props, m[1])) continue;
      if (m.index > last) out.push({ text: text.slice(last, m.index) });
      out.push({ arg: m[1] });
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push({ text: text.slice(last) });
  };
  let last = 0;
  for (const m of value.matchAll(ENV_REF)) {
    pushText(value.slice(last, m.index));
    out.push({ text: env[m[1]] || (m[2] ?? "") });
    last = m.index + m[0].length;
  }
  pushText(value.slice(last));
  return out;
}

/** An argument's text inside a longer string: a string as it is, anything else as JSON. */
const argText = (value) => (typeof value === "string" ? value : JSON.stringify(value));

/** A contract string (header or query value, or a body string that is not exactly one placeholder) for `args`. */
function fillText(tool, value, env, args) {
  return contractPieces(tool, value, env).map((p) => ("arg" in p ? argText(args[p.arg]) : p.text)).join("");
}

/** The JSON body for `args`: a string that is exactly one placeholder takes the argument's JSON value. */
function fillJson(tool, value, env, args) {
  if (typeof value === "string") {
    const one = ONE_PLACEHOLDER.exec(value);
    return one && Object.hasOwn(tool.input?.properties ?? {}, one[1]) ? args[one[1]] : fillText(tool, value, env, args);
  }
  if (Array.isArray(value)) return value.map((v) => fillJson(tool, v, env, args));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(tool, v, env, args)]));
  return value;
}

/**
 * The request an http tool contract defines for `args` with environment `env`, in a comparable form: method,
 * host (undefined when a placeholder picks the scheme or host: then the model chooses where it goes), path
 * (the decoded segments: a placeholder's value stays within its segment, whatever it holds), query (decoded
 * name/value pairs of the URL's own query and the contract's `query`, sorted), headers (the contract's, names
 * lower-cased) and body (the JSON value; undefined without one).
 */
function expectedRequest(tool, args, env) {
  const http = tool.implementation.http;
  const pieces = contractPieces(tool, http.url, env);
  const lead = [];
  for (const p of pieces) {
    if ("arg" in p) break;
    lead.push(p.text);
  }
  const leadText = lead.join("");
  const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(leadText);
  const expected = {
    method: http.method ?? "GET",
    host: authority && (authority[0].length < leadText.length || lead.length === pieces.length) ? authority[1] : undefined,
    path: undefined,
    query: [],
    headers: Object.fromEntries(Object.entries(http.headers ?? {}).map(([name, value]) => [name.toLowerCase(), fillText(tool, value, env, args)])),
    body: http.body === undefined ? undefined : fillJson(tool, http.body, env, args),
  };
  if (expected.host === undefined) return expected;
  // After the authority: path segments up to the first "?" of the contract's text, then the URL's own query.
  let skip = authority[0].length;
  const segments = [[]];
  const urlQuery = [];
  for (const p of pieces) {
    if (urlQuery.length) urlQuery.push("arg" in p ? encodeURIComponent(argText(args[p.arg])) : p.text);
    else if ("arg" in p) segments.at(-1).push(argText(args[p.arg]));
    else {
      const text = p.text.slice(skip);
      skip = Math.max(0, skip - p.text.length);
      const q = text.search(/[?#]/);
      const pathText = q < 0 ? text : text.slice(0, q);
      pathText.split("/").forEach((s, i) => {
        if (i > 0) segments.push([]);
        segments.at(-1).push(decodeURIComponent(s));
      });
      if (q >= 0) urlQuery.push(text.slice(q));
    }
  }
  expected.path = segments.map((s) => s.join(""));
  if (expected.path.length === 1) expected.path = ["", ""]; // no path: "/"
  const ownQuery = urlQuery.join("").replace(/^\?/, "").replace(/#.*$/, "");
  expected.query = [...new URLSearchParams(ownQuery), ...Object.entries(http.query ?? {}).map(([name, value]) => [name, fillText(tool, value, env, args)])].sort(comparePairs);
  return expected;
}

function comparePairs(a, b) {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** A request the fake server recorded (method, raw url, headers, raw body) in the form of {@link expectedRequest}. */
function receivedRequest(entry, expected) {
  const url = entry.url ?? "";
  const q = url.indexOf("?");
  const decode = (s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return `<bad encoding ${s}>`;
    }
  };
  let body;
  if (entry.body) {
    try {
      body = JSON.parse(entry.body);
    } catch {
      body = `<not JSON: ${entry.body}>`;
    }
  }
  return {
    method: entry.method,
    host: entry.headers?.host,
    path: (q < 0 ? url : url.slice(0, q)).split("/").map(decode),
    query: [...new URLSearchParams(q < 0 ? "" : url.slice(q + 1))].sort(comparePairs),
    headers: Object.fromEntries(Object.keys(expected.headers).map((name) => [name, entry.headers?.[name]])),
    body,
  };
}

/** The fields in which a received request differs from the expected one, as "field: want … / got …" lines. */
function requestDiff(expected, received) {
  const lines = [];
  for (const key of ["method", "host", "path", "query", "headers", "body"]) {
    const want = JSON.stringify(sortKeys(expected[key]));
    const got = JSON.stringify(sortKeys(received[key]));
    if (want !== got) lines.push(`${key}:\n  want ${want}\n  got  ${got}`);
  }
  return lines;
}

/**
 * Step 5: the Webhook triggers of `workflows` as a running n8n serves them. `token` names the variable of
 * targets.n8n.webhookAuth's token, set in `env`; every trigger must check the header of its Header Auth
 * credential (in `credentials`, the generated credentials.json). A workflow whose chat model is one of
 * `failModels` must fail, and with `alertVar` (the variable of targets.n8n.errorAlertUrl, a URL of the fake
 * server) the published error workflow must post the failure there.
 */
async function checkWebhooks(env, workflows, credentials, token, { fake, failModels, alertVar }) {
  const hooks = workflows.flatMap(({ file, json }) =>
    json.nodes.filter((n) => n.type === "n8n-nodes-base.webhook").map((n) => ({
      file,
      id: json.id,
      name: json.name,
      path: n.parameters.path,
      auth: n.parameters.authentication,
      credential: credentials.find((c) => c.id === n.credentials?.httpHeaderAuth?.id),
      fails: json.nodes.some((m) => failModels.includes(m.parameters?.model?.value)),
    })),
  );
  if (!(await step(`${hooks.length} Webhook triggers check a Header Auth credential that reads ${token}`, () => {
    assert(hooks.length > 0, "no Webhook trigger");
    for (const h of hooks) assert(h.auth === "headerAuth" && h.credential?.data.value === `={{ $env.${token} }}`, `${h.file} /webhook/${h.path}: authentication ${h.auth}, credential ${JSON.stringify(h.credential)}`);
    return true;
  }))) return;
  const errorHandler = workflows.find((w) => w.file === "error-handler.json").json;
  for (const id of new Set([...(alertVar ? [errorHandler.id] : []), ...hooks.map((h) => h.id)])) {
    await step(`n8n publish:workflow --id=${id}`, async () => {
      const r = await n8n(env, ["publish:workflow", `--id=${id}`]);
      assert(r.code === 0, `rc ${r.code}\n${r.stdout}${r.stderr}`.slice(-3000));
    });
  }
  const served = await step(`n8n start: each webhook answers 403 without its header or with a wrong token, the agent's reply with ${token}`, () =>
    withServer(env, hooks.map((h) => h.path), async (url) => {
      const seen = [];
      for (const h of hooks) {
        const header = h.credential.data.name;
        const none = await callWebhook(url, h.path, {});
        const wrong = await callWebhook(url, h.path, { [header]: `${env[token]}-wrong` });
        const before = fake.log.length;
        const right = await callWebhook(url, h.path, { [header]: env[token] });
        assert(none.status === 403 && wrong.status === 403, `/webhook/${h.path}: without the header ${none.status}, with a wrong token ${wrong.status} (want 403 and 403)`);
        if (h.fails) {
          assert(right.status === 500, `/webhook/${h.path} (its model is down) with ${header}: ${right.status} ${right.text.slice(0, 300)} (want 500)`);
          seen.push(`/webhook/${h.path} 403/403/500${alertVar ? ` and the alert ${JSON.stringify(await alertAfter(fake, before, env[alertVar], h.name))}` : ""}`);
          continue;
        }
        assert(right.status === 200 && JSON.parse(right.text).output?.startsWith("FAKE("), `/webhook/${h.path} with ${header}: ${right.status} ${right.text.slice(0, 300)}`);
        seen.push(`/webhook/${h.path} 403/403/200`);
      }
      return seen.join(", ");
    }),
  );
  if (served) console.log(`       ${served}`);
  const unset = { ...env };
  delete unset[token];
  await step(`n8n start without ${token}: each webhook answers 500, with or without its header`, () =>
    withServer(unset, hooks.map((h) => h.path), async (url) => {
      for (const h of hooks) {
        const none = await callWebhook(url, h.path, {});
        const empty = await callWebhook(url, h.path, { [h.credential.data.name]: "" });
        assert(none.status === 500 && empty.status === 500, `/webhook/${h.path} with ${token} unset: without the header ${none.status}, with an empty one ${empty.status} (want 500)`);
      }
    }),
  );
}

/** The id of the workflow {@link checkRetire} imports as one that an earlier build of the brain had. */
const RETIRED_ID = "brainretired0001";

/**
 * Step 6: README step 5 (unpublish the workflows of the brain that the build no longer has), run as written
 * with `n8n` on the PATH, after a workflow of an earlier build (an agent workflow without webhook ids, under
 * another id) was imported and published. It must unpublish that one and leave the published workflows of
 * the build published.
 */
async function checkRetire(env, dir, workflows, readme) {
  const template = workflows.find(({ file, json }) => file !== "error-handler.json" && !json.nodes.some((n) => n.webhookId));
  if (!template) return;
  const kept = await step(`README step 5 unpublishes a published workflow of the brain that the build no longer has (${RETIRED_ID})`, async () => {
    const retired = join(dir, "retired.json");
    writeFileSync(retired, JSON.stringify({ ...template.json, id: RETIRED_ID, name: `${template.json.name} (retired)` }));
    for (const args of [["import:workflow", `--input=${retired}`], ["publish:workflow", `--id=${RETIRED_ID}`]]) {
      const r = await n8n(env, args);
      assert(r.code === 0, `${args[0]}: rc ${r.code}\n${r.stdout}${r.stderr}`.slice(-3000));
    }
    const active = async () => {
      const file = join(dir, "active.json");
      const r = await n8n(env, ["export:workflow", "--all", `--output=${file}`]);
      assert(r.code === 0, `export: rc ${r.code}\n${r.stderr}`.slice(-3000));
      return new Map(JSON.parse(readFileSync(file, "utf8")).map((w) => [w.id, w.active]));
    };
    const before = await active();
    assert(before.get(RETIRED_ID) === true, `${RETIRED_ID} is not published`);
    const script = readmeStep(readme, /Unpublish what this build no longer has/);
    assert(script, "README.md has no step that unpublishes what the build no longer has, with a sh block");
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "n8n"), `#!/bin/sh\nexec "${node24}" "${n8nBin}" "$@"\n`, { mode: 0o755 });
    const cwd = join(dir, "retire");
    mkdirSync(cwd, { recursive: true });
    const r = spawnSync("bash", ["-euo", "pipefail", "-c", script], { cwd, env: { ...env, PATH: `${bin}:${env.PATH}` }, encoding: "utf8" });
    assert(r.status === 0, `the README's commands: rc ${r.status}\n${r.stdout}${r.stderr}`.slice(-3000));
    const after = await active();
    assert(after.get(RETIRED_ID) === false, `${RETIRED_ID} is still published`);
    const changed = [...before].filter(([id, was]) => id !== RETIRED_ID && after.get(id) !== was);
    assert(changed.length === 0, `other workflows changed: ${changed.map(([id, was]) => `${id} ${was} → ${after.get(id)}`).join(", ")}`);
    assert(readdirSync(cwd).length === 0, `left files behind: ${readdirSync(cwd).join(", ")}`);
    return `${[...before].filter(([, was]) => was).length - 1} published workflows of the build kept`;
  });
  if (kept) console.log(`       ${kept}`);
}

/**
 * One case: a brain folder, the env vars its `${env:…}` references need (besides the fake server's URL,
 * set as each name in `urlVars`), models the fake server fails, the agents whose run is asserted, the
 * fake model's value for string arguments (`stringArg`, default the fake server's), the variable of
 * targets.n8n.webhookAuth's token (`webhookToken`: run step 5) and of targets.n8n.errorAlertUrl (`alertVar`:
 * set to a URL of the fake server).
 */
async function runCase({ name, brain, urlVars, env: extraEnv, failModels, execute, stringArg, webhookToken, alertVar }) {
  if (onlyCase && name !== onlyCase) return;
  console.log(`\ncase ${name} (${brain})`);
  const dir = mkdtempSync(join(tmpdir(), `brainc-n8n-${name}-`));
  const out = join(dir, "out");
  const built = await step("brainc build --target n8n", () => {
    execFileSync(process.execPath, [join(root, "bin/brainc.js"), "build", "--brain", brain, "--target", "n8n", "--out", out, "--env", "default"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return join(out, "n8n");
  });
  if (!built) return;
  const contracts = await step("brainc compileBrain (the agents' tool contracts, for the exact-request checks)", async () => {
    const result = await compileBrain(brain, { env: "default" });
    assert(result.brain, `no brain: ${result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}: ${d.message}`).join("; ")}`);
    return result.brain;
  });
  if (!contracts) return;
  return start({ failModels, logFile: join(dir, "fake-openai.jsonl"), stringArg }).then(async (fake) => {
    try {
      const env = n8nEnv(join(dir, "n8n"), { ...Object.fromEntries(urlVars.map((v) => [v, fake.url])), ...(alertVar && { [alertVar]: `${fake.url}/tool/alert` }), ...extraEnv });
      const files = readdirSync(built).filter((f) => f.endsWith(".json")).sort();
      const workflows = files.filter((f) => f !== "credentials.json").map((f) => ({ file: f, json: JSON.parse(readFileSync(join(built, f), "utf8")) }));
      await step("n8n import:credentials credentials.json (as generated)", async () => {
        const r = await n8n(env, ["import:credentials", `--input=${join(built, "credentials.json")}`]);
        assert(r.code === 0, `rc ${r.code}\n${r.stdout}${r.stderr}`.slice(-3000));
      });
      for (const { file } of [...workflows].sort((a, b) => (a.file === "error-handler.json" ? -1 : b.file === "error-handler.json" ? 1 : 0))) {
        await step(`n8n import:workflow ${file}`, async () => {
          const r = await n8n(env, ["import:workflow", `--input=${join(built, file)}`]);
          assert(r.code === 0 && /Successfully imported 1 workflow/.test(r.stdout + r.stderr), `rc ${r.code}\n${r.stdout}${r.stderr}`.slice(-3000));
        });
      }
      await step(`n8n export:workflow --all: ${workflows.length} workflows round-trip (nodes, connections, settings, meta)`, async () => {
        const target = join(dir, "export.json");
        const r = await n8n(env, ["export:workflow", "--all", `--output=${target}`]);
        assert(r.code === 0, `rc ${r.code}\n${r.stderr}`.slice(-3000));
        const exported = new Map(JSON.parse(readFileSync(target, "utf8")).map((w) => [w.id, w]));
        for (const { file, json } of workflows) {
          const back = exported.get(json.id);
          assert(back, `${file}: workflow ${json.id} is not in n8n`);
          for (const key of ["name", "nodes", "connections", "settings", "meta"]) {
            assert(JSON.stringify(sortKeys(back[key])) === JSON.stringify(sortKeys(json[key])), `${file}: ${key} changed on import:\n  ${JSON.stringify(json[key]).slice(0, 400)}\n  ${JSON.stringify(back[key]).slice(0, 400)}`);
          }
        }
      });
      /**
       * The exact-request check of one executed agent: for each HTTP tool node of the workflow (in the order
       * the fake model called them), the contract's request for the arguments the model passed must be the
       * one the fake server received. Tools whose URL leads elsewhere (another host, or one the model picks)
       * are not checked. A tool whose path would get a dot segment sends nothing, and the agent's `output`
       * (the fake model's answer, which quotes the tools' answers) holds brainc's refusal. Returns one note
       * per tool for the log.
       */
      function checkToolRequests(wf, agentFile, fake, before, env, output) {
        const agentId = wf.meta?.brainc?.agent;
        const agent = contracts.agents[agentId];
        assert(agent, `${agentFile}: meta.brainc.agent ${JSON.stringify(agentId)} is not an agent of the brain`);
        const nodes = new Set(wf.nodes.filter((n) => n.type === "n8n-nodes-base.httpRequestTool").map((n) => n.name));
        const httpTools = agent.tools.filter((t) => t.implementation.http && nodes.has(t.id));
        const since = fake.log.slice(before);
        const toolCalls = since.filter((e) => e.kind === "chat.completions" && e.toolCall).map((e) => e.toolCall);
        const norm = (name) => name.replace(/[^A-Za-z0-9]/g, "_").toLowerCase();
        const wanted = [];
        const notes = [];
        for (const tool of httpTools) {
          const at = toolCalls.findIndex((c) => c.name === tool.id || norm(c.name) === norm(tool.id));
          assert(at >= 0, `the fake model did not call HTTP tool ${tool.id} (it called: ${toolCalls.map((c) => c.name).join(", ") || "none"})`);
          const expected = expectedRequest(tool, toolCalls[at].arguments, env);
          if (expected.path?.some((segment) => segment === "." || segment === "..")) {
            assert(output.includes(DOT_SEGMENT_REFUSAL), `HTTP tool ${tool.id} got a dot segment in its path (arguments ${JSON.stringify(toolCalls[at].arguments)}), and the model did not get brainc's refusal: ${output.slice(0, 400)}`);
            notes.push(`${tool.id} refused (a dot segment in its path; nothing sent)`);
            continue;
          }
          if (expected.host !== `127.0.0.1:${fake.port}`) notes.push(`${tool.id} not checked (sent to ${expected.host ?? "a host the model picks"})`);
          else wanted.push({ at, tool, expected });
        }
        wanted.sort((a, b) => a.at - b.at);
        // The fake model calls one tool per turn, so the tools' requests arrive in the order of the calls.
        const requests = since.filter((e) => e.kind === "tool" || e.kind === "models" || e.kind === "unhandled");
        assert(requests.length === wanted.length, `${wanted.length} HTTP tool request(s) expected at the fake server (${wanted.map((w) => w.tool.id).join(", ") || "none"}), ${requests.length} received: ${requests.map((r) => `${r.method} ${r.url}`).join(", ") || "none"}`);
        const problems = [];
        wanted.forEach(({ tool, expected }, i) => {
          const received = receivedRequest(requests[i], expected);
          const diff = requestDiff(expected, received);
          // A JSON body goes as application/json unless the contract sets its own Content-Type (compared above).
          const type = String(requests[i].headers?.["content-type"] ?? "");
          if (expected.body !== undefined && !("content-type" in expected.headers) && !/^application\/json\s*(;|$)/i.test(type)) diff.push(`content-type:\n  want application/json\n  got  ${JSON.stringify(type)}`);
          if (diff.length) problems.push(`HTTP tool ${tool.id} (arguments ${JSON.stringify(toolCalls[wanted[i].at].arguments)}) sent ${requests[i].method} ${requests[i].url}, not the request its contract defines:\n${diff.join("\n")}`);
          else notes.push(`${tool.id} exact (${requests[i].method} ${requests[i].url})`);
        });
        assert(problems.length === 0, problems.join("\n"));
        return notes;
      }
      for (const agentFile of execute) {
        const wf = workflows.find((w) => w.file === agentFile)?.json;
        if (!wf) {
          await step(`${agentFile} exists`, () => assert(false, "not generated"));
          continue;
        }
        const before = fake.log.length;
        const exact = [];
        await step(`n8n execute --id=${wf.id} (${agentFile})`, async () => {
          const r = await n8n(env, ["execute", `--id=${wf.id}`, "--rawOutput"]);
          assert(r.code === 0, `rc ${r.code}\n${(r.stdout + r.stderr).slice(-3000)}`);
          const run = parseRun(r.stdout);
          assert(run.status === "success", `status ${run.status}: ${run.data?.resultData?.error?.message}`);
          const runData = run.data.resultData.runData;
          // The AI Agent the Execute Workflow Trigger feeds, its models and its prompt.
          const agentName = wf.connections["Called by workflow"].main[0][0].node;
          const agent = wf.nodes.find((n) => n.name === agentName);
          const models = Object.entries(wf.connections)
            .filter(([, c]) => c.ai_languageModel?.[0]?.some((t) => t.node === agentName))
            .map(([from, c]) => ({ index: c.ai_languageModel[0].find((t) => t.node === agentName).index, model: wf.nodes.find((n) => n.name === from).parameters.model.value }))
            .sort((a, b) => a.index - b.index)
            .map((m) => m.model);
          const output = runData[agentName]?.[0]?.data?.main?.[0]?.[0]?.json?.output;
          assert(typeof output === "string" && output.startsWith("FAKE("), `agent ${agentName} gave no answer: ${JSON.stringify(runData[agentName]?.[0]?.error ?? output)}`);
          const calls = fake.log.slice(before).filter((e) => e.kind === "chat.completions");
          assert(calls.length > 0, "the fake server got no chat completion");
          for (const c of calls) assert(c.system === agent.parameters.options.systemMessage, `system prompt sent differs from the brain's:\n  sent: ${String(JSON.stringify(c.system)).slice(0, 300)}\n  want: ${JSON.stringify(agent.parameters.options.systemMessage).slice(0, 300)}`);
          assert(calls[0].model === models[0], `first call went to ${calls[0].model}, not the primary ${models[0]}`);
          if (failModels.includes(models[0])) {
            assert(models.length === 2 && agent.parameters.needsFallback === true, "a failing primary without a fallback");
            assert(calls.every((c, i) => c.model === models[i % 2] && c.failed === (i % 2 === 0)), `calls did not alternate failing primary → fallback: ${calls.map((c) => `${c.model}${c.failed ? "(500)" : ""}`).join(", ")}`);
            assert(output.startsWith(`FAKE(${models[1]})`), `answer did not come from the fallback: ${output.slice(0, 80)}`);
          } else {
            assert(calls.every((c) => c.model === models[0] && !c.failed), `calls: ${calls.map((c) => c.model).join(", ")}`);
          }
          const httpTools = wf.nodes.filter((n) => n.type === "n8n-nodes-base.httpRequestTool" && n.parameters.url.includes("$env"));
          for (const tool of httpTools) {
            const hit = fake.log.slice(before).find((e) => e.kind === "models");
            assert(hit, `HTTP tool ${tool.name} did not reach the fake server`);
            if (extraEnv.FAKE_TOOL_TOKEN) assert(hit.authorization === extraEnv.FAKE_TOOL_TOKEN, `HTTP tool ${tool.name} sent Authorization ${hit.authorization}`);
          }
          exact.push(...checkToolRequests(wf, agentFile, fake, before, env, output));
          return `${calls.length} calls: ${calls.map((c) => `${c.model}${c.failed ? "(500)" : ""}`).join(", ")}`;
        });
        const calls = fake.log.slice(before).filter((e) => e.kind === "chat.completions");
        console.log(`       ${calls.length} LLM calls: ${calls.map((c) => `${c.model}${c.failed ? " (500)" : ""}`).join(" → ")}; tools offered: ${[...new Set(calls.flatMap((c) => c.toolNames ?? []))].join(", ") || "none"}`);
        if (exact.length) console.log(`       HTTP tool requests: ${exact.join("; ")}`);
      }
      if (webhookToken) await checkWebhooks(env, workflows, JSON.parse(readFileSync(join(built, "credentials.json"), "utf8")), webhookToken, { fake, failModels, alertVar });
      await checkRetire(env, dir, workflows, readFileSync(join(built, "README.md"), "utf8"));
    } finally {
      await fake.close();
      if (!keep) rmSync(dir, { recursive: true, force: true });
      else console.log(`  kept ${dir}`);
    }
  });
}

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

// Case 1: the focused conformance brain: fallback, tools with a credential header, persona, multiple triggers.
await runCase({
  name: "conformance",
  brain: join(root, "test/fixtures/brains/n8n-conformance"),
  urlVars: ["FAKE_OPENAI_URL"],
  env: { FAKE_OPENAI_KEY: "sk-fake-not-secret", FAKE_TOOL_TOKEN: "Bearer fake-tool-token", CONFORMANCE_WEBHOOK_TOKEN: "conformance-webhook-token" },
  failModels: ["flaky-model", "n8n-conformance-down"],
  execute: ["assistant.json", "watcher.json", "digest.json"],
  webhookToken: "CONFORMANCE_WEBHOOK_TOKEN",
  alertVar: "CONFORMANCE_ALERT_URL",
});

// Case 2: the same brain with a model that passes ".." for every string argument: a tool whose URL path
// holds one refuses it (its URL would lead to the parent path); the other tools send it as a value.
await runCase({
  name: "dot-segment",
  brain: join(root, "test/fixtures/brains/n8n-conformance"),
  urlVars: ["FAKE_OPENAI_URL"],
  env: { FAKE_OPENAI_KEY: "sk-fake-not-secret", FAKE_TOOL_TOKEN: "Bearer fake-tool-token" },
  failModels: [],
  execute: ["assistant.json"],
  stringArg: "..",
});

// Case 3: the example brain, with the in-process buffer memory instead of Postgres (no database here).
// email-triage is imported but not run: its Gmail MCP server is not reachable offline.
const example = mkdtempSync(join(tmpdir(), "brainc-n8n-example-brain-"));
cpSync(join(root, "brain"), example, { recursive: true });
const manifest = join(example, "brain.yaml");
const postgres = /memory: postgres\n\s*memoryCredential: "Brain Postgres"\n/;
const manifestText = readFileSync(manifest, "utf8");
if (!postgres.test(manifestText)) throw new Error("brain/brain.yaml: targets.n8n memory: postgres and its memoryCredential not found (this script swaps them for buffer memory)");
writeFileSync(manifest, manifestText.replace(postgres, "memory: buffer\n"));
await runCase({
  name: "example",
  brain: example,
  urlVars: ["LITELLM_BASE_URL"],
  env: { LITELLM_API_KEY: "sk-fake-not-secret", N8N_WEBHOOK_TOKEN: "example-webhook-token" },
  failModels: [],
  execute: ["uptime-monitor.json", "incident-reporter.json", "price-watcher.json", "security-log-triage.json"],
  webhookToken: "N8N_WEBHOOK_TOKEN",
});
rmSync(example, { recursive: true, force: true });

console.log(`\n${failures.length ? `FAILED: ${failures.length} step(s): ${failures.join("; ")}` : "all steps passed"} (${((Date.now() - t0) / 1000).toFixed(1)} s in total)`);
process.exit(failures.length ? 1 : 0);
