import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { JobEndedError, JobStoppedError, listJobs, stats, Supervisor, type Bundle, type BundlePolicy } from "../../src/runtime/index.js";
import type { JobEnded, LlmCall } from "../../src/runtime/events.js";
import { startFakeServer, type FakeServer } from "./fake-server.js";
import { testBundle, tempDir } from "./helpers.js";

let server: FakeServer;
let temp: ReturnType<typeof tempDir>;
let clock = Date.UTC(2026, 10, 21, 12);
beforeAll(async () => {
  server = await startFakeServer();
});
afterAll(() => server.close());
afterEach(() => {
  temp?.cleanup();
  server.respond = undefined;
});

async function open(bundle: Bundle, sleep?: (ms: number) => Promise<void>) {
  temp = tempDir();
  clock = Date.UTC(2026, 10, 21, 12);
  server.requests.length = 0;
  return Supervisor.open({ bundle, store: temp.dir, env: { LITELLM_BASE_URL: server.url }, now: () => clock, ...(sleep ? { sleep } : {}) });
}
const withLoop = (loop: NonNullable<BundlePolicy["loop"]>, extra: BundlePolicy = {}) => testBundle({ policy: { loop, ...extra } });
const msg = [{ role: "user" as const, content: "go" }];
const ended = (sup: Supervisor, job: string) => sup.store.jobEvents(job).find((e): e is JobEnded => e.type === "job.ended");

async function stopsWith(p: Promise<unknown>, kind: string) {
  const err = (await p.catch((e: unknown) => e)) as JobStoppedError;
  expect(err).toBeInstanceOf(JobStoppedError);
  expect(err.reason.kind).toBe(kind);
  return err;
}

