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
//      fallback model when the primary answered 500, and that the HTTP tools sent their credential header.
// Needs: Node 24 (scripts/ensure-node24.sh) and n8n 2.41.1 (scripts/ensure-n8n.sh), both installed from the
// npm registry into .cache/ on first use (about 7 minutes); nothing else leaves 127.0.0.1.
// Exit code 0 when every assertion holds. Prints each step with its wall time.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { start } from "../test/fake-openai/index.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const keep = process.argv.includes("--keep");
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
 * One case: a brain folder, the env vars its `${env:…}` references need (besides the fake server's URL,
 * set as each name in `urlVars`), models the fake server fails, and the agents whose run is asserted.
 */
async function runCase({ name, brain, urlVars, env: extraEnv, failModels, execute }) {
  console.log(`\ncase ${name} (${brain})`);
  const dir = mkdtempSync(join(tmpdir(), `brainc-n8n-${name}-`));
  const out = join(dir, "out");
  const built = await step("brainc build --target n8n", () => {
    execFileSync(process.execPath, [join(root, "bin/brainc.js"), "build", "--brain", brain, "--target", "n8n", "--out", out, "--env", "default"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return join(out, "n8n");
  });
  if (!built) return;
  return start({ failModels, logFile: join(dir, "fake-openai.jsonl") }).then(async (fake) => {
    try {
      const env = n8nEnv(join(dir, "n8n"), { ...Object.fromEntries(urlVars.map((v) => [v, fake.url])), ...extraEnv });
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
      for (const agentFile of execute) {
        const wf = workflows.find((w) => w.file === agentFile)?.json;
        if (!wf) {
          await step(`${agentFile} exists`, () => assert(false, "not generated"));
          continue;
        }
        const before = fake.log.length;
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
          return `${calls.length} calls: ${calls.map((c) => `${c.model}${c.failed ? "(500)" : ""}`).join(", ")}`;
        });
        const calls = fake.log.slice(before).filter((e) => e.kind === "chat.completions");
        console.log(`       ${calls.length} LLM calls: ${calls.map((c) => `${c.model}${c.failed ? " (500)" : ""}`).join(" → ")}; tools offered: ${[...new Set(calls.flatMap((c) => c.toolNames ?? []))].join(", ") || "none"}`);
      }
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
  env: { FAKE_OPENAI_KEY: "sk-fake-not-secret", FAKE_TOOL_TOKEN: "Bearer fake-tool-token" },
  failModels: ["flaky-model"],
  execute: ["assistant.json", "watcher.json", "digest.json"],
});

// Case 2: the example brain, with the in-process buffer memory instead of Postgres (no database here).
// email-triage is imported but not run: its Gmail MCP server is not reachable offline.
const example = mkdtempSync(join(tmpdir(), "brainc-n8n-example-brain-"));
cpSync(join(root, "brain"), example, { recursive: true });
const manifest = join(example, "brain.yaml");
writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/n8n: \{[^}]*\}/, 'n8n: { version: "2.41", llmCredential: "LiteLLM proxy", memory: buffer }'));
await runCase({
  name: "example",
  brain: example,
  urlVars: ["LITELLM_BASE_URL"],
  env: { LITELLM_API_KEY: "sk-fake-not-secret" },
  failModels: [],
  execute: ["uptime-monitor.json", "incident-reporter.json", "price-watcher.json", "security-log-triage.json"],
});
rmSync(example, { recursive: true, force: true });

console.log(`\n${failures.length ? `FAILED: ${failures.length} step(s): ${failures.join("; ")}` : "all steps passed"} (${((Date.now() - t0) / 1000).toFixed(1)} s in total)`);
process.exit(failures.length ? 1 : 0);
