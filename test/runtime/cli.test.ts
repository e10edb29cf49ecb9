import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobStoppedError, Supervisor } from "../../src/runtime/index.js";
import { parseSince } from "../../src/cli/runs-commands.js";
import { runCli } from "../helpers.js";
import { startFakeServer, type FakeServer } from "./fake-server.js";
import { testBundle, tempDir } from "./helpers.js";

let server: FakeServer;
const temp = tempDir();
const store = join(temp.dir, "runs");

beforeAll(async () => {
  server = await startFakeServer();
  const sup = await Supervisor.open({ bundle: testBundle({ policy: { loop: { maxSteps: 3 }, tools: { paths: { deny: ["/etc/shadow"] } } } }), store, env: { LITELLM_BASE_URL: server.url } });
  const a = await sup.startJob({ agent: "worker", jobId: "job-a" });
  server.script("m-mid", [{ status: 429 }, { status: 429 }]);
  await a.chat({ messages: [{ role: "user", content: "one" }] });
  await a.guardTool("read", { path: "/etc/shadow" });
  await a.guardTool("lookup", { sku: "SKU-1" });
  await a.recordTool({ tool: "lookup", error: "HTTP 503", latencyMs: 7 });
  await a.checkpoint({ n: 1 });
  await a.chat({ messages: [{ role: "user", content: "two" }] });
  await a.chat({ messages: [{ role: "user", content: "three" }] });
  await a.chat({ messages: [{ role: "user", content: "four" }] }).catch((e) => expect(e).toBeInstanceOf(JobStoppedError));
  const b = await sup.startJob({ agent: "other", jobId: "job-b" });
  await b.chat({ messages: [{ role: "user", content: "ping" }] });
  await b.end("succeeded");
  await sup.close();
});
afterAll(async () => {
  await server.close();
  temp.cleanup();
});

