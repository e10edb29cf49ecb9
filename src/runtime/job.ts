/**
 * A job: one run of an agent loop under the supervisor. The job routes model calls (fallback chain,
 * retries with backoff, context-window escalation, budget downgrade), guards tool calls, enforces the
 * loop limits of the agent's effective policy, and records everything in the ledger.
 */
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Bundle, BundleAgent, BundleModel, BundleRoute, Env, EnvValue } from "./bundle.js";
import { envNamesOf, resolveEnv } from "./bundle.js";
import type { BudgetLimit } from "./budget.js";
import type { ErrorClass, JobStatus, LedgerEvent, LlmErrorKind, NewEvent, StopReason } from "./events.js";
import type { GuardResult, ToolGuard } from "./guard.js";
import { LlmError, postChat, type ChatCompletion, type ChatMessage, type ChatTool } from "./llm.js";
import { reachedUsd, roundUsd, sumUsd } from "./money.js";
import { backoffMs, durationMs } from "./time.js";

/** What a job needs from its supervisor (shared across jobs). */
export interface JobContext {
  bundle: Bundle;
  env: Env;
  endpoint: "gateway" | "direct";
  fetch: typeof fetch;
  requestTimeoutMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  append: (events: NewEvent[]) => Promise<LedgerEvent[]>;
  budgets: { exceeded(agent: string, task: string, t: number): BudgetLimit | undefined; alertsDue(agent: string, task: string, t: number): BudgetLimit[]; add(e: LedgerEvent): void };
  released: (jobId: string) => void;
}

/** A chat request: messages, tools, and any other Chat Completions parameter (temperature, tool_choice …). */
export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ChatTool[];
  [param: string]: unknown;
}

/** Advice to compact the conversation: it fills `percent` of the model's context window. */
export interface CompactAdvice {
  usedTokens: number;
  contextWindow: number;
  percent: number;
  /** Tokens of recent conversation to keep verbatim (policy context.keepRecentTokens). */
  keepRecentTokens?: number;
  /** This job's compactions so far, this one included. */
  compaction: number;
}

/** The answer of {@link Job.chat}. */
export interface ChatResult {
  completion: ChatCompletion;
  /** `completion.choices[0].message`. */
  message: ChatMessage;
  step: number;
  /** The bundle's model id (or gateway model name) that answered. */
  model: string;
  /** Requests sent for this step, failures included. */
  attempts: number;
  /** Whether a model other than the route's primary answered. */
  fallback: boolean;
  fallbackReason?: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  /** Set when the conversation crossed `context.compactAtPercent`. */
  compact?: CompactAdvice;
}

/** A tool call's outcome, for {@link Job.recordTool}. */
export interface ToolRecord {
  tool: string;
  /** The tool's result; used to tell progress from repetition (not stored). */
  output?: unknown;
  /** Set when the call failed. */
  error?: string;
  latencyMs?: number;
  /** Who approved a call that needed approval. */
  approvedBy?: string;
}

/** The job ended because a limit or budget was reached; `reason` says which. */
export class JobStoppedError extends Error {
  constructor(readonly reason: StopReason) {
    super(`job stopped: ${reason.message}`);
    this.name = "JobStoppedError";
  }
}

/** Every model of the chain failed, or one failed with an error that does not fall back. */
export class ChatError extends LlmError {
  constructor(
    kind: LlmErrorKind,
    message: string,
    readonly attempts: number,
    status?: number,
  ) {
    super(kind, message, status);
    this.name = "ChatError";
  }
}

/** The job has ended; it takes no more calls. */
export class JobEndedError extends Error {
  constructor(
    readonly jobId: string,
    readonly status: JobStatus,
  ) {
    super(`job ${jobId} has ended (${status})`);
    this.name = "JobEndedError";
  }
}

/** Counters restored from the ledger when a job resumes. */
export interface JobProgress {
  run: number;
  steps: number;
  toolCalls: number;
  tokens: number;
  costUsd: number;
  /** Active time of earlier runs, ms. */
  activeMs: number;
  compactions: number;
  state?: unknown;
  checkpointSeq?: number;
}

interface Target {
  /** Name sent as `model`. */
  request: string;
  /** Id recorded in the ledger. */
  id: string;
  model?: BundleModel;
  provider: string;
  baseUrl: string;
  apiKey?: string;
  /** The env names of a key the bundle names but the environment does not set (gateway only): for the 401/403 message. */
  missingKey?: string[];
}

