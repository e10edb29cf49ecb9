/**
 * What `brainc runs` shows, computed from ledger events: job summaries, one job's timeline, statistics
 * grouped by model, task class or agent, and Prometheus metrics (text exposition format 0.0.4,
 * prometheus.io/docs/instrumenting/exposition_formats).
 */
import type { ErrorClass, JobStatus, LedgerEvent, StopReason } from "./events.js";
import { sumUsd } from "./money.js";

/** Totals of one job. */
export interface JobTotals {
  steps: number;
  llmCalls: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  fallbacks: number;
  checkpoints: number;
  /** Events {@link errorClassOf} classifies as errors: failed model and tool calls, guard denials, a failed or stopped job. */
  errors: number;
}

/** One job in `runs list`. */
export interface JobSummary {
  job: string;
  agent: string;
  task: string;
  /** Epoch ms of the first event and the last. */
  startedAt: number;
  lastAt: number;
  runs: number;
  status: JobStatus | "running";
  stop?: StopReason;
  totals: JobTotals;
}

const emptyTotals = (): JobTotals => ({ steps: 0, llmCalls: 0, toolCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, fallbacks: 0, checkpoints: 0, errors: 0 });

function addTotals(t: JobTotals, e: LedgerEvent): void {
  if (e.type === "llm.call") {
    t.llmCalls++;
    t.steps = Math.max(t.steps, e.step);
    t.inputTokens += e.inputTokens;
    t.outputTokens += e.outputTokens;
    t.costUsd = sumUsd(t.costUsd, e.costUsd);
    if (e.ok && e.fallback) t.fallbacks++;
  } else if (e.type === "tool.call") t.toolCalls++;
  else if (e.type === "checkpoint") t.checkpoints++;
  // The same errors that `runs stats` and the metrics classify (failed calls, guard denials, a failed job).
  if (errorClassOf(e)) t.errors++;
}

/** Summaries of every job, oldest first. */
export function listJobs(events: readonly LedgerEvent[]): JobSummary[] {
  const jobs = new Map<string, JobSummary>();
  for (const e of events) {
    let j = jobs.get(e.job);
    if (!j) {
      j = { job: e.job, agent: e.agent, task: e.task, startedAt: e.t, lastAt: e.t, runs: e.run, status: "running", totals: emptyTotals() };
      jobs.set(e.job, j);
    }
    j.lastAt = Math.max(j.lastAt, e.t);
    j.runs = Math.max(j.runs, e.run);
    addTotals(j.totals, e);
    if (e.type === "job.ended") {
      j.status = e.status;
      if (e.stop) j.stop = e.stop;
    }
  }
  return [...jobs.values()];
}

/** One job's timeline: its events in ledger order, and its summary. */
export function showJob(events: readonly LedgerEvent[]): { summary: JobSummary; events: LedgerEvent[] } | undefined {
  const summary = listJobs(events)[0];
  return summary && { summary, events: [...events] };
}

/** The class of an error event: agent, tool or infrastructure; undefined when the event is no error. */
export function errorClassOf(e: LedgerEvent): ErrorClass | undefined {
  if (e.type === "llm.call" && !e.ok) return e.errorKind === "bad_request" || e.errorKind === "context_window" || e.errorKind === "content_filter" ? "agent" : "infrastructure";
  if (e.type === "tool.call" && !e.ok) return "tool";
  if (e.type === "tool.guard" && e.decision === "deny") return "agent";
  if (e.type === "job.ended" && (e.status === "failed" || e.status === "stopped")) return e.errorClass ?? "agent";
  return undefined;
}

