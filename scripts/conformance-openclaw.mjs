#!/usr/bin/env node
// Conformance of the OpenClaw target against the real OpenClaw CLI (pinned below).
//
// Builds brain/ and every test/fixtures/brains/openclaw-*/ brain with the OpenClaw target (as `brainc build`),
// then, for each output (base and overlay envs), runs openclaw@OPENCLAW_VERSION on Node 24 with HOME,
// OPENCLAW_HOME and OPENCLAW_STATE_DIR in a temp dir and OPENCLAW_CONFIG_PATH at a copy of the generated
// openclaw.json whose workspaces point at the generated workspaces:
//   - `openclaw config validate --json`       exit 0, valid, no warnings (every referenced env var is set
//                                              to a placeholder; `${VAR:-default}` ones are left unset so
//                                              the env.vars defaults are exercised);
//   - `openclaw agents list --json --bindings` the config's agents, primary models and bindings;
//   - `openclaw models list --json --agent`   the primary tagged "default", fallbacks "fallback#n" in order
//                                              (for agents with fallbacks);
//   - `openclaw skills list --agent --json`   each workspace skill discovered, eligible and model-visible;
//   - `openclaw approvals set --file exec-approvals.json`, then `approvals get --json`: every allowlist entry
//                                              stored as written (pattern and argPattern);
//   - `openclaw gateway run` (brain/ only)      the gateway starts with the config and logs "ready"; then the
//                                              README's cron step, run twice as written after a job of an
//                                              "earlier build" was added, leaves each cron.json job once and
//                                              removes that one; the weekly skill-review jobs are disabled
//                                              unless skills.workshop.autonomous.mode is "auto".
// Prints one line per output with timings; exits 1 on any failure.
//
// Installs (reused when present, not committed): Node 24 in .cache/node24 (scripts/ensure-node24.sh) and
// openclaw in .cache/openclaw. Usage: node scripts/conformance-openclaw.mjs [brain-dir…]
import { execFile as execFileCb, execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { readmeStep } from "./lib/readme-step.mjs";

const execFile = promisify(execFileCb);
const OPENCLAW_VERSION = "2026.9.6";
const root = resolve(import.meta.dirname, "..");
const cacheDir = join(root, ".cache/openclaw");
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;

/** Installs openclaw@OPENCLAW_VERSION into .cache/openclaw unless that exact version is there. */
function ensureOpenClaw() {
  const pkg = join(cacheDir, "node_modules/openclaw/package.json");
  if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).version === OPENCLAW_VERSION) return join(cacheDir, "node_modules/openclaw/openclaw.mjs");
  mkdirSync(cacheDir, { recursive: true });
  if (!existsSync(join(cacheDir, "package.json"))) writeFileSync(join(cacheDir, "package.json"), '{"private":true}\n');
  // --ignore-scripts: openclaw's install scripts only prune dist and restore prebuilds; the CLI works without them.
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--ignore-scripts", `openclaw@${OPENCLAW_VERSION}`], { cwd: cacheDir, stdio: ["ignore", "inherit", "inherit"] });
  return join(cacheDir, "node_modules/openclaw/openclaw.mjs");
}

const node24 = execFileSync("bash", [join(root, "scripts/ensure-node24.sh")], { encoding: "utf8" }).trim();
const openclawCli = ensureOpenClaw();
// The build of brainc itself (dist/) must be current: run `npm run build` first (the CI does).
if (!existsSync(join(root, "dist/targets/openclaw/index.js"))) execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });

/**
 * Runs the openclaw CLI in a fresh temp HOME/state (or in `home`, kept for the next call) with the given
 * config and env; returns rc, stdout, stderr.
 */
async function openclaw(configPath, env, args, home) {
  const tmp = home ?? mkdtempSync(join(tmpdir(), "brainc-openclaw-"));
  mkdirSync(join(tmp, "home"), { recursive: true });
  mkdirSync(join(tmp, "state"), { recursive: true });
  try {
    const { stdout, stderr } = await execFile(node24, [openclawCli, ...args], {
      cwd: tmp, // openclaw reads ./.env
      env: { PATH: process.env.PATH, ...env, HOME: join(tmp, "home"), OPENCLAW_HOME: join(tmp, "home"), OPENCLAW_STATE_DIR: join(tmp, "state"), OPENCLAW_CONFIG_PATH: configPath, OPENCLAW_OFFLINE: "1", OPENCLAW_NO_AUTO_UPDATE: "1" },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(e) };
  } finally {
    if (!home) rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs async jobs with at most `limit` at a time (the machine has 2 cores). */
async function pool(jobs, limit = 2) {
  const results = [];
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  }));
  return results;
}

