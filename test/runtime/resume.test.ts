import { spawn, type ChildProcess } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FileLedger, LedgerReader } from "../../src/runtime/index.js";
import type { Checkpoint, JobStarted, LlmCall } from "../../src/runtime/events.js";
import { startFakeServer, type FakeServer } from "./fake-server.js";
import { testBundle, tempDir } from "./helpers.js";
import { transpileRuntime } from "./transpile.js";

const AGENT = `
import { Supervisor } from "./runtime/index.js";
const [store, url, jobId, bundle] = process.argv.slice(2);
const sup = await Supervisor.open({ bundle, store, env: { LITELLM_BASE_URL: url } });
const job = await sup.startJob({ agent: "worker", jobId });
let state = job.state ?? { done: [] };
console.log(JSON.stringify({ type: "started", run: job.run, state }));
for (let item = state.done.length; item < 10; item++) {
  const r = await job.chat({ messages: [{ role: "user", content: "item " + item }] });
  if ((await job.guardTool("lookup", { sku: "SKU-" + item })).decision !== "allow") throw new Error("denied");
  await job.recordTool({ tool: "lookup", output: { item } });
  state = { done: [...state.done, item] };
  await job.checkpoint(state);
  console.log(JSON.stringify({ type: "ack", item, step: r.step }));
}
await job.end("succeeded");
await sup.close();
console.log(JSON.stringify({ type: "done" }));
`;

const WRITER = `
import { FileLedger } from "./runtime/index.js";
const ledger = await FileLedger.open(process.argv[2]);
let n = 0;
await Promise.all(Array.from({ length: 20 }, async (_, w) => {
  for (;;) {
    const [e] = await ledger.append([{ type: "checkpoint", t: Date.now(), job: "w" + w, agent: "a", task: "t", run: 1, step: n++, toolCalls: 0, state: { pad: "x".repeat(200) } }]);
    process.stdout.write(e.seq + "\\n");
  }
}));
`;

let server: FakeServer;
let dir: string;
const temp = tempDir();
beforeAll(async () => {
  server = await startFakeServer();
  dir = transpileRuntime({ "agent.mjs": AGENT, "writer.mjs": WRITER });
  writeFileSync(join(temp.dir, "bundle.json"), JSON.stringify(testBundle()));
});
afterAll(async () => {
  await server.close();
  temp.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function runAgent(store: string, jobId: string): { child: ChildProcess; lines: AsyncIterable<string>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [join(dir, "agent.mjs"), store, server.url, jobId, join(temp.dir, "bundle.json")], { stdio: ["ignore", "pipe", "inherit"] });
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, lines: createInterface({ input: child.stdout! }), exit };
}

it("resumes after SIGKILL mid-job: nothing acknowledged is lost, no step is repeated", async () => {
  const store = join(temp.dir, "runs");
  const jobId = "job-killed";
  // Kill the first process while its model request for item 4 is in flight.
  let first: ChildProcess | undefined;
  server.respond = (req) => {
    const content = req.body.messages[0].content;
    if (content === "item 4" && first && first.exitCode === null && !first.killed) {
      first.kill("SIGKILL");
      return { delayMs: 2000 };
    }
    return undefined;
  };
  const a = runAgent(store, jobId);
  first = a.child;
  const acked: number[] = [];
  for await (const line of a.lines) {
    const m = JSON.parse(line);
    if (m.type === "ack") acked.push(m.item);
  }
  expect(await a.exit).toBe(null);
  expect(a.child.signalCode).toBe("SIGKILL");
  expect(acked).toEqual([0, 1, 2, 3]);

  const b = runAgent(store, jobId);
  const messages = [];
  for await (const line of b.lines) messages.push(JSON.parse(line));
  expect(await b.exit).toBe(0);
  expect(messages[0]).toEqual({ type: "started", run: 2, state: { done: [0, 1, 2, 3] } });
  expect(messages.filter((m) => m.type === "ack").map((m) => m.item)).toEqual([4, 5, 6, 7, 8, 9]);

  const events = new LedgerReader(store).jobEvents(jobId);
  expect(events.filter((e): e is JobStarted => e.type === "job.started").map((e) => [e.run, e.resumed])).toEqual([
    [1, false],
    [2, true],
  ]);
  const checkpoints = events.filter((e): e is Checkpoint => e.type === "checkpoint").map((e) => e.state);
  expect(checkpoints).toEqual(Array.from({ length: 10 }, (_, i) => ({ done: Array.from({ length: i + 1 }, (_, j) => j) })));
  const steps = events.filter((e): e is LlmCall => e.type === "llm.call").map((e) => e.step);
  expect(new Set(steps).size).toBe(steps.length);
  // every item whose checkpoint was acknowledged before the kill was requested exactly once
  const asked = server.requests.map((r) => r.body.messages[0].content as string);
  for (const i of [0, 1, 2, 3, 5, 6, 7, 8, 9]) expect(asked.filter((c) => c === `item ${i}`)).toHaveLength(1);
  expect(events[events.length - 1]).toMatchObject({ type: "job.ended", status: "succeeded", run: 2 });
});

it("loses no acknowledged ledger event when the writer is killed with SIGKILL", async () => {
  const store = join(temp.dir, "crash");
  const child = spawn(process.execPath, [join(dir, "writer.mjs"), store], { stdio: ["ignore", "pipe", "inherit"] });
  const acked: number[] = [];
  for await (const line of createInterface({ input: child.stdout! })) {
    acked.push(Number(line));
    if (acked.length === 3000) child.kill("SIGKILL");
  }
  await new Promise((resolve) => (child.exitCode !== null || child.signalCode ? resolve(null) : child.on("exit", resolve)));
  expect(child.signalCode).toBe("SIGKILL");
  const ledger = await FileLedger.open(store); // recovers: cuts a torn tail, repairs the index
  const [next] = await ledger.append([{ type: "checkpoint", t: 0, job: "after", agent: "a", task: "t", run: 1, step: 0, toolCalls: 0, state: null }]);
  await ledger.close();
  const seqs = new LedgerReader(store).allEvents().map((e) => e.seq);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  expect(next.seq).toBe(seqs.length);
  expect(Math.max(...acked)).toBeLessThan(next.seq);
  const stored = new Set(seqs);
  expect(acked.filter((s) => !stored.has(s))).toEqual([]);
});
