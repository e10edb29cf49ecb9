import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { diagnostic } from "../../src/diagnostics/codes.js";
import { durationSeconds } from "../../src/link/durations.js";
import type { Brain } from "../../src/link/model.js";
import type { BrainManifest } from "../../src/types/index.js";
import { budgetRequests, primaryBudget, providerBudgetConfig, teamSoftBudgets, unexpressedAlerts, type AdminRequest } from "./budgets.js";
import { EnvCollector, type EnvVar } from "./env.js";
import { modelGroups } from "../../src/emit/correlation.js";
import { modelList } from "./model-list.js";
import { routerSettings, type ErrorClass } from "./router.js";

/**
 * brain.yaml `targets.litellm` (schemas/brain.schema.json): `masterKey` and `databaseUrl` (`${env:NAME}`;
 * defaults `${env:LITELLM_MASTER_KEY}`, `${env:DATABASE_URL}`), `timeout` (a duration, default 10m),
 * `callbacks` (LiteLLM callback names, default none).
 */
export type LitellmOptions = NonNullable<NonNullable<BrainManifest["targets"]>["litellm"]>;

/** Everything the LiteLLM target derives from a brain, before it is written as files. */
export interface LitellmBuild {
  /** The config.yaml object (key order as written). */
  config: Record<string, unknown>;
  /** Variables config.yaml reads, for .env.example. */
  env: EnvVar[];
  /** The admin API requests of budgets.json. */
  budgets: AdminRequest[];
  /** BRN509 infos (what LiteLLM cannot express) and BRN510 errors (group name collisions). */
  diagnostics: Diagnostic[];
}

const limit = (message: string, hint?: string) => diagnostic("BRN509", message, hint ? { hint } : {});

/**
 * Builds the LiteLLM proxy config of a brain: `model_list` (litellm/model-list.ts), `router_settings`
 * (router.ts), `litellm_settings` (global budget, callbacks, drop_params) and `general_settings` (master key,
 * database, `store_model_in_db: false`), the budgets.json requests (budgets.ts), the environment it reads, and
 * a BRN509 info for each part of the brain LiteLLM cannot express. Target: LiteLLM proxy ≥ 1.74 config.yaml.
 */
export function buildLitellm(brain: Brain, options: LitellmOptions): LitellmBuild {
  const diagnostics: Diagnostic[] = [];
  const env = new EnvCollector();
  const timeout = durationSeconds(options.timeout ?? "10m");
  const { groups, collisions } = modelGroups(brain);
  for (const name of collisions) {
    diagnostics.push(diagnostic("BRN510", `two routes map to the LiteLLM model group ${JSON.stringify(name)} (a tier named like a task chain's group); LiteLLM would merge them`, { hint: "rename the tier: task chains use the groups <brain>-task-<task class>" }));
  }

  const router = routerSettings(brain, groups, timeout);
  const providerBudgets = providerBudgetConfig(brain, groups);
  if (providerBudgets) router.provider_budget_config = providerBudgets;

  const litellmSettings: Record<string, unknown> = { drop_params: true };
  if (options.callbacks?.length) litellmSettings.callbacks = [...options.callbacks];
  const global = primaryBudget(brain.budgets.global);
  if (global.budget) Object.assign(litellmSettings, global.budget);

  const config: Record<string, unknown> = {
    model_list: modelList(brain, groups, timeout, env),
    router_settings: router,
    litellm_settings: litellmSettings,
    general_settings: {
      master_key: env.render(options.masterKey ?? "${env:LITELLM_MASTER_KEY}", "general_settings.master_key: the proxy's admin key (Authorization: Bearer …)", "BRAINC_LITELLM_MASTER_KEY"),
      database_url: env.render(options.databaseUrl ?? "${env:DATABASE_URL}", "general_settings.database_url: Postgres for spend tracking and budgets", "BRAINC_LITELLM_DATABASE_URL"),
      store_model_in_db: false,
    },
  };
  const budgets = budgetRequests(brain);
  diagnostics.push(...targetLimits(brain, global.dropped, env, budgets));
  return { config, env: env.list(), budgets, diagnostics };
}

