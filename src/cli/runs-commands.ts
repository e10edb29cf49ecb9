/** The `brainc runs` commands: what the supervisor runtime's jobs did, read from the run store. */
import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { durationMs, isStore, LedgerReader, listJobs, metrics, showJob, stats, type BadLine, type JobSummary } from "../runtime/index.js";
import type { JobStatus, LedgerEvent } from "../runtime/events.js";
import { diagnostic } from "../diagnostics/codes.js";
import { EXIT, printDiagnostics, type Io } from "./report.js";

export type RunsFormat = "text" | "json";

export interface RunsOptions {
  /** The run store directory. */
  store: string;
  format: RunsFormat;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const usd = (n: number) => `${n.toFixed(6)} USD`;

/** Lines of the log that are not events, warned about one by one before the rest are counted. */
const MAX_BAD_LINE_WARNINGS = 10;

/**
 * Opens the store for reading, or reports that it does not exist (exit 1). Each read warns on stderr
 * about the lines of the log that are not ledger events (which it skips): file, line and what is wrong.
 */
function reader(o: RunsOptions, io: Io): Pick<LedgerReader, "allEvents" | "jobEvents"> | undefined {
  const dir = resolve(io.cwd, o.store);
  if (!existsSync(dir) || !isStore(dir)) {
    io.stderr(`brainc runs: no run store at ${o.store} (a supervisor creates it on its first job; pick another with --store <dir>)\n`);
    return undefined;
  }
  const bad: BadLine[] = [];
  const r = new LedgerReader(dir, (b) => bad.push(b));
  const warned = <T>(events: T): T => {
    for (const b of bad.slice(0, MAX_BAD_LINE_WARNINGS)) {
      io.stderr(`brainc runs: warning: ${join(o.store, basename(b.file))}:${b.line}: skipped a line that is not a ledger event (${b.problem})\n`);
    }
    if (bad.length > MAX_BAD_LINE_WARNINGS) io.stderr(`brainc runs: warning: skipped ${bad.length - MAX_BAD_LINE_WARNINGS} more lines that are not ledger events\n`);
    bad.length = 0;
    return events;
  };
  return { allEvents: () => warned(r.allEvents()), jobEvents: (jobId) => warned(r.jobEvents(jobId)) };
}

/** Reports a usage error (BRN901, exit 2), in the command's format. */
function usage(io: Io, o: RunsOptions, message: string, hint: string): number {
  return printDiagnostics(io, [diagnostic("BRN901", message, { hint })], { format: o.format });
}

/** The statuses `runs list --status` takes: a job's end status, or `running` for one that has not ended. */
export const LIST_STATUSES: readonly (JobStatus | "running")[] = ["running", "succeeded", "failed", "stopped", "cancelled"];

function stopText(j: JobSummary): string {
  return j.stop ? ` (${j.stop.kind}: ${j.stop.message})` : "";
}

/**
 * `brainc runs list`: one line per job, newest first. `--status` must be one of {@link LIST_STATUSES} and
 * `--limit` a positive integer, else a usage error (BRN901, exit 2).
 */
export function runsList(o: RunsOptions & { agent?: string; status?: string; limit?: string }, io: Io): number {
  if (o.status !== undefined && !(LIST_STATUSES as readonly string[]).includes(o.status)) {
    return usage(io, o, `--status takes one of ${LIST_STATUSES.join(", ")}, not ${JSON.stringify(o.status)}`, "a job that has not ended is running; one that reached a limit or budget is stopped");
  }
  const limit = o.limit === undefined ? undefined : /^[0-9]+$/.test(o.limit) ? Number(o.limit) : NaN;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1)) {
    return usage(io, o, `--limit takes a positive integer (the number of jobs to list, newest first), not ${JSON.stringify(o.limit)}`, "for example --limit 20; leave it out to list every job");
  }
  const r = reader(o, io);
  if (!r) return EXIT.failed;
  let jobs = listJobs(r.allEvents()).reverse();
  if (o.agent) jobs = jobs.filter((j) => j.agent === o.agent);
  if (o.status) jobs = jobs.filter((j) => j.status === o.status);
  if (limit !== undefined) jobs = jobs.slice(0, limit);
  if (o.format === "json") {
    io.stdout(json(jobs));
    return EXIT.ok;
  }
  for (const j of jobs) {
    const t = j.totals;
    io.stdout(`${new Date(j.startedAt).toISOString()}  ${j.job}  ${j.agent}/${j.task}  ${j.status}${stopText(j)}  steps ${t.steps}  tools ${t.toolCalls}  tokens ${t.inputTokens + t.outputTokens}  ${usd(t.costUsd)}${j.runs > 1 ? `  runs ${j.runs}` : ""}\n`);
  }
  if (!jobs.length) io.stderr("brainc runs: no jobs\n");
  return EXIT.ok;
}