describe("loop limits", () => {
  it("maxSteps ends the job with a typed stop reason", async () => {
    const sup = await open(withLoop({ maxSteps: 2 }));
    const job = await sup.startJob({ agent: "worker" });
    await job.chat({ messages: msg });
    await job.chat({ messages: msg });
    const err = await stopsWith(job.chat({ messages: msg }), "max_steps");
    expect(err.reason).toMatchObject({ limit: 2, value: 2 });
    expect(ended(sup, job.id)).toMatchObject({ status: "stopped", stop: { kind: "max_steps" } });
    await expect(job.chat({ messages: msg })).rejects.toBeInstanceOf(JobEndedError);
    expect(server.requests.length).toBeGreaterThan(0);
    await sup.close();
  });

  it("maxToolCalls", async () => {
    const sup = await open(withLoop({ maxToolCalls: 2 }));
    const job = await sup.startJob({ agent: "worker" });
    for (let i = 0; i < 2; i++) {
      expect((await job.guardTool("lookup", { sku: `SKU-${i}` })).decision).toBe("allow");
      await job.recordTool({ tool: "lookup", output: { i } });
    }
    await stopsWith(job.guardTool("lookup", { sku: "SKU-3" }), "max_tool_calls");
    await sup.close();
  });

  it("maxTokens", async () => {
    const sup = await open(withLoop({ maxTokens: 150 }));
    const job = await sup.startJob({ agent: "worker" });
    await job.chat({ messages: msg });
    await job.chat({ messages: msg });
    await stopsWith(job.chat({ messages: msg }), "max_tokens");
    await sup.close();
  });

  it("maxCostUsd", async () => {
    const sup = await open(withLoop({ maxCostUsd: 0.0004 }));
    const job = await sup.startJob({ agent: "worker" });
    await job.chat({ messages: msg });
    await job.chat({ messages: msg });
    const err = await stopsWith(job.chat({ messages: msg }), "max_cost");
    expect(err.reason.value).toBeCloseTo(0.00056, 10);
    await sup.close();
  });

  it("maxCostUsd sums money without float drift: 8 calls of 0.1 USD reach 0.8 (a float sum is 0.7999999999999999)", async () => {
    const sup = await open(withLoop({ maxCostUsd: 0.8 }));
    server.respond = () => ({ usage: { prompt_tokens: 50_000, completion_tokens: 0 } }); // m-mid: 2 USD/MTok in, 0.1 USD a call
    const job = await sup.startJob({ agent: "worker" });
    for (let i = 0; i < 8; i++) await job.chat({ messages: msg });
    expect(job.totals.costUsd).toBe(0.8);
    const err = await stopsWith(job.chat({ messages: msg }), "max_cost");
    expect(err.reason).toMatchObject({ value: 0.8, limit: 0.8 });
    await sup.close();
  });

  it("a resumed job's cost, and the jobs' totals and stats, are clean sums (0.0144, not 0.014399999999999998)", async () => {
    const sup = await open(withLoop({}));
    server.respond = () => ({ usage: { prompt_tokens: 1000, completion_tokens: 100 } }); // m-mid: 0.0024 USD a call
    const job = await sup.startJob({ agent: "worker", jobId: "j-cost" });
    for (let i = 0; i < 6; i++) await job.chat({ messages: msg });
    expect(job.totals.costUsd).toBe(0.0144);
    await sup.close();
    const again = await Supervisor.open({ bundle: withLoop({}), store: temp.dir, env: { LITELLM_BASE_URL: server.url }, now: () => clock });
    const resumed = await again.startJob({ agent: "worker", jobId: "j-cost" });
    expect(resumed.totals.costUsd).toBe(0.0144);
    const events = again.store.allEvents();
    expect(listJobs(events)[0].totals.costUsd).toBe(0.0144);
    expect(stats(events, "agent")[0].costUsd).toBe(0.0144);
    await again.close();
  });

  it("maxDuration", async () => {
    const sup = await open(withLoop({ maxDuration: "1m" }));
    const job = await sup.startJob({ agent: "worker" });
    await job.chat({ messages: msg });
    clock += 61_000;
    await stopsWith(job.guardTool("lookup", { sku: "SKU-1" }), "max_duration");
    await sup.close();
  });

  it("maxDuration also stops a step between attempts of its fallback chain", async () => {
    const sleeps: number[] = [];
    const sup = await open(withLoop({ maxDuration: "1m" }), async (ms) => {
      sleeps.push(ms);
      clock += 61_000;
    });
    const job = await sup.startJob({ agent: "worker" });
    server.script("m-mid", [{ status: 500 }]);
    await stopsWith(job.chat({ messages: msg }), "max_duration");
    expect(sleeps).toHaveLength(1);
    expect(server.requests.map((r) => r.body.model)).toEqual(["m-mid"]);
    await sup.close();
  });

  it("stopAfterNoProgress: repeated identical output stops the job, new tool results count as progress", async () => {
    const sup = await open(withLoop({ stopAfterNoProgress: 2 }));
    server.respond = () => ({ content: "same" });
    const job = await sup.startJob({ agent: "worker" });
    await job.chat({ messages: msg });
    await job.recordTool({ tool: "lookup", output: { n: 1 } });
    await job.chat({ messages: msg }); // same output, but a new tool result: progress
    await job.chat({ messages: msg }); // no progress 1
    await job.chat({ messages: msg }); // no progress 2
    await stopsWith(job.chat({ messages: msg }), "no_progress");
    await sup.close();
  });

  it("raises a compact event at compactAtPercent and stops when compactions are used up", async () => {
    const sup = await open(withLoop({}, { context: { compactAtPercent: 50, keepRecentTokens: 1000, maxCompactions: 1 } }));
    server.respond = () => ({ usage: { prompt_tokens: 4500, completion_tokens: 100 } });
    const job = await sup.startJob({ agent: "worker" });
    const seen: unknown[] = [];
    job.on("compact", (a) => seen.push(a));
    const r = await job.chat({ messages: msg });
    expect(r.compact).toMatchObject({ contextWindow: 8000, usedTokens: 4600, percent: 57.5, compaction: 1, keepRecentTokens: 1000 });
    expect(seen).toHaveLength(1);
    const r2 = await job.chat({ messages: msg });
    expect(r2.compact).toBeUndefined();
    await stopsWith(job.chat({ messages: msg }), "context_full");
    await sup.close();
  });
});

