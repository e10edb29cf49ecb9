// Generated from schemas/*.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit.

/**
 * Tier (a key of models.yaml tiers) whose chain serves this task class.
 */
export type TierName = string;
/**
 * A model id: a key of models.yaml `models`. Lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters (for example gpt-5-mini, glm-5.1).
 */
export type ModelId = string;
/**
 * Tier of work that names no task class (for example mid).
 */
export type TierName1 = string;
/**
 * Wait before the first retry (duration). Default: 1s.
 */
export type Duration = string;
/**
 * Upper bound of any single wait (duration). Default: 30s.
 */
export type Duration1 = string;

/**
 * routing.yaml: task classes and the models that serve them, the fallback rules between models, and all budgets.
 */
export interface RoutingFile {
  /**
   * Task classes, keyed by snake_case name. Every task class used anywhere (agent task, schedules, heartbeat, budgets.tasks) must be declared here.
   */
  tasks: {
    [k: string]: TaskRoute;
  };
  default: TierName1;
  /**
   * When a call moves on to the next model of its chain.
   */
  fallback?: {
    /**
     * Error classes that move a call to the next model of the chain: rate_limit (429), timeout, server_error (5xx), context_window (prompt too long), auth (401/403), content_filter. Default: [rate_limit, timeout, server_error].
     */
    on?: ("rate_limit" | "timeout" | "server_error" | "context_window" | "auth" | "content_filter")[];
    /**
     * Retries on the same model before moving to the next one. Default: 0.
     */
    retriesPerModel?: number;
    backoff?: Backoff;
  };
  /**
   * All budgets of the brain (the only place budgets live), in USD. A call is charged to the global, its agent's and its task class's budget.
   */
  budgets?: {
    global?: Budget;
    /**
     * Budgets per agent, keyed by agent id. An agent's dailyUsd may not exceed the global dailyUsd.
     */
    agents?: {
      [k: string]: Budget1;
    };
    /**
     * Budgets per task class, keyed by task class (declared in `tasks`).
     */
    tasks?: {
      [k: string]: Budget1;
    };
    /**
     * What happens when a budget is spent: block (refuse further calls until it resets) or downgrade (re-route to the cheapest tier). Default: block.
     */
    onExceeded?: "block" | "downgrade";
  };
}
/**
 * How one task class is routed: exactly one of `tier` (a named chain from models.yaml) or `models` (an explicit chain).
 */
export interface TaskRoute {
  tier?: TierName;
  /**
   * An explicit chain of model ids instead of a tier: the first is primary, the rest its fallbacks in order.
   *
   * @minItems 1
   */
  models?: [ModelId, ...ModelId[]];
  /**
   * What work this task class stands for.
   */
  description?: string;
}
/**
 * Backoff between retries on the same model.
 */
export interface Backoff {
  initial?: Duration;
  max?: Duration1;
  /**
   * Factor applied to the wait after each attempt; 1 gives a constant delay. Default: 2.
   */
  multiplier?: number;
  /**
   * Randomisation of each wait: full (uniform between 0 and the wait), equal (half fixed, half random), none (exact waits). Default: full.
   */
  jitter?: "full" | "equal" | "none";
}
/**
 * Budget of the whole brain.
 */
export interface Budget {
  /**
   * Maximum spend per UTC day, in USD.
   */
  dailyUsd?: number;
  /**
   * Maximum spend per UTC calendar month, in USD.
   */
  monthlyUsd?: number;
  /**
   * Raise an alert when this percentage (1-100) of a daily or monthly budget is spent. Default: no alert.
   */
  alertAtPercent?: number;
}
/**
 * Spending limits in USD, computed from models.yaml costPerMTokUsd. Daily budgets reset at 00:00 UTC, monthly budgets on the 1st of the month at 00:00 UTC. A missing limit means no limit at this level.
 */
export interface Budget1 {
  /**
   * Maximum spend per UTC day, in USD.
   */
  dailyUsd?: number;
  /**
   * Maximum spend per UTC calendar month, in USD.
   */
  monthlyUsd?: number;
  /**
   * Raise an alert when this percentage (1-100) of a daily or monthly budget is spent. Default: no alert.
   */
  alertAtPercent?: number;
}