function eventLine(e: LedgerEvent, start: number): string {
  const at = `+${e.t - start}ms`.padEnd(10);
  const head = `#${e.seq}`.padEnd(8) + at + `run ${e.run}  `;
  switch (e.type) {
    case "job.started":
      return `${head}job started${e.resumed ? ` (resumed from checkpoint #${e.fromCheckpoint ?? "-"})` : ""}`;
    case "llm.call": {
      const what = `step ${e.step}  llm ${e.model}${e.servedModel ? ` (served by ${e.servedModel})` : ""}  attempt ${e.attempt}${e.fallback ? "  fallback" : ""}${e.fallbackReason ? ` (after ${e.fallbackReason})` : ""}`;
      return e.ok
        ? `${head}${what}  ${e.inputTokens}→${e.outputTokens} tokens  ${usd(e.costUsd)}  ${e.latencyMs}ms`
        : `${head}${what}  FAILED ${e.errorKind}${e.httpStatus ? ` HTTP ${e.httpStatus}` : ""}  ${e.latencyMs}ms`;
    }
    case "tool.guard":
      return `${head}guard ${e.tool}: ${e.decision}${e.rule ? ` [${e.rule}]` : ""}${e.reason ? ` ${e.reason}` : ""}`;
    case "tool.call":
      return `${head}tool call ${e.call} ${e.tool}: ${e.ok ? "ok" : `FAILED ${e.error}`}${e.latencyMs !== undefined ? `  ${e.latencyMs}ms` : ""}${e.approvedBy ? `  approved by ${e.approvedBy}` : ""}`;
    case "checkpoint":
      return `${head}checkpoint after step ${e.step}, tool call ${e.toolCalls}`;
    case "budget.alert":
    case "budget.exceeded":
      return `${head}${e.type === "budget.alert" ? "budget alert" : `budget exceeded (${e.action})`}: ${e.scope} ${e.key} ${e.period} ${e.spentUsd.toFixed(6)} of ${e.limitUsd} USD (${e.percent}%)`;
    case "context.compact":
      return `${head}compact advised: ${e.usedTokens} of ${e.contextWindow} tokens (${e.percent}%), compaction ${e.compaction}`;
    case "job.ended":
      return `${head}job ended: ${e.status}${e.stop ? ` (${e.stop.kind}: ${e.stop.message})` : ""}${e.error ? ` ${e.errorClass ?? "agent"} error: ${e.error}` : ""}`;
  }
}

/** `brainc runs show <jobId>`: the job's timeline and totals. */
export function runsShow(jobId: string, o: RunsOptions, io: Io): number {
  const r = reader(o, io);
  if (!r) return EXIT.failed;
  const shown = showJob(r.jobEvents(jobId));
  if (!shown) {
    io.stderr(`brainc runs: no job ${jobId} in ${o.store}\n`);
    return EXIT.failed;
  }
  if (o.format === "json") {
    io.stdout(json(shown));
    return EXIT.ok;
  }
  const { summary: j, events } = shown;
  const t = j.totals;
  let out = `job ${j.job}  agent ${j.agent}  task ${j.task}  ${j.status}${stopText(j)}\n`;
  out += `started ${new Date(j.startedAt).toISOString()}  runs ${j.runs}\n\n`;
  for (const e of events) out += `${eventLine(e, j.startedAt)}\n`;
  out += `\ntotals: steps ${t.steps}  llm calls ${t.llmCalls} (fallbacks ${t.fallbacks})  tool calls ${t.toolCalls}  tokens ${t.inputTokens} in / ${t.outputTokens} out  ${usd(t.costUsd)}  checkpoints ${t.checkpoints}  errors ${t.errors}\n`;
  io.stdout(out);
  return EXIT.ok;
}

/** An ISO 8601 date (`2026-11-01`) or date-time (`2026-11-01T09:30`, seconds and fraction optional), with an optional `Z` or `±hh:mm` offset. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?)?$/;

/**
 * Parses `--since` into epoch ms: a duration back from `now` (an integer and a unit ms, s, m, h or d:
 * `30m`, `24h`, `7d`), or an ISO 8601 date (`2026-11-01`, midnight UTC) or date-time (`2026-11-01T09:30Z`,
 * `2026-11-01T09:30:00+02:00`; without an offset, local time). Anything else (a bare number such as `7`,
 * `yesterday`, a day that does not exist such as `2026-02-30`) gives undefined. No `since` gives 0.
 */
export function parseSince(since: string | undefined, now = Date.now()): number | undefined {
  if (since === undefined) return 0;
  const ms = durationMs(since);
  if (!Number.isNaN(ms)) return now - ms;
  const m = ISO_DATE_TIME.exec(since);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const t = Date.parse(since);
  return Number.isNaN(t) ? undefined : t;
}

/** `brainc runs stats --by model|task|agent --since 24h`; a `--since` that {@link parseSince} refuses is a usage error (BRN901, exit 2). */
export function runsStats(o: RunsOptions & { by: "model" | "task" | "agent"; since?: string }, io: Io): number {
  const since = parseSince(o.since);
  if (since === undefined) {
    return usage(io, o, `--since takes a duration back from now (an integer and a unit ms, s, m, h or d: 30m, 24h, 7d) or an ISO 8601 date or date-time (2026-11-01, 2026-11-01T09:30Z), not ${JSON.stringify(o.since)}`, "a date alone means midnight UTC; a date-time without Z or an offset is local time");
  }
  const r = reader(o, io);
  if (!r) return EXIT.failed;
  const groups = stats(r.allEvents(), o.by, since);
  if (o.format === "json") {
    io.stdout(json({ by: o.by, since: since ? new Date(since).toISOString() : null, groups }));
    return EXIT.ok;
  }
  const rows = [[o.by, "llm calls", "tool calls", "tokens in", "tokens out", "cost USD", "p50 ms", "p95 ms", "fallback", "errors a/t/i"]];
  for (const g of groups) {
    rows.push([g.key, String(g.llmCalls), String(g.toolCalls), String(g.inputTokens), String(g.outputTokens), g.costUsd.toFixed(6), String(g.p50LatencyMs ?? "-"), String(g.p95LatencyMs ?? "-"), `${(g.fallbackRate * 100).toFixed(1)}%`, `${g.errors.agent}/${g.errors.tool}/${g.errors.infrastructure}`]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  io.stdout(rows.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")).join("\n") + "\n");
  return EXIT.ok;
}

/** `brainc runs metrics`: Prometheus text exposition format. */
export function runsMetrics(o: Omit<RunsOptions, "format">, io: Io): number {
  const r = reader({ ...o, format: "text" }, io);
  if (!r) return EXIT.failed;
  io.stdout(metrics(r.allEvents()));
  return EXIT.ok;
}
