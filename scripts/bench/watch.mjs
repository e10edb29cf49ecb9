// Benchmark of `brainc build --watch`: the time from editing one prompt to the outputs being written.
// It starts the watcher (dist/, so run `npm run build` first), waits for the first build, then edits
// one prompt N times (a plain write, as an editor does), each time waiting for the rebuild's summary
// line, which brainc prints after the outputs are written. Prints p50, p90 and max of the latency seen
// from here, and of the milliseconds brainc reports (from the first file event to the outputs written).
//
// Usage: node scripts/bench/watch.mjs [brain-dir] [--prompt prompts/x.md] [--runs 20] [--target name ...]
//   Without brain-dir it writes the synthetic brain (scripts/bench/synthetic-brain.mjs: 200 agents,
//   2,000 prompt files) into a temporary folder and edits prompts/agents/agent-0.md.
//   Goal (issue "Everyday workflow"): one prompt edited in the synthetic brain → outputs written ≤ 100 ms p50.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeSyntheticBrain } from "./synthetic-brain.mjs";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [value] = args.splice(i, 2).slice(1);
  return value;
};
const targets = [];
for (let t; (t = option("--target") ?? option("-t")); ) targets.push(t);
const runs = Number(option("--runs", "20"));
let prompt = option("--prompt");
const given = args[0];

const work = mkdtempSync(join(tmpdir(), "brainc-bench-watch-"));
const brain = join(work, "brain");
if (given) cpSync(resolve(given), brain, { recursive: true });
else {
  writeSyntheticBrain(brain);
  prompt ??= "prompts/agents/agent-0.md";
}
if (!prompt) {
  console.error("give --prompt <brain-relative path of a prompt> with a brain directory");
  process.exit(2);
}
const promptPath = join(brain, prompt);
const original = readFileSync(promptPath, "utf8");
const out = join(work, "out");

const child = spawn(process.execPath, [join(repo, "bin/brainc.js"), "build", "--watch", "--brain", brain, "--out", out, ...targets.flatMap((t) => ["-t", t])], { stdio: ["ignore", "ignore", "pipe"] });
let buffered = "";
let waiting;
child.stderr.setEncoding("utf8");
child.stderr.on("data", (chunk) => {
  buffered += chunk;
  let nl;
  while ((nl = buffered.indexOf("\n")) >= 0) {
    const line = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    if (/ in \d+ ms; /.test(line) && waiting) waiting({ line, at: performance.now() });
  }
});
const nextSummary = (timeoutMs) =>
  new Promise((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`no rebuild within ${timeoutMs} ms`)), timeoutMs);
    waiting = (x) => {
      clearTimeout(timer);
      waiting = undefined;
      resolveLine(x);
    };
  });

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const seen = [];
const reported = [];
try {
  const first = await nextSummary(600_000);
  console.log(first.line);
  for (let i = 0; i < runs; i++) {
    await new Promise((r) => setTimeout(r, 50)); // let the file system settle between edits
    const pending = nextSummary(120_000);
    const t0 = performance.now();
    writeFileSync(promptPath, `${original}\nEdit ${i}.\n`);
    const { line, at } = await pending;
    if (!line.includes("wrote")) throw new Error(`rebuild ${i} failed: ${line}`);
    seen.push(at - t0);
    reported.push(Number(/ in (\d+) ms; /.exec(line)[1]));
  }
  const f = (xs) => `p50 ${quantile(xs, 0.5).toFixed(0)} ms, p90 ${quantile(xs, 0.9).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
  console.log(`brain: ${given ?? "synthetic (200 agents, 2,000 prompt files)"}; targets: ${targets.join(", ") || "all"}; ${runs} edits of ${prompt}`);
  console.log(`edit → summary line (outputs written), seen here: ${f(seen)}`);
  console.log(`first file event → outputs written, as brainc reports it: ${f(reported)}`);
  console.log(`goal: ≤ 100 ms p50 → ${quantile(seen, 0.5) <= 100 ? "met" : "NOT met"}`);
} finally {
  child.kill("SIGINT");
  const code = await new Promise((r) => child.once("exit", r));
  if (code !== 0) console.error(`brainc build --watch exited with ${code} after SIGINT (expected 0)`);
  rmSync(work, { recursive: true, force: true });
}
