import { canonicalJson } from "../../src/emit/canonical.js";
import { openclawDuration } from "./config.js";
import { routeModel } from "./models.js";
import type { Plan } from "./plan.js";

/**
 * One cron declaration: the arguments of `openclaw cron add` (OpenClaw 2026.9.6 CLI) for one schedule:
 * an isolated session, no runner delivery (`--no-deliver`), and for cron expressions no stagger (`--exact`).
 */
export interface CronDeclaration {
  /** `<brain>/<agent>/<n>`, n counting the agent's schedules from 1: the idempotent `--declaration-key`. */
  declarationKey: string;
  agent: string;
  name: string;
  /** `{every}` (OpenClaw duration) or `{cron, tz}` (5-field cron, IANA zone; the brain's default is UTC). */
  schedule: { every: string } | { cron: string; tz: string };
  message: string;
  model: string;
  fallbacks: string[];
  /** Job timeout from the agent's `loop.maxDuration`, seconds. */
  timeoutSeconds?: number;
  /** The whole argument list after `openclaw cron add`, ready for execFile (no shell quoting needed). */
  args: string[];
}

/**
 * cron.json: `{ "jobs": CronDeclaration[] }`, one per agent schedule in agent then schedule order. Cron
 * jobs are OpenClaw runtime state (SQLite), not config: apply them with `openclaw cron add` against a
 * running gateway (see the README); the declaration key makes re-applying idempotent.
 */
export function buildCron(plan: Plan): { json: string; jobs: CronDeclaration[] } {
  const jobs: CronDeclaration[] = [];
  for (const p of plan.agents) {
    p.agent.schedules.forEach((s, i) => {
      const declarationKey = `${plan.brain.name}/${p.agent.id}/${i + 1}`;
      const { primary, fallbacks } = routeModel(plan.brain, s.route);
      const schedule: CronDeclaration["schedule"] = s.cron !== undefined ? { cron: s.cron, tz: s.timezone ?? "UTC" } : { every: openclawDuration(s.every!) };
      const name = `${p.agent.name} #${i + 1}`;
      const args = ["--declaration-key", declarationKey, "--name", name, "--agent", p.agent.id];
      args.push(...("cron" in schedule ? ["--cron", schedule.cron, "--tz", schedule.tz] : ["--every", schedule.every]));
      // --exact: run on the minute (OpenClaw staggers top-of-hour expressions by up to 5 minutes otherwise).
      if ("cron" in schedule) args.push("--exact");
      // --no-deliver: agents post through their own tools; OpenClaw's default for isolated jobs, announce
      // to the "last" channel, fails once more than one channel is configured, and with one channel it
      // would post each run's final reply there.
      args.push("--session", "isolated", "--no-deliver", "--message", s.message, "--model", primary);
      if (fallbacks.length) args.push("--fallbacks", fallbacks.join(","));
      if (p.timeoutSeconds !== undefined) args.push("--timeout-seconds", String(p.timeoutSeconds));
      jobs.push({ declarationKey, agent: p.agent.id, name, schedule, message: s.message, model: primary, fallbacks, timeoutSeconds: p.timeoutSeconds, args });
    });
  }
  return { json: canonicalJson({ jobs }), jobs };
}