describe("brainc runs", () => {
  it("list", async () => {
    const json = await runCli(["runs", "list", "--store", store, "--format", "json"], temp.dir);
    expect(json.code).toBe(0);
    const jobs = JSON.parse(json.stdout);
    expect(jobs.map((j: { job: string; status: string }) => [j.job, j.status])).toEqual([
      ["job-b", "succeeded"],
      ["job-a", "stopped"],
    ]);
    // Errors: two HTTP 429s (infrastructure), the guard's denial and the stop (agent), the failed tool call (tool).
    expect(jobs[1]).toMatchObject({ stop: { kind: "max_steps" }, totals: { steps: 3, llmCalls: 5, toolCalls: 1, fallbacks: 1, checkpoints: 1, errors: 5 } });
    const text = await runCli(["runs", "list", "--store", store, "--agent", "worker"], temp.dir);
    expect(text.stdout).toMatch(/job-a {2}worker\/work {2}stopped \(max_steps: maxSteps reached: 3 of 3\)/);
    expect(text.stdout).not.toContain("job-b");
  });

  it("show: the timeline with fallbacks, guard decisions, tool calls, checkpoints, stop reason and totals", async () => {
    const text = await runCli(["runs", "show", "job-a", "--store", store], temp.dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("llm m-mid  attempt 1  FAILED rate_limit HTTP 429");
    expect(text.stdout).toMatch(/step 1 {2}llm m-small {2}attempt 3 {2}fallback \(after rate_limit\) {2}100→20 tokens {2}0\.000140 USD/);
    expect(text.stdout).toContain("guard read: deny [tools.paths.deny]");
    expect(text.stdout).toContain("guard lookup: allow");
    expect(text.stdout).toContain("tool call 1 lookup: FAILED HTTP 503  7ms");
    expect(text.stdout).toContain("checkpoint after step 1, tool call 1");
    expect(text.stdout).toContain("job ended: stopped (max_steps");
    expect(text.stdout).toMatch(/totals: steps 3 {2}llm calls 5 \(fallbacks 1\) {2}tool calls 1 .* errors 5\n/);
    const json = JSON.parse((await runCli(["runs", "show", "job-a", "--store", store, "--format", "json"], temp.dir)).stdout);
    expect(json.events.map((e: { type: string }) => e.type)).toContain("checkpoint");
    const missing = await runCli(["runs", "show", "nope", "--store", store], temp.dir);
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toContain("no job nope");
  });

  it("stats by model, task and agent", async () => {
    const byModel = JSON.parse((await runCli(["runs", "stats", "--by", "model", "--since", "24h", "--store", store, "--format", "json"], temp.dir)).stdout);
    const mid = byModel.groups.find((g: { key: string }) => g.key === "m-mid");
    expect(mid).toMatchObject({ llmCalls: 4, errors: { infrastructure: 2, agent: 0, tool: 0 }, fallbackRate: 0 });
    const small = byModel.groups.find((g: { key: string }) => g.key === "m-small");
    expect(small).toMatchObject({ llmCalls: 1, fallbackRate: 1 });
    expect(small.p50LatencyMs).toBeTypeOf("number");
    const byAgent = JSON.parse((await runCli(["runs", "stats", "--by", "agent", "--store", store, "--format", "json"], temp.dir)).stdout);
    expect(byAgent.groups.find((g: { key: string }) => g.key === "worker").errors).toEqual({ agent: 2, tool: 1, infrastructure: 2 });
    const text = await runCli(["runs", "stats", "--by", "task", "--store", store], temp.dir);
    expect(text.stdout.split("\n")[0]).toMatch(/^task\s+llm calls\s+tool calls/);
    const future = JSON.parse((await runCli(["runs", "stats", "--since", "2999-01-01", "--store", store, "--format", "json"], temp.dir)).stdout);
    expect(future.groups).toEqual([]);
    expect((await runCli(["runs", "stats", "--since", "yesterday", "--store", store], temp.dir)).code).toBe(2);
  });

  it("metrics in the Prometheus text format", async () => {
    const { code, stdout } = await runCli(["runs", "metrics", "--store", store], temp.dir);
    expect(code).toBe(0);
    expect(stdout).toContain("# TYPE brainc_llm_calls_total counter");
    expect(stdout).toContain('brainc_llm_calls_total{agent="worker",task="work",model="m-mid",status="rate_limit"} 2');
    expect(stdout).toContain('brainc_guard_decisions_total{agent="worker",tool="read",decision="deny"} 1');
    expect(stdout).toContain('brainc_llm_latency_seconds_bucket{agent="other",task="ping",model="m-cheap",le="+Inf"} 1');
    for (const line of stdout.trim().split("\n")) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? [0-9.e+-]+)$/);
  });

  // The reference parser: the official Python client's (Debian package python3-prometheus-client).
  const python = "/usr/bin/python3";
  const hasParser = spawnSync(python, ["-c", "import prometheus_client.parser"]).status === 0;
  it.skipIf(!hasParser)("metrics parse with prometheus_client's text parser (skipped without python3-prometheus-client)", async () => {
    const { stdout } = await runCli(["runs", "metrics", "--store", store], temp.dir);
    const script = "import sys\nfrom prometheus_client.parser import text_string_to_metric_families as p\nfor f in p(sys.stdin.read()):\n    print(f.name, f.type, len(f.samples))";
    const r = spawnSync(python, ["-c", script], { input: stdout, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("brainc_llm_calls counter 4");
    expect(r.stdout).toContain("brainc_llm_latency_seconds histogram");
  });

  it("reads the store with no warnings (every event the supervisor writes is a valid ledger event)", async () => {
    for (const args of [["list"], ["show", "job-a"], ["stats"], ["metrics"]]) {
      const r = await runCli(["runs", ...args, "--store", store], temp.dir);
      expect([r.code, r.stderr]).toEqual([0, ""]);
    }
  });

  it("warns about each line of the ledger that is not an event (file, line, what is wrong) and skips it", async () => {
    const dir = join(temp.dir, "damaged");
    mkdirSync(dir);
    const started = '{"seq":2,"t":1700000000000,"job":"j1","agent":"a","task":"t","run":1,"type":"job.started","resumed":false}';
    writeFileSync(join(dir, "ledger.jsonl"), `garbage\n${started}\n{"seq":1}\n`);
    for (const args of [["list"], ["list", "--format", "json"], ["show", "j1"], ["stats"], ["metrics"]]) {
      const r = await runCli(["runs", ...args, "--store", "damaged"], temp.dir);
      expect(r.code, args.join(" ")).toBe(0);
      // `show` parses only the job's own lines (those holding "job":"j1"), so it has nothing to warn about here.
      expect(r.stderr, args.join(" ")).toBe(args[0] === "show" ? "" : [
        `brainc runs: warning: damaged/ledger.jsonl:1: skipped a line that is not a ledger event (Unexpected token 'g', "garbage" is not valid JSON)\n`,
        'brainc runs: warning: damaged/ledger.jsonl:3: skipped a line that is not a ledger event (it has no "type")\n',
      ].join(""));
    }
    writeFileSync(join(dir, "ledger.jsonl"), `${started}\n${started.replace('"t":1700000000000', '"t":"soon"')}\n`);
    const show = await runCli(["runs", "show", "j1", "--store", "damaged"], temp.dir);
    expect(show.stderr).toBe('brainc runs: warning: damaged/ledger.jsonl:2: skipped a line that is not a ledger event (its "t" is "soon", not a number)\n');
    expect(show.stdout).toContain("#2 ");
    expect((await runCli(["runs", "list", "--store", "damaged"], temp.dir)).stdout).toContain("j1  a/t  running");
  });

  it("a ledger of malformed lines: no internal error, no silent \"no jobs\"; past 10 warnings, a count", async () => {
    const dir = join(temp.dir, "malformed");
    mkdirSync(dir);
    writeFileSync(join(dir, "ledger.jsonl"), '{"seq":1}\n'.repeat(13));
    const r = await runCli(["runs", "list", "--store", "malformed"], temp.dir);
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe('brainc runs: warning: malformed/ledger.jsonl:1: skipped a line that is not a ledger event (it has no "type")');
    expect(lines[9]).toContain("malformed/ledger.jsonl:10:");
    expect(lines.slice(10)).toEqual(["brainc runs: warning: skipped 3 more lines that are not ledger events", "brainc runs: no jobs"]);
  });

  it("refuses bad --limit, --status and --since values with a usage error (BRN901, exit 2) naming the accepted forms", async () => {
    const cases: [string[], string][] = [
      [["list", "--limit", "abc"], '--limit takes a positive integer (the number of jobs to list, newest first), not "abc"'],
      [["list", "--limit", "-1"], "--limit takes a positive integer"],
      [["list", "--limit", "0"], "--limit takes a positive integer"],
      [["list", "--limit", "2x"], "--limit takes a positive integer"],
      [["list", "--status", "bogus"], '--status takes one of running, succeeded, failed, stopped, cancelled, not "bogus"'],
      [["stats", "--since", "7"], '--since takes a duration back from now (an integer and a unit ms, s, m, h or d: 30m, 24h, 7d) or an ISO 8601 date or date-time (2026-11-01, 2026-11-01T09:30Z), not "7"'],
      [["stats", "--since", "2026-02-30"], "--since takes a duration"],
      [["stats", "--since", "Nov 1 2026"], "--since takes a duration"],
      [["stats", "--since", ""], "--since takes a duration"],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(["runs", ...args, "--store", store], temp.dir);
      // As every brainc command prints diagnostics: on stdout, the summary on stderr.
      expect([r.code, r.stderr], args.join(" ")).toEqual([2, "Found 1 error.\n"]);
      expect(r.stdout, args.join(" ")).toContain(`error BRN901: ${message}`);
    }
    const json = await runCli(["runs", "list", "--limit", "abc", "--store", store, "--format", "json"], temp.dir);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject([{ code: "BRN901", severity: "error" }]);
  });

  it("accepts --limit n, --status and --since as a duration, a date or a date-time", async () => {
    const one = await runCli(["runs", "list", "--limit", "1", "--store", store, "--format", "json"], temp.dir);
    expect(JSON.parse(one.stdout).map((j: { job: string }) => j.job)).toEqual(["job-b"]);
    const stopped = await runCli(["runs", "list", "--status", "stopped", "--store", store, "--format", "json"], temp.dir);
    expect(JSON.parse(stopped.stdout).map((j: { job: string }) => j.job)).toEqual(["job-a"]);
    for (const since of ["7d", "90m", "2000-01-01", "2000-01-01T00:00Z", "2000-01-01T09:30:15.250+02:00", "2000-01-01T09:30"]) {
      const r = await runCli(["runs", "stats", "--since", since, "--store", store, "--format", "json"], temp.dir);
      expect([r.code, r.stderr], since).toEqual([0, ""]);
      expect(JSON.parse(r.stdout).groups.length, since).toBeGreaterThan(0);
    }
    expect(parseSince("2026-11-01")).toBe(Date.UTC(2026, 10, 1));
    expect(parseSince("2026-11-01T09:30+02:00")).toBe(Date.UTC(2026, 10, 1, 7, 30));
    expect(parseSince("24h", 100_000_000)).toBe(100_000_000 - 86_400_000);
    expect(parseSince(undefined)).toBe(0);
  });

  it("says when there is no store", async () => {
    const r = await runCli(["runs", "list", "--store", join(temp.dir, "none")], temp.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no run store");
  });
});