/** Statistics of one group. Latencies in ms, over successful model calls. */
export interface GroupStats {
  key: string;
  llmCalls: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  /** Share of successful model calls answered by a fallback model (0-1). */
  fallbackRate: number;
  errors: Record<ErrorClass, number>;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Groups events since `since` (epoch ms) by model, task class or agent. With `model`, tool events (which
 * have no model) are left out.
 */
export function stats(events: readonly LedgerEvent[], by: "model" | "task" | "agent", since = 0): GroupStats[] {
  const groups = new Map<string, { s: GroupStats; latencies: number[]; ok: number; fallbacks: number }>();
  for (const e of events) {
    if (e.t < since) continue;
    const key = by === "model" ? (e.type === "llm.call" ? e.model : undefined) : by === "task" ? e.task : e.agent;
    if (key === undefined) continue;
    let g = groups.get(key);
    if (!g) {
      g = { s: { key, llmCalls: 0, toolCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, p50LatencyMs: null, p95LatencyMs: null, fallbackRate: 0, errors: { agent: 0, tool: 0, infrastructure: 0 } }, latencies: [], ok: 0, fallbacks: 0 };
      groups.set(key, g);
    }
    const s = g.s;
    if (e.type === "llm.call") {
      s.llmCalls++;
      s.inputTokens += e.inputTokens;
      s.outputTokens += e.outputTokens;
      s.costUsd = sumUsd(s.costUsd, e.costUsd);
      if (e.ok) {
        g.ok++;
        g.latencies.push(e.latencyMs);
        if (e.fallback) g.fallbacks++;
      }
    } else if (e.type === "tool.call") s.toolCalls++;
    const cls = errorClassOf(e);
    if (cls) s.errors[cls]++;
  }
  return [...groups.values()]
    .map(({ s, latencies, ok, fallbacks }) => {
      latencies.sort((a, b) => a - b);
      return { ...s, p50LatencyMs: percentile(latencies, 50), p95LatencyMs: percentile(latencies, 95), fallbackRate: ok ? round(fallbacks / ok) : 0 };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const round = (n: number) => Math.round(n * 1e9) / 1e9;
const LATENCY_BUCKETS_S = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

function labels(l: Record<string, string>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

/** Prometheus text exposition of the ledger's counters (totals since the store began). */
export function metrics(events: readonly LedgerEvent[]): string {
  const counters = new Map<string, Map<string, number>>();
  const inc = (name: string, l: Record<string, string>, by = 1) => {
    let m = counters.get(name);
    if (!m) counters.set(name, (m = new Map()));
    const k = labels(l);
    m.set(k, (m.get(k) ?? 0) + by);
  };
  const hist = new Map<string, { buckets: number[]; sum: number; count: number }>();
  for (const e of events) {
    if (e.type === "llm.call") {
      const l = { agent: e.agent, task: e.task, model: e.model };
      inc("brainc_llm_calls_total", { ...l, status: e.ok ? "ok" : (e.errorKind ?? "error") });
      inc("brainc_llm_tokens_total", { ...l, direction: "input" }, e.inputTokens);
      inc("brainc_llm_tokens_total", { ...l, direction: "output" }, e.outputTokens);
      inc("brainc_llm_cost_usd_total", l, e.costUsd);
      if (e.ok && e.fallback) inc("brainc_llm_fallbacks_total", l);
      if (e.ok) {
        const k = labels(l);
        const h = hist.get(k) ?? { buckets: LATENCY_BUCKETS_S.map(() => 0), sum: 0, count: 0 };
        hist.set(k, h);
        const s = e.latencyMs / 1000;
        LATENCY_BUCKETS_S.forEach((b, i) => {
          if (s <= b) h.buckets[i]++;
        });
        h.sum += s;
        h.count++;
      }
    } else if (e.type === "tool.call") inc("brainc_tool_calls_total", { agent: e.agent, tool: e.tool, status: e.ok ? "ok" : "error" });
    else if (e.type === "tool.guard") inc("brainc_guard_decisions_total", { agent: e.agent, tool: e.tool, decision: e.decision });
    else if (e.type === "job.started") inc("brainc_job_runs_total", { agent: e.agent, task: e.task });
    else if (e.type === "job.ended") inc("brainc_jobs_ended_total", { agent: e.agent, task: e.task, status: e.status, reason: e.stop?.kind ?? "" });
    else if (e.type === "budget.alert" || e.type === "budget.exceeded") inc(e.type === "budget.alert" ? "brainc_budget_alerts_total" : "brainc_budget_exceeded_total", { scope: e.scope, key: e.key, period: e.period });
    const cls = errorClassOf(e);
    if (cls) inc("brainc_errors_total", { agent: e.agent, class: cls });
  }
  const help: Record<string, string> = {
    brainc_llm_calls_total: "Model requests, by outcome (ok or the error kind).",
    brainc_llm_tokens_total: "Tokens of model requests, input and output.",
    brainc_llm_cost_usd_total: "Cost of model requests in USD, from the bundle's prices.",
    brainc_llm_fallbacks_total: "Successful model requests answered by a fallback model.",
    brainc_tool_calls_total: "Recorded tool calls.",
    brainc_guard_decisions_total: "Tool guard decisions.",
    brainc_job_runs_total: "Job runs started (resumes included).",
    brainc_jobs_ended_total: "Jobs ended, by status and stop reason.",
    brainc_budget_alerts_total: "Budget alerts raised.",
    brainc_budget_exceeded_total: "Budget limits reached.",
    brainc_errors_total: "Errors, classified as agent, tool or infrastructure.",
  };
  let out = "";
  for (const name of Object.keys(help)) {
    const m = counters.get(name);
    if (!m) continue;
    out += `# HELP ${name} ${help[name]}\n# TYPE ${name} counter\n`;
    for (const [k, v] of [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) out += `${name}${k} ${round(v)}\n`;
  }
  if (hist.size) {
    out += "# HELP brainc_llm_latency_seconds Latency of successful model requests.\n# TYPE brainc_llm_latency_seconds histogram\n";
    for (const [k, h] of [...hist.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const inner = k.slice(1, -1);
      LATENCY_BUCKETS_S.forEach((b, i) => (out += `brainc_llm_latency_seconds_bucket{${inner},le="${b}"} ${h.buckets[i]}\n`));
      out += `brainc_llm_latency_seconds_bucket{${inner},le="+Inf"} ${h.count}\n`;
      out += `brainc_llm_latency_seconds_sum${k} ${round(h.sum)}\n`;
      out += `brainc_llm_latency_seconds_count${k} ${h.count}\n`;
    }
  }
  return out;
}