/** The BRN509 infos: parts of the brain that LiteLLM cannot express, what brainc did instead, who enforces them. */
function targetLimits(brain: Brain, globalMonthlyDropped: boolean, env: EnvCollector, budgets: readonly AdminRequest[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const on = brain.fallback.on as ErrorClass[];
  const others = (["rate_limit", "timeout", "server_error", "auth", "content_filter", "context_window"] as ErrorClass[]).filter((c) => !on.includes(c));
  if (others.length) {
    out.push(limit(`LiteLLM cannot limit fallbacks to routing.yaml fallback.on: its router falls back after any failed call except a malformed request, so ${others.join(", ")} errors also move to the next model; brainc set their retries to 0; the supervisor target enforces fallback.on`));
  }
  const backoff = brain.fallback.backoff;
  if (backoff && (backoff.multiplier !== undefined || backoff.jitter !== undefined)) {
    out.push(limit("LiteLLM cannot express fallback.backoff multiplier and jitter: brainc set router_settings.retry_after from backoff.initial and cooldown_time from backoff.max, and LiteLLM applies its own backoff; the supervisor target enforces the exact backoff"));
  }
  if (globalMonthlyDropped) out.push(limit("LiteLLM has one budget window per object: litellm_settings.max_budget holds budgets.global.dailyUsd, not monthlyUsd; the supervisor target enforces the monthly budget"));
  for (const route of Object.values(brain.tasks)) {
    if (primaryBudget(route.budget).dropped) out.push(limit(`LiteLLM tag budgets have one window: the tag task:${route.task} in budgets.json holds budgets.tasks.${route.task}.dailyUsd, not monthlyUsd; the supervisor target enforces the monthly budget`));
  }
  if (brain.budgets.global?.alertAtPercent !== undefined) out.push(limit("LiteLLM has no alert threshold for the proxy-wide budget: litellm_settings cannot carry budgets.global.alertAtPercent (agent and task budgets without an alertAtPercent of their own carry it as soft_budget in budgets.json, like the runtime inherits it); the supervisor target raises the global alert"));
  for (const [where, percent] of unexpressedAlerts(brain)) {
    out.push(limit(`LiteLLM soft budgets lie strictly between 0 and max_budget: the alert threshold of ${where} (${percent} %) is not in budgets.json; the supervisor target raises the alert`));
  }
  if (teamSoftBudgets(budgets)) {
    out.push(limit("LiteLLM has team soft budgets only since 2026 (older proxies drop soft_budget on /team/new) and alerts on one only by email to the team's metadata.soft_budget_alerting_emails: the agents' alert thresholds on their teams in budgets.json may raise no alert; the supervisor target raises them"));
  }
  if (brain.budgets.global || Object.values(brain.agents).some((a) => a.budget) || Object.values(brain.tasks).some((t) => t.budget)) {
    out.push(limit("LiteLLM budget windows run from the budget's creation and are reset by a poller (about every 10 minutes), not at 00:00 UTC or on the 1st of the month; the supervisor target enforces the calendar windows"));
  }
  if (brain.budgets.onExceeded === "downgrade") out.push(limit("LiteLLM rejects calls over budget and cannot re-route them: budgets.onExceeded downgrade becomes block at the gateway; the supervisor target downgrades to the cheapest tier before calling it"));
  for (const note of env.notes) {
    if (note.kind === "default") out.push(limit(`LiteLLM's os.environ/ references have no defaults: ${note.detail} reads ${note.variable} without the brain's default, which brainc wrote into .env.example; set ${note.variable} in the proxy's environment`));
    else out.push(limit(`LiteLLM cannot compose strings from environment variables: ${note.detail} reads the variable ${note.variable} that brainc made up; .env.example says what to set it to`));
  }
  const seen = new Set<string>();
  return out.filter((d) => (seen.has(d.message) ? false : (seen.add(d.message), true)));
}