/** A fallback model that cannot be called: its base URL or API key variable is unset (the error says which). */
interface Unusable {
  id: string;
  model: BundleModel;
  provider: string;
  unusable: ChatError;
}

const hash = (v: unknown) => createHash("sha1").update(JSON.stringify(v) ?? "").digest("base64");
const price = (m: BundleModel) => m.costPerMTokUsd.input + m.costPerMTokUsd.output;

/** Default OpenAI-compatible base URLs per `api` (OpenAI; Anthropic's and Google's OpenAI compatibility endpoints). */
const DEFAULT_BASE_URLS: Record<BundleModel["api"], string | undefined> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com/v1",
  google: "https://generativelanguage.googleapis.com/v1beta/openai",
  "openai-compatible": undefined,
};

/**
 * One job. Get it from `Supervisor.startJob`. Events: `compact` ({@link CompactAdvice}), `budget-alert`
 * (a limit crossed its alertAtPercent), `downgrade` (the budget re-routed the job to the cheapest
 * tier), `stopped` ({@link StopReason}).
 */
export class Job extends EventEmitter {
  /** The agent's last checkpointed state (on resume), or undefined. */
  state: unknown;
  /** Whether this job resumed an unfinished job from the ledger. */
  readonly resumed: boolean;
  /** 1 for a new job, +1 per resume. */
  readonly run: number;
  private route: BundleRoute;
  private downgraded = false;
  private steps: number;
  private toolCalls: number;
  private tokens: number;
  private costUsd: number;
  private readonly activeBefore: number;
  private readonly startedAt: number;
  private compactions: number;
  private noProgress = 0;
  private newToolResult = false;
  private readonly seen = new Set<string>();
  private pendingStop: StopReason | undefined;
  private ended: JobStatus | undefined;
  private dueCheckpoint = false;
  private lastCheckpointAt: number;

  constructor(
    readonly id: string,
    readonly agent: BundleAgent,
    readonly task: string,
    private readonly ctx: JobContext,
    private readonly guard: ToolGuard,
    progress: JobProgress,
  ) {
    super();
    this.route = agent.routes[task] ?? ctx.bundle.tasks[task] ?? ctx.bundle.defaultRoute;
    this.run = progress.run;
    this.resumed = progress.run > 1;
    this.steps = progress.steps;
    this.toolCalls = progress.toolCalls;
    this.tokens = progress.tokens;
    this.costUsd = progress.costUsd;
    this.activeBefore = progress.activeMs;
    this.compactions = progress.compactions;
    this.state = progress.state;
    this.startedAt = ctx.now();
    this.lastCheckpointAt = this.startedAt;
  }

  /** Totals so far: steps, tool calls, tokens, USD, active ms (across runs). */
  get totals() {
    return { steps: this.steps, toolCalls: this.toolCalls, tokens: this.tokens, costUsd: this.costUsd, activeMs: this.activeMs() };
  }

  /** The job's status once ended, else undefined. */
  get status(): JobStatus | undefined {
    return this.ended;
  }

  /** Whether the policy's `checkpoint.every` (step, tool-call or a duration) says to checkpoint now. */
  get checkpointDue(): boolean {
    const every = this.agent.policy.checkpoint?.every;
    if (every && every !== "step" && every !== "tool-call") return this.ctx.now() - this.lastCheckpointAt >= durationMs(every);
    return this.dueCheckpoint;
  }

