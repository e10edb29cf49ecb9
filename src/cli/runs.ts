import { Option, type Command } from "commander";
import type { Io } from "./report.js";
import type { RunsOptions } from "./runs-commands.js";

/** The `runs` commands and the runtime they read, loaded only when a `runs` command runs. */
const commands = () => import("./runs-commands.js");

/**
 * Registers `brainc runs list|show|stats|metrics` on the program; each action stores its exit code in
 * `result` (0 ok, 1 no store or no such job, 2 usage).
 */
export function registerRuns(program: Command, result: { code: number }, io: Io): void {
  const runs = program.command("runs").description("what the supervisor runtime's jobs did: list, show <jobId>, stats, metrics (reads the run store)");
  const storeOption = () => new Option("--store <dir>", "run store directory").default(".brainc/runs");
  const formatOption = () => new Option("--format <format>", "output format").choices(["text", "json"]).default("text");
  runs
    .command("list")
    .description("one line per job, newest first: status, stop reason, steps, tool calls, tokens, cost")
    .addOption(storeOption())
    .addOption(formatOption())
    .option("--agent <id>", "only this agent's jobs")
    .option("--status <status>", "only jobs with this status (running, succeeded, failed, stopped, cancelled)")
    .option("--limit <n>", "at most n jobs (a positive integer)")
    .action(async (o: RunsOptions & { agent?: string; status?: string; limit?: string }) => {
      result.code = (await commands()).runsList(o, io);
    });
  runs
    .command("show")
    .description("a job's timeline: model calls (model, fallback, tokens, cost, latency), guard decisions, tool calls, checkpoints, stop reason, totals")
    .argument("<jobId>", "the job id")
    .addOption(storeOption())
    .addOption(formatOption())
    .action(async (jobId: string, o: RunsOptions) => {
      result.code = (await commands()).runsShow(jobId, o, io);
    });
  runs
    .command("stats")
    .description("cost, tokens, calls, p50/p95 latency, fallback rate and errors (agent/tool/infrastructure) per model, task class or agent")
    .addOption(new Option("--by <key>", "group by").choices(["model", "task", "agent"]).default("model"))
    .option("--since <when>", "only events since a duration ago (an integer and ms, s, m, h or d: 30m, 24h, 7d) or an ISO 8601 date or date-time (2026-11-01, 2026-11-01T09:30Z)")
    .addOption(storeOption())
    .addOption(formatOption())
    .action(async (o: RunsOptions & { by: "model" | "task" | "agent"; since?: string }) => {
      result.code = (await commands()).runsStats(o, io);
    });
  runs
    .command("metrics")
    .description("the ledger's counters in the Prometheus text format")
    .addOption(storeOption())
    .action(async (o: { store: string }) => {
      result.code = (await commands()).runsMetrics(o, io);
    });
}
