import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FileLedger, LedgerBusyError, LedgerReader, Supervisor, type BadLine } from "../../src/runtime/index.js";
import type { NewEvent } from "../../src/runtime/events.js";
import { startFakeServer, type FakeServer } from "./fake-server.js";
import { testBundle, tempDir } from "./helpers.js";
import { repoRoot } from "../helpers.js";

let temp: ReturnType<typeof tempDir>;
afterEach(() => temp?.cleanup());

const ev = (job: string, i: number): NewEvent => ({ type: "checkpoint", t: i, job, agent: "a", task: "t", run: 1, step: i, toolCalls: 0, state: { i } });

describe("FileLedger", () => {
  it("numbers events gap-free, indexes jobs, and reads one job through the index", async () => {
    temp = tempDir();
    const ledger = await FileLedger.open(temp.dir);
    await Promise.all(Array.from({ length: 30 }, (_, i) => ledger.append([ev(`job-${i % 3}`, i)])));
    await ledger.close();
    const reader = new LedgerReader(temp.dir);
    expect(reader.allEvents().map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const one = reader.jobEvents("job-1");
    expect(one.map((e) => e.job)).toEqual(Array(10).fill("job-1"));
    expect(one.map((e) => (e as { step: number }).step)).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
    const log = readFileSync(join(temp.dir, "ledger.jsonl"));
    const index = readFileSync(join(temp.dir, "index.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(index.reduce((sum, e) => sum + e.n, 0)).toBe(log.length);
    for (const e of index) {
      const lines = log.subarray(e.o, e.o + e.n).toString("utf8").split("\n").filter(Boolean);
      expect(lines.map((l) => JSON.parse(l).job)).toEqual(Array(lines.length).fill(e.j));
    }
  });

  it("ignores a torn last line when reading and cuts it off when a writer opens", async () => {
    temp = tempDir();
    let ledger = await FileLedger.open(temp.dir);
    await ledger.append([ev("j", 1), ev("j", 2)]);
    await ledger.close();
    appendFileSync(join(temp.dir, "ledger.jsonl"), '{"seq":3,"t":3,"job":"j","ty');
    expect(new LedgerReader(temp.dir).allEvents()).toHaveLength(2);
    ledger = await FileLedger.open(temp.dir);
    const [added] = await ledger.append([ev("j", 3)]);
    expect(added.seq).toBe(3);
    await ledger.close();
    const text = readFileSync(join(temp.dir, "ledger.jsonl"), "utf8");
    expect(text.split("\n").filter(Boolean).map((l) => JSON.parse(l).seq)).toEqual([1, 2, 3]);
    expect(new LedgerReader(temp.dir).jobEvents("j")).toHaveLength(3);
  });

  it("skips complete lines that are not events, telling which line and what is wrong", async () => {
    temp = tempDir();
    const ledger = await FileLedger.open(temp.dir);
    await ledger.append([ev("j", 1), ev("k", 2)]);
    await ledger.close();
    const line = (e: object) => JSON.stringify({ agent: "a", task: "t", run: 1, ...e });
    const bad: [string, RegExp][] = [
      ["garbage", /^Unexpected token 'g', "garbage" is not valid JSON$/],
      ['{"seq":1}', /^it has no "type"$/],
      ["null", /^it is null, not a JSON object$/],
      ['["j"]', /^it is \["j"\], not a JSON object$/],
      [line({ seq: 3, t: "x", job: "j", type: "job.started" }), /^its "t" is "x", not a number$/],
      [line({ seq: 3, t: 3, job: "j", type: "job.begun" }), /^its "type" "job.begun" is no event type$/],
      [line({ seq: 3, t: 3, job: "j", type: "budget.alert", scope: "agent", key: "a", period: "daily", limitUsd: 1, percent: 90 }), /^it has no "spentUsd"$/],
    ];
    appendFileSync(join(temp.dir, "ledger.jsonl"), [...bad.map(([text]) => text), line({ seq: 3, t: 3, job: "j", type: "job.started", resumed: false }), ""].join("\n"));
    const found: BadLine[] = [];
    const reader = new LedgerReader(temp.dir, (b) => found.push(b));
    expect(reader.allEvents().map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(found.map((b) => [b.file, b.line])).toEqual(bad.map((_, i) => [join(temp.dir, "ledger.jsonl"), 3 + i]));
    found.forEach((b, i) => expect(b.problem).toMatch(bad[i][1]));
    // One job's events: only its own lines are parsed, so only those are reported (same line numbers).
    found.length = 0;
    expect(reader.jobEvents("j").map((e) => e.seq)).toEqual([1, 3]);
    expect(found.map((b) => b.line)).toEqual([7, 8, 9]);
    // Without a listener they are skipped all the same, and a writer still opens the store.
    expect(new LedgerReader(temp.dir).allEvents()).toHaveLength(3);
    const again = await FileLedger.open(temp.dir);
    expect((await again.append([ev("j", 4)]))[0].seq).toBe(4);
    await again.close();
    // A complete last line that is not an event: the writer goes on from the last event before it.
    appendFileSync(join(temp.dir, "ledger.jsonl"), '{"seq":"x"}\n');
    const last = await FileLedger.open(temp.dir);
    expect((await last.append([ev("j", 5)]))[0].seq).toBe(5);
    await last.close();
  });

  it("repairs a lost or stale index from the log", async () => {
    temp = tempDir();
    let ledger = await FileLedger.open(temp.dir);
    for (let i = 0; i < 5; i++) await ledger.append([ev(i % 2 ? "odd" : "even", i)]);
    await ledger.close();
    writeFileSync(join(temp.dir, "index.jsonl"), '{"j":"odd","o":0,"n":99999}\n{"j":"ev');
    expect(new LedgerReader(temp.dir).jobEvents("odd")).toHaveLength(2);
    ledger = await FileLedger.open(temp.dir);
    await ledger.close();
    expect(new LedgerReader(temp.dir).jobEvents("even")).toHaveLength(3);
    expect(readFileSync(join(temp.dir, "index.jsonl"), "utf8")).not.toContain("99999");
  });

  it("lets one live process write a store and takes over a dead writer's lock", async () => {
    temp = tempDir();
    const ledger = await FileLedger.open(temp.dir);
    await expect(FileLedger.open(temp.dir)).rejects.toBeInstanceOf(LedgerBusyError);
    await ledger.close();
    writeFileSync(join(temp.dir, "writer.lock"), "2147483646\n");
    const again = await FileLedger.open(temp.dir);
    await again.close();
  });

  it("leaves a dead writer's lock to the live process that is taking it over", async () => {
    temp = tempDir();
    writeFileSync(join(temp.dir, "writer.lock"), "2147483646\n");
    writeFileSync(join(temp.dir, "writer.lock.takeover"), `${process.ppid}\n`);
    await expect(FileLedger.open(temp.dir)).rejects.toMatchObject({ name: "LedgerBusyError", pid: process.ppid });
    expect(readFileSync(join(temp.dir, "writer.lock"), "utf8")).toBe("2147483646\n");
  });

  it("lets exactly one of several processes take over the same dead writer's lock (6 processes, 6 rounds)", async () => {
    // Each child waits for the same instant, opens the store, holds it for 400 ms and says whether it won.
    // Before the takeover lock, two processes won in about 4 rounds of 10.
    const ledgerModule = pathToFileURL(join(repoRoot, "dist/src/runtime/ledger.js")).href;
    const child = `const { FileLedger } = await import(${JSON.stringify(ledgerModule)});
      const [dir, at] = process.argv.slice(-2);
      while (Date.now() < Number(at)) {}
      try { const l = await FileLedger.open(dir); console.log("won"); await new Promise((r) => setTimeout(r, 400)); await l.close(); } catch (e) { console.log(e.name); }`;
    for (let round = 0; round < 6; round++) {
      temp = tempDir();
      writeFileSync(join(temp.dir, "writer.lock"), "2147483646\n");
      const at = String(Date.now() + 600);
      const results = await Promise.all(
        Array.from({ length: 6 }, () => new Promise<string>((resolve, reject) => execFile(process.execPath, ["--input-type=module", "-e", child, "--", temp.dir, at], (e, out) => (e ? reject(e) : resolve(out.trim()))))),
      );
      expect(results.sort()).toEqual(["LedgerBusyError", "LedgerBusyError", "LedgerBusyError", "LedgerBusyError", "LedgerBusyError", "won"]);
      temp.cleanup();
    }
  }, 30_000);

  it("clears a takeover lock left by a dead process", async () => {
    temp = tempDir();
    writeFileSync(join(temp.dir, "writer.lock"), "2147483646\n");
    writeFileSync(join(temp.dir, "writer.lock.takeover"), "2147483645\n");
    const ledger = await FileLedger.open(temp.dir);
    expect(readFileSync(join(temp.dir, "writer.lock"), "utf8")).toBe(`${process.pid}\n`);
    expect(existsSync(join(temp.dir, "writer.lock.takeover"))).toBe(false);
    await ledger.close();
    expect(readdirSync(temp.dir).filter((f) => f.startsWith("writer.lock"))).toEqual([]);
  });
});

describe("50 concurrent jobs", () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFakeServer();
  });
  afterAll(() => server.close());

  it("keep a consistent ledger", async () => {
    temp = tempDir();
    server.respond = (_req, n) => (n % 7 === 0 ? { status: 500 } : { usage: { prompt_tokens: 10, completion_tokens: 5 } });
    const sup = await Supervisor.open({ bundle: testBundle(), store: temp.dir, env: { LITELLM_BASE_URL: server.url } });
    const ids = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const job = await sup.startJob({ agent: "worker", jobId: `job-${i}` });
        for (let s = 0; s < 3; s++) {
          await job.chat({ messages: [{ role: "user", content: `job ${i} step ${s}` }] });
          if ((await job.guardTool("lookup", { sku: `SKU-${i}` })).decision === "allow") await job.recordTool({ tool: "lookup", output: { i, s }, latencyMs: 1 });
          await job.checkpoint({ i, s });
        }
        await job.end("succeeded");
        return job.id;
      }),
    );
    await sup.close();
    const reader = new LedgerReader(temp.dir);
    const all = reader.allEvents();
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    for (const id of ids) {
      const events = reader.jobEvents(id);
      expect(events).toEqual(all.filter((e) => e.job === id));
      expect(events[0].type).toBe("job.started");
      expect(events[events.length - 1].type).toBe("job.ended");
      expect(events.filter((e) => e.type === "checkpoint").map((e) => (e as { state: unknown }).state)).toEqual([0, 1, 2].map((s) => ({ i: Number(id.slice(4)), s })));
      const steps = events.filter((e) => e.type === "llm.call" && e.ok).map((e) => (e as { step: number }).step);
      expect(steps).toEqual([1, 2, 3]);
      expect(events.filter((e) => e.type === "tool.call").map((e) => (e as { call: number }).call)).toEqual([1, 2, 3]);
    }
    server.respond = undefined;
  });
});
