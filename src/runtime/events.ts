/**
 * Ledger events: one JSON object per line of the ledger, each about one job. Times are epoch ms, money
 * USD, tokens integers. Every event carries the job id, its agent and task class, and `run` (1 for the
 * first process that ran the job, +1 per resume).
 */

/** Who is to blame for an error: the agent (its input or behaviour), a tool, or the infrastructure. */
export type ErrorClass = "agent" | "tool" | "infrastructure";

/** Why a model call failed, in routing.yaml's `fallback.on` terms (plus classes that never fall back). */
export type LlmErrorKind = "rate_limit" | "timeout" | "server_error" | "context_window" | "content_filter" | "connection" | "auth" | "bad_request";

/** A typed reason for stopping a job before the agent finished it. */
export type StopReason =
  | { kind: "max_steps" | "max_tool_calls" | "max_tokens" | "max_cost" | "max_duration" | "no_progress" | "context_full"; limit: number; value: number; message: string }
  | { kind: "budget_exceeded"; scope: BudgetScope; key: string; period: BudgetPeriod; limit: number; value: number; message: string };

export type BudgetScope = "global" | "agent" | "task";
export type BudgetPeriod = "daily" | "monthly";
export type JobStatus = "succeeded" | "failed" | "stopped" | "cancelled";
export type GuardDecision = "allow" | "deny" | "needs-approval";

interface Base {
  /** Position in the ledger, from 1, gap-free across the store. */
  seq: number;
  /** Epoch ms. */
  t: number;
  job: string;
  agent: string;
  task: string;
  run: number;
}

export type JobStarted = Base & { type: "job.started"; resumed: boolean; fromCheckpoint?: number };
export type LlmCall = Base & {
  type: "llm.call";
  /** The LLM turn (1-based, counted across runs). */
  step: number;
  /** The bundle's model id tried (or the gateway model name). */
  model: string;
  /** The model the endpoint says answered, when it differs. */
  servedModel?: string;
  provider: string;
  tier?: string;
  endpoint: "gateway" | "direct";
  /** 1-based attempt of this step across the chain. */
  attempt: number;
  /** True when the model is not the chain's primary. */
  fallback: boolean;
  /** Why this attempt happened instead of the previous one (its error kind, or "budget_downgrade"). */
  fallbackReason?: string;
  ok: boolean;
  errorKind?: LlmErrorKind;
  httpStatus?: number;
  error?: string;
  inputTokens: number;
  outputTokens: number;
  cachedTokens?: number;
  costUsd: number;
  latencyMs: number;
};
export type ToolGuard = Base & { type: "tool.guard"; tool: string; decision: GuardDecision; reason?: string; rule?: string };
export type ToolCall = Base & { type: "tool.call"; tool: string; call: number; ok: boolean; error?: string; latencyMs?: number; approvedBy?: string };
export type Checkpoint = Base & { type: "checkpoint"; step: number; toolCalls: number; state: unknown };
/** A budget's scope, period and spend (USD): e.g. agent `email-triage`, daily (UTC day `2026-11-21`), 5 USD, 3.2 spent. */
export interface BudgetState {
  scope: BudgetScope;
  key: string;
  period: BudgetPeriod;
  periodKey: string;
  limitUsd: number;
  spentUsd: number;
}
export type BudgetEvent = Base &
  BudgetState & {
    type: "budget.alert" | "budget.exceeded";
    percent: number;
    action?: "block" | "downgrade";
  };
export type ContextCompact = Base & { type: "context.compact"; step: number; model: string; usedTokens: number; contextWindow: number; percent: number; compaction: number };
export type JobEnded = Base & { type: "job.ended"; status: JobStatus; stop?: StopReason; error?: string; errorClass?: ErrorClass };

/** Any ledger event. */
export type LedgerEvent = JobStarted | LlmCall | ToolGuard | ToolCall | Checkpoint | BudgetEvent | ContextCompact | JobEnded;

/** An event before the ledger numbers it. */
export type NewEvent = LedgerEvent extends infer E ? (E extends LedgerEvent ? Omit<E, "seq"> : never) : never;
