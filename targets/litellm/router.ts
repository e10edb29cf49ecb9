import { gatewayModel } from "../../src/emit/correlation.js";
import { durationSeconds } from "../../src/link/durations.js";
import type { Brain } from "../../src/link/model.js";
import type { ModelGroup } from "../../src/emit/correlation.js";
import { deploymentId } from "./model-list.js";

/** The brain's fallback error classes (routing.yaml `fallback.on`). */
export type ErrorClass = "rate_limit" | "timeout" | "server_error" | "context_window" | "auth" | "content_filter";

/** LiteLLM `RetryPolicy` fields (litellm/types/router.py) per brain error class. */
const RETRY_FIELDS: Record<ErrorClass, string[]> = {
  rate_limit: ["RateLimitErrorRetries"],
  timeout: ["TimeoutErrorRetries"],
  server_error: ["InternalServerErrorRetries", "ServiceUnavailableErrorRetries"],
  auth: ["AuthenticationErrorRetries"],
  content_filter: ["ContentPolicyViolationErrorRetries"],
  // A prompt that is too long stays too long: never retried on the same model.
  context_window: [],
};

/** The retry policy: `retriesPerModel` for the error classes that move a call on, 0 for the rest (and for malformed requests). */
export function retryPolicy(on: readonly ErrorClass[], retriesPerModel: number): Record<string, number> {
  const policy: Record<string, number> = { BadRequestErrorRetries: 0 };
  for (const cls of Object.keys(RETRY_FIELDS) as ErrorClass[]) for (const field of RETRY_FIELDS[cls]) policy[field] = on.includes(cls) ? retriesPerModel : 0;
  return Object.fromEntries(Object.entries(policy).sort(([a], [b]) => (a < b ? -1 : 1)));
}


/**
 * `router_settings` (LiteLLM `Router.__init__` arguments, litellm/router.py):
 * - `model_group_alias`: every task class (and `default`) → the group serving it;
 * - `fallbacks`: per group, keyed by its real name, the `model_info.id`s of its chain after the primary,
 *   in order (LiteLLM accepts deployment ids as fallback targets; `order` makes the primary the first pick);
 * - `context_window_fallbacks` (when `fallback.on` has `context_window`): per group, the chain's models whose
 *   context window is larger than the primary's, in chain order; plus `enable_pre_call_checks`, so that a
 *   prompt that is too long for a deployment skips it;
 * - `num_retries`, `retry_policy`, `retry_after` (s, from backoff.initial), `cooldown_time` (s, from
 *   backoff.max), `timeout` (s), `max_fallbacks`.
 */
export function routerSettings(brain: Brain, groups: readonly ModelGroup[], timeoutSeconds: number): Record<string, unknown> {
  const on = brain.fallback.on as ErrorClass[];
  const retries = brain.fallback.retriesPerModel ?? 0;
  const aliases: Record<string, string> = {};
  for (const route of Object.values(brain.tasks)) aliases[route.task] = gatewayModel(brain.name, route);
  // No task class is named "default" (a reserved name, src/link/link.ts RESERVED_TASK_CLASSES).
  aliases.default = gatewayModel(brain.name, brain.defaultRoute);

  const fallbacks = groups.filter((g) => g.chain.length > 1).map((g) => ({ [g.name]: g.chain.slice(1).map((m) => deploymentId(g.name, m)) }));
  const settings: Record<string, unknown> = { model_group_alias: Object.fromEntries(Object.entries(aliases).sort(([a], [b]) => (a < b ? -1 : 1))) };
  if (fallbacks.length) {
    settings.fallbacks = fallbacks;
    settings.max_fallbacks = Math.max(...groups.map((g) => g.chain.length - 1));
  }
  if (on.includes("context_window")) {
    const larger = groups
      .map((g) => ({ g, targets: g.chain.slice(1).filter((m) => m.contextWindow > g.chain[0].contextWindow) }))
      .filter(({ targets }) => targets.length)
      .map(({ g, targets }) => ({ [g.name]: targets.map((m) => deploymentId(g.name, m)) }));
    if (larger.length) settings.context_window_fallbacks = larger;
    settings.enable_pre_call_checks = true;
  }
  settings.num_retries = retries;
  settings.retry_policy = retryPolicy(on, retries);
  settings.retry_after = durationSeconds(brain.fallback.backoff?.initial ?? "1s");
  settings.cooldown_time = durationSeconds(brain.fallback.backoff?.max ?? "30s");
  settings.timeout = timeoutSeconds;
  return settings;
}
