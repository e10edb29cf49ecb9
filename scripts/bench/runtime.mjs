// Benchmark of the supervisor runtime's ledger (runs against dist/: `npm run build` first).
//   node bench/runtime.mjs [--json]
// 1. appends per second: 100 concurrent jobs, each awaiting every append (acknowledged = fdatasync'd),
//    and one job pipelining its appends; goal ≥ 20,000 events/s.
// 2. `runs show` latency for a job with 10,000 events in a store that also holds 40,000 events of other
//    jobs: in-process (index lookup + timeline text) and as a fresh `brainc runs show` process; goal ≤ 200 ms.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const { FileLedger } = await import(join(root, "dist/src/runtime/index.js"));
const { runsShow } = await import(join(root, "dist/src/cli/runs-commands.js"));
const asJson = process.argv.includes("--json");

const event = (job, i) => ({ type: "llm.call", t: 1_790_000_000_000 + i, job, agent: "bench-agent", task: "bench_task", run: 1, step: i, model: "gpt-5-mini", provider: "openai", tier: "cheap", endpoint: "gateway", attempt: 1, fallback: false, ok: true, inputTokens: 1200, outputTokens: 300, costUsd: 0.0009, latencyMs: 850 });

async function concurrentAppends(dir, jobs, perJob) {
  const ledger = await FileLedger.open(dir);
  const start = performance.now();
  await Promise.all(Array.from({ length: jobs }, async (_, j) => {
    for (let i = 0; i < perJob; i++) await ledger.append([event(`job-${j}`, i)]);
  }));
  const ms = performance.now() - start;
  await ledger.close();
  return (jobs * perJob) / (ms / 1000);
}

async function pipelinedAppends(dir, n) {
  const ledger = await FileLedger.open(dir);
  const start = performance.now();
  const acks = [];
  for (let i = 0; i < n; i++) acks.push(ledger.append([event("pipelined", i)]));
  await Promise.all(acks);
  const ms = performance.now() - start;
  await ledger.close();
  return n / (ms / 1000);
}

async function showLatency(dir) {
  const ledger = await FileLedger.open(dir);
  // 10,000 events of the shown job interleaved with 40,000 of 40 other jobs, in batches as concurrent jobs write them.
  for (let round = 0; round < 100; round++) {
    const batch = [];
    for (let i = 0; i < 100; i++) batch.push(ledger.append([event("big-job", round * 100 + i)]));
    for (let o = 0; o < 400; o++) batch.push(ledger.append([event(`other-${o % 40}`, round * 400 + o)]));
    await Promise.all(batch);
  }
  await ledger.close();
  const io = { stdout: () => {}, stderr: (s) => process.stderr.write(s), cwd: root, isTTY: false };
  const times = [];
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    if (runsShow("big-job", { store: dir, format: "text" }, io) !== 0) throw new Error("runs show failed");
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const cli = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    execFileSync(process.execPath, [join(root, "bin/brainc.js"), "runs", "show", "big-job", "--store", dir], { stdio: ["ignore", "ignore", "inherit"] });
    cli.push(performance.now() - start);
  }
  cli.sort((a, b) => a - b);
  return { inProcessMedianMs: times[Math.floor(times.length / 2)], inProcessMaxMs: times[times.length - 1], cliProcessMedianMs: cli[1] };
}

const dirs = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), "brainc-bench-runtime-"));
  dirs.push(d);
  return d;
};
try {
  const concurrent = await concurrentAppends(fresh(), 100, 500);
  const pipelined = await pipelinedAppends(fresh(), 50_000);
  const show = await showLatency(fresh());
  const results = {
    "ledger appends/s, 100 concurrent jobs awaiting each ack": Math.round(concurrent),
    "ledger appends/s, one job pipelining": Math.round(pipelined),
    "runs show ms, 10,000-event job (in-process median)": Number(show.inProcessMedianMs.toFixed(1)),
    "runs show ms, 10,000-event job (in-process max of 15)": Number(show.inProcessMaxMs.toFixed(1)),
    "runs show ms, 10,000-event job (fresh brainc process, median of 3)": Number(show.cliProcessMedianMs.toFixed(1)),
  };
  const goals = [
    ["appends ≥ 20,000 events/s (concurrent jobs)", concurrent >= 20_000],
    ["runs show ≤ 200 ms (in-process median)", show.inProcessMedianMs <= 200],
  ];
  if (asJson) console.log(JSON.stringify({ results, goals: Object.fromEntries(goals) }));
  else {
    for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(70)} ${v}`);
    for (const [k, ok] of goals) console.log(`goal ${k}: ${ok ? "met" : "MISSED"}`);
  }
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
