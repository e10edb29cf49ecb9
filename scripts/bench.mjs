// `npm run bench`: whole-process wall time (median of N runs) and peak RSS of brainc's commands on a
// synthetic brain (≈ 200 agents, 2,000 prompt files, 1,000 tools, 100 policies) and on the example
// brain, beside `ajv-cli validate` over the same tool files and `node -e 0`. Goals (2-core machine):
// validate ≤ 0.5 s, build ≤ 1.5 s, peak RSS ≤ 300 MB, validate of the example brain ≤ 2.5 × `node -e 0`.
// Builds are measured cold (an empty output folder: every file generated), after one prompt edit (what a
// user's next build does: brain.ts is reused from the output folder, see OutputFile.key) and as a no-op.
// Options: --runs N (default 7), --agents N (default 200). Prints a table; exits 0 (goals are reported,
// not asserted: timings depend on the machine and its load).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeSyntheticBrain } from "./bench/synthetic-brain.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg("runs", 7);
const agents = arg("agents", 200);
const cache = join(root, ".cache/bench");
const brain = join(cache, "brain");
writeSyntheticBrain(brain, agents);

// ajv-cli, the reference validator, installed from the npm registry into the cache (not a dependency).
const ajvDir = join(cache, "ajv-cli");
if (!existsSync(join(ajvDir, "node_modules/.bin/ajv"))) {
  mkdirSync(ajvDir, { recursive: true });
  writeFileSync(join(ajvDir, "package.json"), '{"private":true}');
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "ajv-cli@5", "ajv-formats@2"], { cwd: ajvDir, stdio: "inherit" });
}

const rssFile = join(mkdtempSync(join(tmpdir(), "brainc-bench-")), "rss");
const preload = join(root, "scripts/bench/rss.mjs");
const brainc = join(root, "bin/brainc.js");
const outDir = mkdtempSync(join(tmpdir(), "brainc-bench-out-"));

// Each run of the "a prompt edited" row changes one agent's prompt, as a user's edit between builds does.
const editedPrompt = join(brain, "prompts/agents/agent-0.md");
const editedOriginal = readFileSync(editedPrompt, "utf8");
let edits = 0;
const editPrompt = () => writeFileSync(editedPrompt, `${editedOriginal}\nEdit ${++edits}.\n`);

function measure(name, cmd, args, { before, okCodes = [0] } = {}) {
  const times = [];
  const rss = [];
  for (let i = 0; i <= runs; i++) {
    before?.();
    writeFileSync(rssFile, "");
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: root, env: { ...process.env, NODE_OPTIONS: `--import=${preload}`, BRAINC_BENCH_RSS_FILE: rssFile }, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (!okCodes.includes(r.status)) throw new Error(`${name} exited ${r.status}: ${r.stderr || r.stdout}`);
    if (i === 0) continue; // warm-up
    times.push(ms);
    rss.push(Math.max(0, ...readFileSync(rssFile, "utf8").split("\n").filter(Boolean).map(Number)));
  }
  times.sort((a, b) => a - b);
  return { name, median: times[Math.floor(times.length / 2)], min: times[0], rssMb: Math.max(...rss) / 1024 };
}

const rows = [
  measure("node -e 0", process.execPath, ["-e", "0"]),
  measure("brainc validate (example brain)", process.execPath, [brainc, "validate", "--brain", join(root, "brain")]),
  measure(`brainc validate (synthetic, ${agents} agents)`, process.execPath, [brainc, "validate", "--brain", brain]),
  measure(`ajv-cli validate (synthetic tools/*.yaml)`, process.execPath, [join(ajvDir, "node_modules/ajv-cli/dist/index.js"), "validate", "-s", join(root, "schemas/tool.schema.json"), "-d", join(brain, "tools/*.yaml"), "--spec=draft7", "--strict=false", "-c", "ajv-formats", "--errors=no"], { okCodes: [0, 1] }),
  measure(`brainc build --target supervisor (synthetic, cold: empty out)`, process.execPath, [brainc, "build", "--brain", brain, "--target", "supervisor", "--out", outDir], { before: () => rmSync(outDir, { recursive: true, force: true }) }),
  measure(`brainc build --target supervisor (synthetic, no-op)`, process.execPath, [brainc, "build", "--brain", brain, "--target", "supervisor", "--out", outDir]),
  measure(`brainc build --target supervisor (synthetic, a prompt edited)`, process.execPath, [brainc, "build", "--brain", brain, "--target", "supervisor", "--out", outDir], { before: editPrompt }),
];
writeFileSync(editedPrompt, editedOriginal);
rmSync(outDir, { recursive: true, force: true });

const floor = rows[0].median;
const pad = (s, n) => String(s).padEnd(n);
console.log(`\nbrainc benchmark — ${runs} runs each (median wall time), Node ${process.version}, ${agents} agents\n`);
console.log(`${pad("command", 64)}${pad("median ms", 12)}${pad("min ms", 10)}${pad("× node -e 0", 13)}peak RSS MB`);
for (const r of rows) console.log(`${pad(r.name, 64)}${pad(r.median.toFixed(0), 12)}${pad(r.min.toFixed(0), 10)}${pad((r.median / floor).toFixed(2), 13)}${r.rssMb.toFixed(0)}`);
const get = (prefix) => rows.find((r) => r.name.startsWith(prefix));
const goals = [
  ["validate (synthetic) ≤ 500 ms", get("brainc validate (synthetic").median <= 500],
  ["build --target supervisor (synthetic, cold: empty out) ≤ 1500 ms", get("brainc build --target supervisor (synthetic, cold").median <= 1500],
  ["build --target supervisor (synthetic, a prompt edited) ≤ 1500 ms", get("brainc build --target supervisor (synthetic, a prompt").median <= 1500],
  ["build --target supervisor (synthetic, no-op) ≤ 1500 ms", get("brainc build --target supervisor (synthetic, no-op").median <= 1500],
  ["peak RSS ≤ 300 MB", rows.every((r) => r.rssMb <= 300)],
  ["validate (example) ≤ 2.5 × node -e 0", get("brainc validate (example").median <= 2.5 * floor],
];
console.log("\ngoals:");
for (const [goal, met] of goals) console.log(`  ${met ? "met    " : "NOT MET"}  ${goal}`);

// The runtime ledger and watch benchmarks live beside this one.
console.log("\n== supervisor runtime: ledger appends/s and `runs show` latency (scripts/bench/runtime.mjs)");
spawnSync(process.execPath, [join(root, "scripts/bench/runtime.mjs")], { cwd: root, stdio: "inherit" });
console.log("\n== build --watch: one prompt edited → outputs written (scripts/bench/watch.mjs)");
spawnSync(process.execPath, [join(root, "scripts/bench/watch.mjs"), brain, "--prompt", "prompts/agents/agent-0.md", "--runs", "10", "--target", "supervisor"], { cwd: root, stdio: "inherit" });
