/**
 * brainc's supervisor runtime (`brainc/runtime`): runs agent jobs under a supervisor bundle
 * (generated/supervisor/bundle.json): model routing with fallback, tool guards, loop limits, budgets,
 * checkpoints, and a crash-safe ledger of every job. See docs/runtime.md.
 */
export { Supervisor, type StartJobOptions, type SupervisorOptions } from "./supervisor.js";
export { Job, JobStoppedError, JobEndedError, ChatError, cost, type ChatRequest, type ChatResult, type CompactAdvice, type ToolRecord } from "./job.js";
export { ToolGuard, type GuardOptions, type GuardResult } from "./guard.js";
export { analyzeCommand, type ShellAnalysis, type SimpleCommand } from "./shell.js";
export { FileLedger, LedgerReader, LedgerBusyError, isStore, type BadLine, type LedgerStore } from "./ledger.js";
export { BudgetBook, type BudgetLimit } from "./budget.js";
export { LlmError, classifyHttp, type ChatCompletion, type ChatMessage, type ChatTool } from "./llm.js";
export { listJobs, showJob, stats, metrics, errorClassOf, type GroupStats, type JobSummary, type JobTotals } from "./report.js";
export { loadBundle, resolveEnv, BundleError, BUNDLE_SCHEMA, type Bundle, type BundleAgent, type BundleModel, type BundleRoute, type BundlePolicy, type BundleTool, type BundleBudget, type EnvValue, type Env } from "./bundle.js";
export { durationMs, backoffMs } from "./time.js";
export type * from "./events.js";
