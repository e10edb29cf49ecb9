/**
 * The supervisor: opens a bundle and a run store, and starts (or resumes) jobs. Budgets are counted
 * across all jobs of the store, from the ledger.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { BudgetBook } from "./budget.js";
import { BundleError, loadBundle, type Bundle, type Env } from "./bundle.js";
import type { LedgerEvent, NewEvent } from "./events.js";
import { ToolGuard } from "./guard.js";
import { Job, type JobProgress } from "./job.js";
import { FileLedger, type LedgerStore } from "./ledger.js";
import { sumUsd } from "./money.js";

/** Options of {@link Supervisor.open}. */
export interface SupervisorOptions {
  /** A bundle: the path of bundle.json, or the parsed object. Validated on open. */
  bundle: string | Bundle | object;
  /** The run store: a directory (the embedded JSON Lines ledger) or a {@link LedgerStore}. Default `.brainc/runs`. */
  store?: string | LedgerStore;
  /** Resolves the bundle's env references. Default `process.env`. */
  env?: Env;
  /**
   * Where model calls go: `gateway` (the bundle's gateway, e.g. a LiteLLM proxy), `direct` (each
   * model's provider), or `auto` (the gateway when the bundle has one). Default `auto`.
   */
  endpoint?: "auto" | "gateway" | "direct";
  /** Timeout of one model request, ms. Default 120 000. */
  requestTimeoutMs?: number;
  /** The agents' workspace (paths resolve against it). Default `process.cwd()`. */
  workspace?: string;
  /** The directory `~` stands for in path rules. Default `os.homedir()`. */
  home?: string;
  /** For tests: the fetch function, clock (epoch ms), sleep and random source. */
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Options of {@link Supervisor.startJob}. */
export interface StartJobOptions {
  /** Agent id (a key of the bundle's `agents`). */
  agent: string;
  /** Task class; default the agent's own `task`. */
  task?: string;
  /** Job id; when a job with this id exists and has not ended, it resumes from its last checkpoint. */
  jobId?: string;
  /** Workspace of this job; default the supervisor's. */
  workspace?: string;
}

/** The supervisor of one bundle and one run store. */
export class Supervisor {
  private readonly running = new Set<string>();

  private constructor(
    readonly bundle: Bundle,
    readonly store: LedgerStore,
    private readonly ownsStore: boolean,
    private readonly options: SupervisorOptions,
    private readonly budgets: BudgetBook,
  ) {}

  /**
   * Loads and validates the bundle, opens the run store and counts the spend already in it.
   * @throws {BundleError} for an invalid bundle; `LedgerBusyError` when another process holds the store.
   */
  static async open(options: SupervisorOptions): Promise<Supervisor> {
    const bundle = loadBundle(options.bundle);
    const owns = typeof options.store !== "object";
    const store = typeof options.store === "object" ? options.store : await FileLedger.open(options.store ?? ".brainc/runs");
    const budgets = new BudgetBook(bundle);
    for (const e of store.allEvents()) budgets.add(e);
    return new Supervisor(bundle, store, owns, options, budgets);
  }

  /**
   * Starts a job, or resumes the unfinished job `jobId` from its last checkpoint: its step and tool-call
   * numbers, tokens, cost and active time continue from the ledger, and `job.state` holds the
   * checkpointed state.
   * @throws {BundleError} for an unknown agent or task class; Error when the job has ended or runs already.
   */
  async startJob(o: StartJobOptions): Promise<Job> {
    const agent = this.bundle.agents[o.agent];
    if (!agent) throw new BundleError(`unknown agent "${o.agent}" (the bundle has: ${Object.keys(this.bundle.agents).join(", ")})`);
    const id = o.jobId ?? randomUUID();
    if (this.running.has(id)) throw new Error(`job ${id} is already running in this supervisor`);
    const history = o.jobId ? this.store.jobEvents(id) : [];
    const progress = restore(history);
    const ended = history.find((e) => e.type === "job.ended");
    if (ended?.type === "job.ended") throw new Error(`job ${id} has ended (${ended.status}); start a new job instead`);
    const first = history.find((e) => e.type === "job.started");
    if (first && first.agent !== agent.id) throw new Error(`job ${id} belongs to agent ${first.agent}, not ${agent.id}`);
    const task = first?.task ?? o.task ?? agent.task;
    if (!agent.routes[task] && !this.bundle.tasks[task]) throw new BundleError(`unknown task class "${task}" for agent ${agent.id}`);
    const now = this.options.now ?? Date.now;
    const guard = new ToolGuard(this.bundle.tools, agent, { workspace: o.workspace ?? this.options.workspace ?? process.cwd(), home: this.options.home });
    const endpoint = this.options.endpoint === "direct" || (this.options.endpoint !== "gateway" && !this.bundle.gateway) ? "direct" : "gateway";
    this.running.add(id);
    const job = new Job(
      id,
      agent,
      task,
      {
        bundle: this.bundle,
        env: this.options.env ?? process.env,
        endpoint,
        fetch: this.options.fetch ?? fetch,
        requestTimeoutMs: this.options.requestTimeoutMs ?? 120_000,
        now,
        sleep: this.options.sleep ?? ((ms) => delay(ms)),
        random: this.options.random ?? Math.random,
        append: (events: NewEvent[]) => this.store.append(events),
        budgets: this.budgets,
        released: (jobId) => this.running.delete(jobId),
      },
      guard,
      progress,
    );
    try {
      await this.store.append([{ type: "job.started", t: now(), job: id, agent: agent.id, task, run: progress.run, resumed: progress.run > 1, ...(progress.checkpointSeq ? { fromCheckpoint: progress.checkpointSeq } : {}) }]);
    } catch (e) {
      this.running.delete(id);
      throw e;
    }
    return job;
  }

  /** Waits for pending ledger writes and releases the store (when the supervisor opened it). */
  async close(): Promise<void> {
    if (this.ownsStore) await this.store.close();
  }
}

/** Counters of an unfinished job, from its events. */
function restore(events: readonly LedgerEvent[]): JobProgress {
  const p: JobProgress = { run: 1, steps: 0, toolCalls: 0, tokens: 0, costUsd: 0, activeMs: 0, compactions: 0 };
  if (!events.length) return p;
  const spans = new Map<number, [number, number]>();
  let lastRun = 0;
  for (const e of events) {
    lastRun = Math.max(lastRun, e.run);
    const s = spans.get(e.run);
    spans.set(e.run, s ? [Math.min(s[0], e.t), Math.max(s[1], e.t)] : [e.t, e.t]);
    if (e.type === "llm.call") {
      p.steps = Math.max(p.steps, e.step);
      p.tokens += e.inputTokens + e.outputTokens;
      p.costUsd = sumUsd(p.costUsd, e.costUsd);
    } else if (e.type === "tool.call") p.toolCalls = Math.max(p.toolCalls, e.call);
    else if (e.type === "context.compact") p.compactions = Math.max(p.compactions, e.compaction);
    else if (e.type === "checkpoint") {
      p.state = e.state;
      p.checkpointSeq = e.seq;
    }
  }
  p.run = lastRun + 1;
  p.activeMs = [...spans.values()].reduce((sum, [a, b]) => sum + (b - a), 0);
  return p;
}