describe("budgets", () => {
  it("block: a reached agent budget stops this job and the next one, not other agents", async () => {
    const sup = await open(testBundle({ budgets: { agents: { worker: { dailyUsd: 0.0005 } } } }));
    const job = await sup.startJob({ agent: "worker" });
    await job.chat({ messages: msg });
    await job.chat({ messages: msg });
    const err = await stopsWith(job.chat({ messages: msg }), "budget_exceeded");
    expect(err.reason).toMatchObject({ scope: "agent", key: "worker", period: "daily", limit: 0.0005 });
    const next = await sup.startJob({ agent: "worker" });
    await stopsWith(next.chat({ messages: msg }), "budget_exceeded");
    const other = await sup.startJob({ agent: "other" });
    await expect(other.chat({ messages: msg })).resolves.toMatchObject({ model: "m-cheap" });
    clock += 24 * 3_600_000;
    const tomorrow = await sup.startJob({ agent: "worker" });
    await expect(tomorrow.chat({ messages: msg })).resolves.toMatchObject({ model: "m-mid" });
    await sup.close();
  });

  it("budgets hold across supervisors on the same store", async () => {
    const bundle = testBundle({ budgets: { tasks: { work: { monthlyUsd: 0.0002 } } } });
    const sup = await open(bundle);
    await (await sup.startJob({ agent: "worker" })).chat({ messages: msg });
    await sup.close();
    const again = await Supervisor.open({ bundle, store: temp.dir, env: { LITELLM_BASE_URL: server.url }, now: () => clock });
    const err = await stopsWith((await again.startJob({ agent: "worker" })).chat({ messages: msg }), "budget_exceeded");
    expect(err.reason).toMatchObject({ scope: "task", key: "work", period: "monthly" });
    await again.close();
  });

  it("downgrade: re-routes to the cheapest tier and records why", async () => {
    const sup = await open(testBundle({ onExceeded: "downgrade", budgets: { global: { dailyUsd: 0.0002 } } }));
    const job = await sup.startJob({ agent: "worker" });
    const downgrades: unknown[] = [];
    job.on("downgrade", (d) => downgrades.push(d));
    expect((await job.chat({ messages: msg })).model).toBe("m-mid");
    const r = await job.chat({ messages: msg });
    expect(r).toMatchObject({ model: "m-cheap", fallbackReason: "budget_downgrade" });
    expect((await job.chat({ messages: msg })).model).toBe("m-cheap");
    expect(downgrades).toHaveLength(1);
    const events = sup.store.jobEvents(job.id);
    expect(events.filter((e) => e.type === "budget.exceeded")).toMatchObject([{ scope: "global", action: "downgrade" }]);
    expect(events.filter((e): e is LlmCall => e.type === "llm.call").map((e) => e.tier)).toEqual(["mid", "cheap", "cheap"]);
    await sup.close();
  });

  it("budgets and alerts sum money without float drift, across supervisors", async () => {
    const bundle = testBundle({ budgets: { agents: { worker: { dailyUsd: 0.8 } }, global: { dailyUsd: 1, alertAtPercent: 80 } } });
    const sup = await open(bundle);
    server.respond = () => ({ usage: { prompt_tokens: 50_000, completion_tokens: 0 } }); // 0.1 USD a call
    const job = await sup.startJob({ agent: "worker" });
    const alerts: { scope: string; spentUsd: number }[] = [];
    job.on("budget-alert", (a) => a.scope === "global" && alerts.push(a)); // the agent's limit inherits 80 % too
    for (let i = 0; i < 7; i++) await job.chat({ messages: msg });
    expect(alerts).toEqual([]);
    await job.chat({ messages: msg }); // 0.8 USD: 80 % of the global 1 USD
    expect(alerts).toMatchObject([{ scope: "global", spentUsd: 0.8 }]);
    const err = await stopsWith(job.chat({ messages: msg }), "budget_exceeded");
    expect(err.reason).toMatchObject({ scope: "agent", value: 0.8, limit: 0.8 });
    await sup.close();
    const again = await Supervisor.open({ bundle, store: temp.dir, env: { LITELLM_BASE_URL: server.url }, now: () => clock });
    const next = await again.startJob({ agent: "worker" });
    const err2 = await stopsWith(next.chat({ messages: msg }), "budget_exceeded");
    expect(err2.reason).toMatchObject({ value: 0.8 });
    await again.close();
  });

  it("alertAtPercent raises one alert per limit and period", async () => {
    const sup = await open(testBundle({ budgets: { global: { dailyUsd: 0.001, alertAtPercent: 50 } } }));
    const job = await sup.startJob({ agent: "worker" });
    const alerts: unknown[] = [];
    job.on("budget-alert", (a) => alerts.push(a));
    for (let i = 0; i < 3; i++) await job.chat({ messages: msg });
    expect(alerts).toHaveLength(1);
    expect(sup.store.jobEvents(job.id).filter((e) => e.type === "budget.alert")).toMatchObject([{ scope: "global", period: "daily", limitUsd: 0.001, percent: 56 }]);
    await sup.close();
  });
});