function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what}: not JSON: ${text.slice(0, 300)}`);
  }
}

/** Variables the output reads: `${NAME}` in openclaw.json, env SecretRef ids, skills' requires.env. */
function envFor(dir, config) {
  const text = readFileSync(join(dir, "openclaw.json"), "utf8");
  const names = new Set([...text.matchAll(/(?<!\$)\$\{([A-Z_][A-Z0-9_]*)\}/g)].map((m) => m[1]));
  const visit = (v) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      if (v.source === "env" && typeof v.id === "string") names.add(v.id);
      Object.values(v).forEach(visit);
    }
  };
  visit(config);
  for (const id of Object.keys(config.agents?.entries ?? {})) {
    for (const skill of skillsOf(dir, id)) {
      const front = readFileSync(join(dir, "workspaces", id, "skills", skill, "SKILL.md"), "utf8").split("\n---")[0];
      const meta = /^metadata: (.*)$/m.exec(front);
      for (const n of meta ? JSON.parse(meta[1]).openclaw?.requires?.env ?? [] : []) names.add(n);
    }
  }
  const defaults = config.env?.vars ?? {};
  return Object.fromEntries([...names].filter((n) => !(n in defaults)).sort().map((n) => [n, "brainc-conformance-placeholder"]));
}

function skillsOf(dir, agent) {
  const skills = join(dir, "workspaces", agent, "skills");
  return existsSync(skills) ? readdirSync(skills).sort() : [];
}

/** Checks one generated openclaw/ folder; returns a list of failures and the timings. */
/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * `openclaw gateway run` on a free loopback port with the config, in a temp HOME/state: once it logs
 * "[gateway] ready", runs `whileUp(cliEnv)` (cliEnv: the environment in which the openclaw CLI reaches it)
 * and resolves with its failures; with the reason the gateway did not get ready (exit, or 90 s) otherwise.
 * Stops it.
 */
async function withGateway(configPath, env, whileUp) {
  const tmp = mkdtempSync(join(tmpdir(), "brainc-openclaw-gateway-"));
  mkdirSync(join(tmp, "home"));
  mkdirSync(join(tmp, "state"));
  const port = String(await freePort());
  const cliEnv = { PATH: process.env.PATH, ...env, HOME: join(tmp, "home"), OPENCLAW_HOME: join(tmp, "home"), OPENCLAW_STATE_DIR: join(tmp, "state"), OPENCLAW_CONFIG_PATH: configPath, OPENCLAW_OFFLINE: "1", OPENCLAW_NO_AUTO_UPDATE: "1", OPENCLAW_GATEWAY_TOKEN: "conformance-token", OPENCLAW_GATEWAY_PORT: port };
  const child = spawn(node24, [openclawCli, "gateway", "run", "--port", port, "--bind", "loopback"], { cwd: tmp, detached: true, env: cliEnv });
  let output = "";
  try {
    const notReady = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(`not ready after 90 s: ${output.slice(-300)}`), 90_000);
      const read = (chunk) => {
        output += chunk;
        if (/\[gateway\] ready/.test(output)) {
          clearTimeout(timer);
          resolve(undefined);
        }
      };
      child.stdout.on("data", read);
      child.stderr.on("data", read);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve(`exit ${code}: ${output.slice(-400)}`);
      });
    });
    return notReady ? [`gateway run: ${notReady}`] : await whileUp(cliEnv);
  } finally {
    // Stop the whole process group and wait for it: a gateway that is still shutting down writes into its
    // state folder (control UI assets), which made removing the folder fail with ENOTEMPTY.
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", r));
    const signal = (name) => {
      try {
        process.kill(-child.pid, name);
      } catch {} // the group is gone
    };
    signal("SIGTERM");
    const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
    signal("SIGKILL"); // what is left of the group (or all of it, when it ignored SIGTERM)
    if (!stopped) await exited;
    rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

/**
 * The README's cron step, run as written (twice) against a running gateway in `cliEnv`, after a job of an
 * "earlier build" (a declaration key of the brain that cron.json does not have) was added: afterwards every
 * job of cron.json is there once, with its agent, the earlier build's job is gone, and OpenClaw's weekly
 * skill-review jobs are enabled only with the Skill Workshop mode "auto" (skills.workshop.autonomous.mode).
 * Returns failures.
 */
async function cronStep(dir, config, cliEnv) {
  const declared = parseJson(readFileSync(join(dir, "cron.json"), "utf8"), "cron.json").jobs;
  const brainName = declared[0]?.declarationKey.split("/")[0];
  if (!brainName) return [];
  const cli = (args) => promisify(execFileCb)(node24, [openclawCli, ...args], { env: cliEnv, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  const stale = `${brainName}/retired-agent/1`;
  await cli(["cron", "add", "--declaration-key", stale, "--name", "Retired #1", "--agent", declared[0].agent, "--every", "1h", "--session", "isolated", "--no-deliver", "--message", "An earlier build's job."]);
  const readme = readFileSync(join(dir, "README.md"), "utf8");
  const script = readmeStep(readme, /apply the cron declarations/);
  if (!script) return ["README.md has no cron step with a sh block"];
  const bin = mkdtempSync(join(tmpdir(), "brainc-openclaw-bin-"));
  try {
    writeFileSync(join(bin, "openclaw"), `#!/bin/sh\nexec "${node24}" "${openclawCli}" "$@"\n`, { mode: 0o755 });
    for (const run of [1, 2]) {
      try {
        await promisify(execFileCb)("bash", ["-euo", "pipefail", "-c", script], { cwd: dir, env: { ...cliEnv, PATH: `${bin}:${cliEnv.PATH}` }, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
      } catch (e) {
        return [`README cron step (run ${run}): exit ${e.code}: ${String(e.stderr ?? e.message).slice(-400)}`];
      }
    }
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
  const jobs = parseJson((await cli(["cron", "list", "--all", "--json"])).stdout, "cron list").jobs;
  const failures = [];
  for (const d of declared) {
    const found = jobs.filter((j) => j.declarationKey === d.declarationKey);
    if (found.length !== 1 || found[0].agentId !== d.agent) failures.push(`cron job ${d.declarationKey}: ${found.length} jobs (${found.map((j) => j.agentId).join(", ")}), want 1 of agent ${d.agent}`);
  }
  if (jobs.some((j) => j.declarationKey === stale)) failures.push(`the earlier build's cron job ${stale} is still there`);
  const auto = config.skills?.workshop?.autonomous?.mode === "auto";
  const reviews = jobs.filter((j) => j.declarationKey?.startsWith("skill-collection-review:"));
  if (!reviews.length) failures.push("no skill-collection-review job (has OpenClaw changed how the Skill Workshop schedules its reviews?)");
  for (const j of reviews) if (j.enabled !== auto) failures.push(`${j.declarationKey} is ${j.enabled ? "enabled" : "disabled"} with skills.workshop.autonomous.mode ${config.skills?.workshop?.autonomous?.mode}`);
  return failures;
}

async function conform(dir, { gateway = false } = {}) {
  const failures = [];
  const timings = {};
  const config = parseJson(readFileSync(join(dir, "openclaw.json"), "utf8"), "openclaw.json");
  const entries = config.agents?.entries ?? {};
  const ids = Object.keys(entries).sort();
  // Point the workspaces at the generated ones, so that skills are discovered.
  const copy = structuredClone(config);
  copy.agents.defaults.workspace = join(dir, "workspaces");
  for (const id of ids) copy.agents.entries[id].workspace = join(dir, "workspaces", id);
  const tmp = mkdtempSync(join(tmpdir(), "brainc-openclaw-config-"));
  const configPath = join(tmp, "openclaw.json");
  writeFileSync(configPath, JSON.stringify(copy, null, 2));
  const env = envFor(dir, config);
  const timed = async (key, args, home) => {
    const t0 = Date.now();
    const r = await openclaw(configPath, env, args, home);
    timings[key] = (timings[key] ?? 0) + (Date.now() - t0);
    return r;
  };
  try {
    const v = await timed("validate", ["config", "validate", "--json"]);
    const result = v.stdout.trim() ? parseJson(v.stdout, "config validate") : {};
    if (v.code !== 0 || result.valid !== true) failures.push(`config validate exit ${v.code}: ${JSON.stringify(result.issues ?? result.error ?? v.stderr.slice(0, 500))}`);
    if (result.warnings?.length) failures.push(`config validate warnings: ${JSON.stringify(result.warnings)}`);
    if (failures.length) return { failures, timings };

    const agentsJob = async () => {
      const out = [];
      const a = await timed("agents", ["agents", "list", "--json", "--bindings"]);
      const listed = a.code === 0 ? parseJson(a.stdout, "agents list") : [];
      if (a.code !== 0) out.push(`agents list exit ${a.code}: ${a.stderr.slice(0, 300)}`);
      const byId = Object.fromEntries(listed.map((x) => [x.id, x]));
      if (JSON.stringify(Object.keys(byId).sort()) !== JSON.stringify(ids)) out.push(`agents list shows ${JSON.stringify(Object.keys(byId).sort())}, config has ${JSON.stringify(ids)}`);
      for (const id of ids) {
        const got = byId[id];
        if (!got) continue;
        const model = entries[id].model;
        if (got.model !== model.primary) out.push(`agent ${id}: model ${got.model}, want ${model.primary}`);
        if (got.workspace !== join(dir, "workspaces", id)) out.push(`agent ${id}: workspace ${got.workspace}`);
        const want = (config.bindings ?? []).filter((b) => b.agentId === id).map((b) => b.match);
        if (got.bindings !== want.length) out.push(`agent ${id}: ${got.bindings} bindings, want ${want.length}`);
        const details = got.bindingDetails ?? [];
        want.forEach((m, i) => {
          if (!details[i]?.startsWith(m.channel) || (m.accountId && !details[i].includes(`accountId=${m.accountId}`))) out.push(`agent ${id}: binding ${i} shows ${JSON.stringify(details[i])}, want ${JSON.stringify(m)}`);
        });
      }
      return out;
    };
    // models list only where there are fallbacks to see: agents list already showed each primary.
    const perAgent = ids.flatMap((id) => [
      ...(entries[id].model.fallbacks?.length ? [async () => {
        const m = await timed("models", ["models", "list", "--json", "--agent", id]);
        if (m.code !== 0) return [`models list --agent ${id} exit ${m.code}: ${(m.stdout + m.stderr).slice(0, 300)}`];
        const tags = Object.fromEntries(parseJson(m.stdout, "models list").models.map((x) => [x.key, x.tags ?? []]));
        const { primary, fallbacks = [] } = entries[id].model;
        const out = [];
        if (!tags[primary]?.includes("default")) out.push(`agent ${id}: ${primary} not tagged default (${JSON.stringify(tags[primary])})`);
        fallbacks.forEach((f, i) => {
          if (!tags[f]?.includes(`fallback#${i + 1}`)) out.push(`agent ${id}: ${f} not tagged fallback#${i + 1} (${JSON.stringify(tags[f])})`);
        });
        return out;
      }] : []),
      async () => {
        const s = await timed("skills", ["skills", "list", "--agent", id, "--json"]);
        if (s.code !== 0) return [`skills list --agent ${id} exit ${s.code}: ${s.stderr.slice(0, 300)}`];
        const found = Object.fromEntries(parseJson(s.stdout, "skills list").skills.map((x) => [x.name, x]));
        const out = [];
        for (const name of skillsOf(dir, id)) {
          const k = found[name];
          if (!k) out.push(`agent ${id}: skill ${name} not discovered`);
          else if (k.source !== "openclaw-workspace" || !k.eligible || k.blockedByAgentFilter || !k.modelVisible) out.push(`agent ${id}: skill ${name} not usable: ${JSON.stringify(k)}`);
        }
        const visible = Object.values(found).filter((k) => k.modelVisible).map((k) => k.name).sort();
        if (JSON.stringify(visible) !== JSON.stringify(skillsOf(dir, id))) out.push(`agent ${id}: model-visible skills ${JSON.stringify(visible)}, want ${JSON.stringify(skillsOf(dir, id))}`);
        return out;
      },
    ]);
    // exec-approvals.json as `openclaw approvals set --file` takes it: read back, every entry is there as written.
    const approvalsJob = async () => {
      const file = join(dir, "exec-approvals.json");
      if (!existsSync(file)) return [];
      const home = join(tmp, "approvals");
      const set = await timed("approvals", ["approvals", "set", "--file", file], home);
      if (set.code !== 0) return [`approvals set exit ${set.code}: ${(set.stdout + set.stderr).slice(0, 300)}`];
      const got = await timed("approvals", ["approvals", "get", "--json"], home);
      if (got.code !== 0) return [`approvals get exit ${got.code}: ${got.stderr.slice(0, 300)}`];
      const stored = parseJson(got.stdout, "approvals get").file?.agents ?? {};
      const strip = (agents) => Object.fromEntries(Object.entries(agents).map(([id, a]) => [id, (a.allowlist ?? []).map(({ pattern, argPattern }) => ({ pattern, argPattern }))]));
      const want = JSON.stringify(strip(parseJson(readFileSync(file, "utf8"), "exec-approvals.json").agents));
      return JSON.stringify(strip(stored)) === want ? [] : [`approvals get shows ${JSON.stringify(strip(stored)).slice(0, 300)}, want ${want.slice(0, 300)}`];
    };
    // The gateway starts with the config as it is (OpenClaw refuses one without gateway.mode, for example),
    // and takes the README's cron step.
    const gatewayJob = async () => {
      if (!gateway) return [];
      const t0 = Date.now();
      const failures = await withGateway(configPath, env, (cliEnv) => cronStep(dir, config, cliEnv));
      timings.gateway = Date.now() - t0;
      return failures;
    };
    for (const f of (await pool([agentsJob, approvalsJob, gatewayJob, ...perAgent])).flat()) failures.push(f);
    return { failures, timings };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const fixturesDir = join(root, "test/fixtures/brains");
const brains = process.argv.length > 2
  ? process.argv.slice(2).map((p) => resolve(p))
  : [join(root, "brain"), ...readdirSync(fixturesDir).filter((n) => n.startsWith("openclaw-")).sort().map((n) => join(fixturesDir, n))];

/** Builds every environment of a brain with the OpenClaw target into `out/<env>/`, in this process (the schema check compiles once). */
async function build(brain, out) {
  const { loadAndValidate, compileEnv, environments } = await import(join(root, "dist/src/compile.js"));
  const { runTargets } = await import(join(root, "dist/src/emit/run.js"));
  const target = (await import(join(root, "dist/targets/openclaw/index.js"))).default;
  const loaded = await loadAndValidate(brain);
  const errors = (ds) => ds.filter((d) => d.severity === "error").map((d) => `${d.file ?? "-"}: ${d.code} ${d.message}`);
  if (!loaded.sources || errors(loaded.diagnostics).length) throw new Error(errors(loaded.diagnostics).join("\n") || "cannot load");
  const dirs = [];
  for (const env of environments(loaded.sources)) {
    const compiled = await compileEnv(loaded.sources, env);
    if (!compiled.brain || errors(compiled.diagnostics).length) throw new Error(errors(compiled.diagnostics).join("\n"));
    const { outputs, diagnostics } = await runTargets(compiled.brain, [target]);
    if (errors(diagnostics).length) throw new Error(errors(diagnostics).join("\n"));
    for (const f of outputs[0].files) {
      const path = join(out, env, f.path.slice(outputs[0].scope.length));
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileSync(path, f.contents);
    }
    dirs.push([env, join(out, env)]);
  }
  return dirs;
}

const started = Date.now();
let failed = 0;
let count = 0;
console.log(`openclaw ${OPENCLAW_VERSION} on ${execFileSync(node24, ["--version"], { encoding: "utf8" }).trim()}: ${brains.length} brains`);
for (const brain of brains) {
  const out = mkdtempSync(join(tmpdir(), "brainc-openclaw-out-"));
  const name = relative(root, brain);
  try {
    const t0 = Date.now();
    let dirs;
    try {
      dirs = await build(brain, out);
    } catch (e) {
      failed++;
      count++;
      console.log(`FAIL ${name}: brainc build failed\n${e.message}`);
      continue;
    }
    const buildMs = Date.now() - t0;
    for (const [env, dir] of dirs) {
      count++;
      const label = `${name}${env === "default" ? "" : ` [${env}]`}`;
      const c0 = Date.now();
      let result;
      try {
        result = await conform(dir, { gateway: name === "brain" && env === "default" });
      } catch (e) {
        result = { failures: [e.message], timings: {} };
      }
      const agents = Object.keys(parseJson(readFileSync(join(dir, "openclaw.json"), "utf8"), "openclaw.json").agents?.entries ?? {}).length;
      const times = [`build ${seconds(buildMs)}`, ...Object.entries(result.timings).map(([k, ms]) => `${k} ${seconds(ms)}`)].join(", ");
      if (result.failures.length) failed++;
      console.log(`${result.failures.length ? "FAIL" : "ok  "} ${label} (${agents} agent${agents === 1 ? "" : "s"}; ${seconds(Date.now() - c0)}: ${times})`);
      for (const f of result.failures) console.log(`       ${f}`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
console.log(`${failed ? "FAILED" : "passed"}: ${count - failed}/${count} outputs conform to openclaw ${OPENCLAW_VERSION} (${seconds(Date.now() - started)})`);
process.exit(failed ? 1 : 0);