  /**
   * Calls the model chain of the job's task class for one LLM turn (a step).
   * @throws {JobStoppedError} when a loop limit or a blocking budget is reached (the job is then ended).
   * @throws {ChatError} when every model failed, or one failed with an error outside `fallback.on`, or
   *   the primary model's base URL or key variable is unset (kind `auth`, attempts 0; a fallback's is skipped).
   * @throws {JobEndedError} when the job has ended.
   */
  async chat(request: ChatRequest): Promise<ChatResult> {
    this.assertOpen();
    await this.enforce("llm");
    let reason: string | undefined;
    const over = this.ctx.budgets.exceeded(this.agent.id, this.task, this.ctx.now());
    if (over) reason = await this.onBudgetExceeded(over);
    const targets = this.targets(this.route);
    const step = ++this.steps;
    const fallback = this.ctx.bundle.fallback;
    const on = new Set<string>(fallback.on ?? []);
    const retries = fallback.retriesPerModel ?? 0;
    let attempt = 0;
    let last: LlmError | undefined;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i];
      if ("unusable" in target) {
        // Recorded as a failed attempt that sent nothing; the chain goes on.
        last = target.unusable;
        attempt++;
        await this.record({ type: "llm.call", ...this.callBase(target, step, attempt, true, reason), ok: false, errorKind: "auth", error: target.unusable.message, inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: 0 });
        reason = "auth";
        continue;
      }
      for (let retry = 0; retry <= retries; retry++) {
        if (retry > 0) await this.ctx.sleep(backoffMs(fallback.backoff, retry, this.ctx.random));
        if (attempt > 0) await this.enforce("retry");
        attempt++;
        const started = this.ctx.now();
        try {
          return await this.attempt(target, request, step, attempt, i > 0, reason, started);
        } catch (e) {
          if (!(e instanceof LlmError)) throw e;
          last = e;
          const kind = e.kind === "connection" ? "server_error" : e.kind;
          if (!on.has(kind)) throw new ChatError(e.kind, e.message, attempt, e.status);
          reason = e.kind;
          if (e.kind === "context_window") {
            const larger = this.largerWindow(targets, i);
            if (!larger.length) throw new ChatError(e.kind, `${e.message} (no model with a larger context window)`, attempt, e.status);
            targets.splice(i + 1, Infinity, ...larger);
            break;
          }
        }
      }
    }
    throw new ChatError(last?.kind ?? "server_error", `every model of task ${this.task} failed; last: ${last?.message}`, attempt, last?.status);
  }

  /**
   * Guards one tool call with the agent's effective policy and the tool's contract, and records the
   * decision. `deny` and `needs-approval` come with a reason and the policy rule that decided.
   * @throws {JobStoppedError} when a loop limit is reached (maxToolCalls, maxDuration …).
   */
  async guardTool(name: string, input: unknown): Promise<GuardResult> {
    this.assertOpen();
    await this.enforce("tool");
    const result = this.guard.check(name, input);
    await this.record({ type: "tool.guard", tool: name, decision: result.decision, ...(result.reason ? { reason: result.reason } : {}), ...(result.rule ? { rule: result.rule } : {}) });
    return result;
  }

  /** Records one tool call (counted against maxToolCalls); resolves once it is durable. */
  async recordTool(r: ToolRecord): Promise<void> {
    this.assertOpen();
    const call = ++this.toolCalls;
    if (r.output !== undefined || r.error !== undefined) {
      const key = `t:${r.tool}:${hash(r.error ?? r.output)}`;
      if (!this.seen.has(key)) {
        this.seen.add(key);
        this.newToolResult = true;
      }
    }
    if (this.agent.policy.checkpoint?.every === "tool-call") this.dueCheckpoint = true;
    await this.record({ type: "tool.call", tool: r.tool, call, ok: r.error === undefined, ...(r.error !== undefined ? { error: r.error } : {}), ...(r.latencyMs !== undefined ? { latencyMs: r.latencyMs } : {}), ...(r.approvedBy ? { approvedBy: r.approvedBy } : {}) });
  }

  /** Saves the agent's state; a resumed job starts from the last acknowledged checkpoint. */
  async checkpoint(state: unknown): Promise<void> {
    this.assertOpen();
    await this.record({ type: "checkpoint", step: this.steps, toolCalls: this.toolCalls, state });
    this.state = state;
    this.dueCheckpoint = false;
    this.lastCheckpointAt = this.ctx.now();
  }

  /**
   * Ends the job (idempotent). `failed` takes the error and its class (agent, tool, infrastructure;
   * default agent).
   */
  async end(status: Exclude<JobStatus, "stopped">, detail: { error?: string; errorClass?: ErrorClass } = {}): Promise<void> {
    if (this.ended) return;
    this.ended = status;
    try {
      await this.record({ type: "job.ended", status, ...(detail.error ? { error: detail.error, errorClass: detail.errorClass ?? "agent" } : {}) });
    } finally {
      this.ctx.released(this.id);
    }
  }

  private async stop(reason: StopReason): Promise<never> {
    if (!this.ended) {
      this.ended = "stopped";
      try {
        await this.record({ type: "job.ended", status: "stopped", stop: reason, errorClass: "agent" });
      } finally {
        this.ctx.released(this.id);
      }
      this.emit("stopped", reason);
    }
    throw new JobStoppedError(reason);
  }

  private assertOpen(): void {
    if (this.ended) throw new JobEndedError(this.id, this.ended);
  }

  private activeMs(): number {
    return this.activeBefore + (this.ctx.now() - this.startedAt);
  }

  /** Stops the job when a limit is reached: before a step (`llm`), a tool call (`tool`) or another attempt of a step (`retry`). */
  private async enforce(kind: "llm" | "tool" | "retry"): Promise<void> {
    const loop = this.agent.policy.loop ?? {};
    const limit = (k: Exclude<StopReason["kind"], "budget_exceeded">, max: number | undefined, value: number, exceeded: boolean, what: string) =>
      max !== undefined && exceeded ? this.stop({ kind: k, limit: max, value, message: `${what}: ${value} of ${max}` }) : undefined;
    const maxDuration = durationMs(loop.maxDuration);
    const active = this.activeMs();
    if (this.pendingStop) await this.stop(this.pendingStop);
    await limit("max_duration", Number.isNaN(maxDuration) ? undefined : maxDuration, active, active >= maxDuration, "maxDuration reached (ms)");
    if (kind === "llm") await limit("max_steps", loop.maxSteps, this.steps, this.steps + 1 > (loop.maxSteps ?? Infinity), "maxSteps reached");
    if (kind === "tool") await limit("max_tool_calls", loop.maxToolCalls, this.toolCalls, this.toolCalls + 1 > (loop.maxToolCalls ?? Infinity), "maxToolCalls reached");
    await limit("max_tokens", loop.maxTokens, this.tokens, this.tokens >= (loop.maxTokens ?? Infinity), "maxTokens reached");
    await limit("max_cost", loop.maxCostUsd, this.costUsd, reachedUsd(this.costUsd, loop.maxCostUsd ?? Infinity), "maxCostUsd reached (USD)");
    await limit("no_progress", loop.stopAfterNoProgress, this.noProgress, this.noProgress >= (loop.stopAfterNoProgress ?? Infinity), "steps without progress");
  }

  private async onBudgetExceeded(over: BudgetLimit): Promise<string | undefined> {
    const base = { scope: over.scope, key: over.key, period: over.period, periodKey: over.periodKey, limitUsd: over.limitUsd, spentUsd: over.spentUsd, percent: pct(over.spentUsd, over.limitUsd) };
    const message = `${over.period} budget of ${over.scope} ${over.key} reached: ${over.spentUsd.toFixed(4)} of ${over.limitUsd} USD`;
    if (this.ctx.bundle.budgets.onExceeded === "block") {
      await this.record({ type: "budget.exceeded", ...base, action: "block" });
      return this.stop({ kind: "budget_exceeded", scope: over.scope, key: over.key, period: over.period, limit: over.limitUsd, value: over.spentUsd, message });
    }
    if (this.downgraded) return undefined;
    this.downgraded = true;
    const cheapest = this.cheapestRoute();
    await this.record({ type: "budget.exceeded", ...base, action: "downgrade" });
    if (cheapest === this.route) return undefined;
    this.route = cheapest;
    this.emit("downgrade", { from: this.task, toTier: cheapest.tier, toTask: cheapest.task, limit: over });
    return "budget_downgrade";
  }

  /** The route whose primary model is cheapest (input + output price per MTok), across the bundle's task classes. */
  private cheapestRoute(): BundleRoute {
    const routes = [...Object.values(this.ctx.bundle.tasks), this.ctx.bundle.defaultRoute, this.route];
    return routes.reduce((best, r) => (price(r.chain[0]) < price(best.chain[0]) ? r : best), this.route);
  }

  /** The rest of the chain with a larger context window than target `i`; else the next larger model of the bundle. */
  private largerWindow(targets: (Target | Unusable)[], i: number): (Target | Unusable)[] {
    const current = targets[i].model?.contextWindow ?? Infinity;
    const inChain = targets.slice(i + 1).filter((t) => (t.model?.contextWindow ?? 0) > current);
    if (inChain.length) return inChain;
    const others = Object.values(this.ctx.bundle.models)
      .filter((m) => m.contextWindow > current)
      .sort((a, b) => a.contextWindow - b.contextWindow || price(a) - price(b));
    return others.length ? [this.usable(others[0])] : [];
  }

  /**
   * The chain to call. A primary model whose base URL or key is unset is an error (ChatError, nothing
   * sent): traffic never moves to a fallback, maybe a pricier one, because of a configuration mistake. A
   * fallback model with an unset variable is `Unusable`: recorded and skipped when the chain reaches it,
   * so a provider key that is not set fails only the calls that need that provider.
   */
  private targets(route: BundleRoute): (Target | Unusable)[] {
    if (this.ctx.endpoint === "gateway" && route.gatewayModel) {
      const g = this.gateway();
      return [{ request: route.gatewayModel, id: route.gatewayModel, model: undefined, provider: "gateway", ...g }];
    }
    return route.chain.map((m, i) => (i === 0 ? this.directOrGateway(m) : this.usable(m)));
  }

  /** `directOrGateway`, with a model that cannot be called (an unset variable) as `Unusable` instead of an error. */
  private usable(m: BundleModel): Target | Unusable {
    try {
      return this.directOrGateway(m);
    } catch (e) {
      if (!(e instanceof ChatError)) throw e;
      return { id: m.id, model: m, provider: m.provider, unusable: e };
    }
  }

  /** The ledger fields of one model call attempt (`llm.call`) shared by its success and failure events. */
  private callBase(target: Target | Unusable, step: number, attempt: number, isFallback: boolean, reason: string | undefined) {
    return { step, model: target.id, provider: target.provider, ...(this.route.tier ? { tier: this.route.tier } : {}), endpoint: this.ctx.endpoint, attempt, fallback: isFallback, ...(reason ? { fallbackReason: reason } : {}) };
  }

  /**
   * The gateway's base URL and key. A key the bundle names but the environment does not set is left
   * out of the request (a LiteLLM proxy without a master key accepts that); a 401/403 then names it.
   */
  private gateway(): Pick<Target, "baseUrl" | "apiKey" | "missingKey"> {
    const gw = this.ctx.bundle.gateway;
    const baseUrl = resolveEnv(gw?.baseUrl, this.ctx.env);
    if (!baseUrl) throw new ChatError("auth", `the gateway's base URL is not set (environment variable ${envNamesOf(gw?.baseUrl).join(", ") || "—"})`, 0);
    const apiKey = resolveEnv(gw?.apiKey, this.ctx.env) || undefined;
    return { baseUrl, apiKey, ...(gw?.apiKey !== undefined && !apiKey ? { missingKey: unsetEnvNames(gw.apiKey, this.ctx.env) } : {}) };
  }

  /**
   * Where a model's direct request goes: the model's or its provider's `baseUrl`, or, only when the bundle
   * gives none, the default endpoint of the model's `api`; with the provider's `apiKey`. A `baseUrl` or an
   * `apiKey` whose environment variable is unset (or empty) is an error naming the variable: the request
   * is not sent elsewhere, nor without its key. A provider without `apiKey` (a local one) sends no key.
   */
  private directOrGateway(m: BundleModel): Target {
    if (this.ctx.endpoint === "gateway") return { request: m.id, id: m.id, model: m, provider: m.provider, ...this.gateway() };
    const provider = this.ctx.bundle.providers[m.provider];
    const declared = m.baseUrl ?? provider?.baseUrl;
    const baseUrl = declared === undefined ? DEFAULT_BASE_URLS[m.api] : resolveEnv(declared, this.ctx.env);
    if (!baseUrl) {
      const unset = unsetEnvNames(declared, this.ctx.env);
      throw new ChatError("auth", unset.length ? `the base URL of model ${m.id} (provider ${m.provider}) is not set (environment variable ${unset.join(", ")})` : `no base URL for model ${m.id} (provider ${m.provider})`, 0);
    }
    const apiKey = resolveEnv(provider?.apiKey, this.ctx.env);
    if (provider?.apiKey !== undefined && !apiKey) throw new ChatError("auth", `the API key of provider ${m.provider} (model ${m.id}) is not set (environment variable ${unsetEnvNames(provider.apiKey, this.ctx.env).join(", ") || "—"})`, 0);
    return { request: m.name, id: m.id, model: m, provider: m.provider, baseUrl, apiKey };
  }

  /** The job id header, and in gateway mode the body fields of the correlation contract. */
  private correlation(step: number): { headers: Record<string, string>; body: Record<string, unknown> } {
    const headers = { "x-job-id": this.id };
    if (this.ctx.endpoint !== "gateway") return { headers, body: {} };
    const c = this.ctx.bundle.correlation ?? {};
    const p = { job: "job:", task: "task:", agent: "agent:", ...c.tagPrefixes };
    const body: Record<string, unknown> = { [c.sessionField ?? "litellm_session_id"]: this.id };
    setPath(body, c.tagsField ?? "metadata.tags", [`${p.job}${this.id}`, `${p.task}${this.task}`, `${p.agent}${this.agent.id}`]);
    setPath(body, c.spendLogsMetadataField ?? "metadata.spend_logs_metadata", { job_id: this.id, agent: this.agent.id, task: this.task, step, run: this.run });
    return { headers, body };
  }

  /** The bundle model that answered a gateway call: from the deployment id header, else the response's `model`. */
  private servedBy(target: Target, completion: ChatCompletion, headers: Headers): BundleModel | undefined {
    if (target.model) return target.model;
    const models = this.ctx.bundle.models;
    const deployment = headers.get(this.ctx.bundle.correlation?.responseHeaders?.modelId ?? "x-litellm-model-id");
    if (deployment?.startsWith(`${target.request}.`) && models[deployment.slice(target.request.length + 1)]) return models[deployment.slice(target.request.length + 1)];
    const name = completion.model;
    if (!name) return undefined;
    const bare = name.includes("/") ? name.slice(name.indexOf("/") + 1) : name;
    return Object.values(models).find((m) => m.id === name || m.name === name || m.id === bare || m.name === bare);
  }

  private async attempt(target: Target, request: ChatRequest, step: number, attempt: number, isFallback: boolean, reason: string | undefined, started: number): Promise<ChatResult> {
    const corr = this.correlation(step);
    const { messages, tools, metadata, ...params } = request;
    const body: Record<string, unknown> = { ...params, model: target.request, messages, ...(tools?.length ? { tools } : {}), ...corr.body };
    if (metadata && typeof metadata === "object") body.metadata = { ...(metadata as object), ...(corr.body.metadata as object | undefined) };
    const remaining = this.remainingMs();
    const base = this.callBase(target, step, attempt, isFallback, reason);
    try {
      const { completion, headers } = await postChat({ baseUrl: target.baseUrl, apiKey: target.apiKey, headers: corr.headers, body, timeoutMs: Math.min(this.ctx.requestTimeoutMs, remaining), fetch: this.ctx.fetch });
      const latencyMs = this.ctx.now() - started;
      const usage = completion.usage ?? {};
      const inputTokens = usage.prompt_tokens ?? 0;
      const outputTokens = usage.completion_tokens ?? 0;
      const cachedTokens = usage.prompt_tokens_details?.cached_tokens ?? 0;
      const served = this.servedBy(target, completion, headers);
      const servedName = target.model ? undefined : (served?.id ?? completion.model);
      const respHeaders = this.ctx.bundle.correlation?.responseHeaders;
      const headerCost = Number.parseFloat(headers.get(respHeaders?.responseCost ?? "x-litellm-response-cost") ?? "");
      const gatewayFallbacks = Number.parseInt(headers.get(respHeaders?.attemptedFallbacks ?? "x-litellm-attempted-fallbacks") ?? "0", 10) || 0;
      // Prices: the bundle's, of the model that answered; else the gateway's own figure; else the primary's (an estimate).
      const costUsd = served ? cost(served, inputTokens, outputTokens, cachedTokens) : Number.isFinite(headerCost) ? roundUsd(headerCost) : cost(this.route.chain[0], inputTokens, outputTokens, cachedTokens);
      if (!target.model) {
        isFallback = (served !== undefined && served.id !== this.route.chain[0].id) || gatewayFallbacks > 0;
        if (gatewayFallbacks > 0 && !reason) reason = "gateway_fallback";
      }
      const contextWindow = served?.contextWindow ?? Math.min(...this.route.chain.map((m) => m.contextWindow));
      this.tokens += inputTokens + outputTokens;
      this.costUsd = sumUsd(this.costUsd, costUsd);
      const [event] = await this.record({ type: "llm.call", ...base, fallback: isFallback, ...(reason ? { fallbackReason: reason } : {}), ...(servedName && servedName !== target.request ? { servedModel: servedName } : {}), ok: true, inputTokens, outputTokens, ...(cachedTokens ? { cachedTokens } : {}), costUsd, latencyMs });
      this.ctx.budgets.add(event);
      await this.alerts();
      const message = completion.choices[0].message;
      this.trackProgress(message);
      if (this.agent.policy.checkpoint?.every === "step") this.dueCheckpoint = true;
      const compact = await this.checkContext(contextWindow, inputTokens + outputTokens, step, target.id);
      return { completion, message, step, model: target.id, attempts: attempt, fallback: isFallback, ...(reason ? { fallbackReason: reason } : {}), inputTokens, outputTokens, costUsd, latencyMs, ...(compact ? { compact } : {}) };
    } catch (caught) {
      if (!(caught instanceof LlmError)) throw caught;
      const e = caught.kind === "auth" && target.missingKey?.length ? new LlmError(caught.kind, `no API key was sent (environment variable ${target.missingKey.join(", ")} is not set): ${caught.message}`, caught.status) : caught;
      await this.record({ type: "llm.call", ...base, ok: false, errorKind: e.kind, ...(e.status ? { httpStatus: e.status } : {}), error: e.message.slice(0, 500), inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: this.ctx.now() - started });
      throw e;
    }
  }

  private remainingMs(): number {
    const max = durationMs(this.agent.policy.loop?.maxDuration);
    return Number.isNaN(max) ? Infinity : Math.max(1, max - this.activeMs());
  }

  private trackProgress(message: ChatMessage): void {
    const key = `o:${hash([message.content, (message.tool_calls ?? []).map((c) => [c.function?.name, c.function?.arguments])])}`;
    const newOutput = !this.seen.has(key);
    this.seen.add(key);
    this.noProgress = newOutput || this.newToolResult ? 0 : this.noProgress + 1;
    this.newToolResult = false;
  }

  private async checkContext(contextWindow: number | undefined, usedTokens: number, step: number, model: string): Promise<CompactAdvice | undefined> {
    const ctx = this.agent.policy.context;
    if (!contextWindow || ctx?.compactAtPercent === undefined) return undefined;
    const percent = pct(usedTokens, contextWindow);
    if (percent < ctx.compactAtPercent) return undefined;
    if (ctx.maxCompactions !== undefined && this.compactions >= ctx.maxCompactions) {
      this.pendingStop = { kind: "context_full", limit: ctx.maxCompactions, value: this.compactions, message: `the context is full (${percent}% of ${contextWindow} tokens) after ${this.compactions} compactions` };
      return undefined;
    }
    const compaction = ++this.compactions;
    await this.record({ type: "context.compact", step, model, usedTokens, contextWindow, percent, compaction });
    const advice: CompactAdvice = { usedTokens, contextWindow, percent, compaction, ...(ctx.keepRecentTokens !== undefined ? { keepRecentTokens: ctx.keepRecentTokens } : {}) };
    this.emit("compact", advice);
    return advice;
  }

  private async alerts(): Promise<void> {
    for (const l of this.ctx.budgets.alertsDue(this.agent.id, this.task, this.ctx.now())) {
      await this.record({ type: "budget.alert", scope: l.scope, key: l.key, period: l.period, periodKey: l.periodKey, limitUsd: l.limitUsd, spentUsd: l.spentUsd, percent: pct(l.spentUsd, l.limitUsd) });
      this.emit("budget-alert", l);
    }
  }

  private record(e: Record<string, unknown> & { type: LedgerEvent["type"] }): Promise<LedgerEvent[]> {
    return this.ctx.append([{ t: this.ctx.now(), job: this.id, agent: this.agent.id, task: this.task, run: this.run, ...e } as NewEvent]);
  }
}

/**
 * Cost of a call in USD from per-million-token prices; cached input tokens at the cacheRead price.
 * Rounded to the nano-USD (1e-9), the precision at which the runtime sums and compares money.
 */
export function cost(m: BundleModel, inputTokens: number, outputTokens: number, cachedTokens = 0): number {
  const p = m.costPerMTokUsd;
  const cached = Math.min(cachedTokens, inputTokens);
  return roundUsd(((inputTokens - cached) * p.input + cached * (p.cacheRead ?? p.input) + outputTokens * p.output) / 1_000_000);
}

/** The env references of `value` that resolve to nothing or to an empty string (their variable is unset, or empty). */
function unsetEnvNames(value: EnvValue | undefined, env: Env): string[] {
  if (value === undefined || typeof value === "string") return [];
  if ("$env" in value) return resolveEnv(value, env) ? [] : [value.$env];
  return value.$concat.flatMap((part) => unsetEnvNames(part, env));
}

/** Sets a dotted path ("metadata.tags") in an object, merging into objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1]] = value;
}

function pct(value: number, of: number): number {
  return of > 0 ? Math.round((value / of) * 10000) / 100 : 0;
}
