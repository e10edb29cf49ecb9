import { canonicalJson } from "../../src/emit/canonical.js";
import { agentTag, taskTag } from "../../src/emit/correlation.js";
import type { Brain, Budget } from "../../src/link/model.js";
import type { ModelGroup } from "../../src/emit/correlation.js";
import { LITELLM_PROVIDER } from "./model-list.js";

/** A LiteLLM budget: USD per `budget_duration` (LiteLLM durations: `1d`, `1mo`). */
export interface LitellmBudget {
  max_budget: number;
  budget_duration: "1d" | "1mo";
}

/**
 * The one budget LiteLLM can attach to an object: the daily one when the brain sets it, else the monthly
 * one. `dropped` says a monthly budget was left out (LiteLLM objects have a single budget window).
 */
export function primaryBudget(budget: Budget | undefined): { budget?: LitellmBudget; dropped: boolean } {
  if (!budget) return { dropped: false };
  if (budget.dailyUsd !== undefined) return { budget: { max_budget: budget.dailyUsd, budget_duration: "1d" }, dropped: budget.monthlyUsd !== undefined };
  if (budget.monthlyUsd !== undefined) return { budget: { max_budget: budget.monthlyUsd, budget_duration: "1mo" }, dropped: false };
  return { dropped: false };
}

/** Rounds USD to a cent fraction that prints cleanly (soft budgets are percentages of budgets). */
const usd = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * The alert threshold (percent) of a budget as the runtime applies it (docs/runtime.md "Budgets"): the
 * budget's own `alertAtPercent`, else the global budget's.
 */
export function alertPercent(brain: Brain, budget: Budget | undefined): number | undefined {
  return budget?.alertAtPercent ?? brain.budgets.global?.alertAtPercent;
}

/**
 * LiteLLM's `soft_budget` for an object with `max_budget` and `budget_duration` (a tag, a team, a key that
 * carries its own budget): the USD amount of the object's spend in that window at which LiteLLM warns,
 * `percent` of `maxBudget`. Undefined without a threshold, and when the amount is not strictly between 0
 * and `maxBudget`: LiteLLM takes a key's soft_budget 0 for none and rejects a team's soft_budget that is not
 * below its max_budget (the threshold is then reported as a BRN509 limit, see {@link unexpressedAlerts}).
 */
export function softBudget(maxBudget: number, percent: number | undefined): number | undefined {
  if (percent === undefined) return undefined;
  const soft = usd((maxBudget * percent) / 100);
  return soft > 0 && soft < maxBudget ? soft : undefined;
}

/**
 * The alert thresholds of agent and task budgets that budgets.json cannot carry as a `soft_budget`
 * (0 % or 100 %, see {@link softBudget}), as `[where, percent]`: `budgets.tasks.<class>` or
 * `budgets.agents.<id>`. The threshold of a monthly budget that LiteLLM drops (primaryBudget) is not listed:
 * that budget is reported as dropped.
 */
export function unexpressedAlerts(brain: Brain): [string, number][] {
  const out: [string, number][] = [];
  const check = (where: string, budget: Budget | undefined) => {
    const percent = alertPercent(brain, budget);
    const { budget: primary } = primaryBudget(budget);
    if (primary && percent !== undefined && softBudget(primary.max_budget, percent) === undefined) out.push([where, percent]);
  };
  for (const route of Object.values(brain.tasks)) check(`budgets.tasks.${route.task}`, route.budget);
  for (const agent of Object.values(brain.agents)) check(`budgets.agents.${agent.id}`, agent.budget);
  return out;
}

/**
 * `router_settings.provider_budget_config` (LiteLLM `GenericBudgetInfo` per provider): brain budgets are per
 * brain, agent and task class, so they map onto a provider only when every deployment goes to one LiteLLM
 * provider; then the global budget is that provider's budget, enforced by the router without a database.
 */
export function providerBudgetConfig(brain: Brain, groups: readonly ModelGroup[]): Record<string, { budget_limit: number; time_period: string }> | undefined {
  const providers = new Set(groups.flatMap((g) => g.chain.map((m) => LITELLM_PROVIDER[m.provider.api])));
  const { budget } = primaryBudget(brain.budgets.global);
  if (providers.size !== 1 || !budget) return undefined;
  return { [[...providers][0]]: { budget_limit: budget.max_budget, time_period: budget.budget_duration } };
}

/** One admin API call of the plan: POST `path` with `body`; `updatePath` re-applies it to an existing object. */
export interface AdminRequest {
  method: "POST";
  path: "/tag/new" | "/team/new" | "/key/generate";
  updatePath?: "/tag/update" | "/team/update";
  body: Record<string, unknown>;
}

/** The team (and key) id of an agent: `<brain>-agent-<id>`. */
export const agentTeamId = (brain: string, agent: string) => `${brain}-agent-${agent}`;

/**
 * The budgets LiteLLM only accepts through its admin API (they live in its database, not in config.yaml),
 * as `budgets.json`: per task class a tag budget (`/tag/new`, name `task:<class>`, enforced on requests that
 * carry the tag), per agent a team holding the budget (`/team/new`) and a key for the agent (`/key/generate`,
 * carrying the monthly budget when the brain sets both). Request bodies follow the LiteLLM proxy admin API
 * (`NewTagRequest`, `NewTeamRequest`, `GenerateKeyRequest` in litellm/proxy/_types.py).
 *
 * Alert thresholds (the budget's `alertAtPercent`, else the global one, as the runtime applies them) become
 * `soft_budget` on the object that holds the budget of that window: the tag, the team, and the key only
 * when it carries the monthly budget. LiteLLM compares a soft_budget with the object's spend since its last
 * `budget_duration` reset (lifetime spend for an object without one), so a key without a budget of its own
 * never gets one.
 */
export function budgetRequests(brain: Brain): AdminRequest[] {
  const requests: AdminRequest[] = [];
  const withSoft = (body: Record<string, unknown>, budget: LitellmBudget, percent: number | undefined) => {
    const soft = softBudget(budget.max_budget, percent);
    return soft === undefined ? body : { ...body, soft_budget: soft };
  };
  for (const route of Object.values(brain.tasks)) {
    const { budget } = primaryBudget(route.budget);
    if (!budget) continue;
    const body = { name: taskTag(route.task), description: `brainc ${brain.name}: budget of task class ${route.task}`, ...budget };
    requests.push({ method: "POST", path: "/tag/new", updatePath: "/tag/update", body: withSoft(body, budget, alertPercent(brain, route.budget)) });
  }
  for (const agent of Object.values(brain.agents)) {
    const { budget } = primaryBudget(agent.budget);
    if (!budget) continue;
    const id = agentTeamId(brain.name, agent.id);
    const percent = alertPercent(brain, agent.budget);
    const metadata = { brain: brain.name, env: brain.env, agent: agent.id, tag: agentTag(agent.id) };
    requests.push({ method: "POST", path: "/team/new", updatePath: "/team/update", body: withSoft({ team_id: id, team_alias: id, ...budget, metadata }, budget, percent) });
    let key: Record<string, unknown> = { key_alias: id, team_id: id, metadata };
    if (agent.budget?.dailyUsd !== undefined && agent.budget.monthlyUsd !== undefined) {
      const monthly: LitellmBudget = { max_budget: agent.budget.monthlyUsd, budget_duration: "1mo" };
      key = withSoft({ ...key, ...monthly }, monthly, percent);
    }
    requests.push({ method: "POST", path: "/key/generate", body: key });
  }
  return requests;
}

/** Whether some agent's team in budgets.json carries a `soft_budget` (LiteLLM support for it varies, see config.ts). */
export function teamSoftBudgets(requests: readonly AdminRequest[]): boolean {
  return requests.some((r) => r.path === "/team/new" && r.body.soft_budget !== undefined);
}

/** The text of budgets.json: what it is, how to apply it, and the requests in order (teams before their keys). */
export function budgetsJson(brain: Brain, requests: readonly AdminRequest[]): string {
  return canonicalJson({
    brain: brain.name,
    env: brain.env,
    description:
      "LiteLLM budgets that exist only in the proxy's database. Apply each request in order: POST <proxy>/<path> with the body, header 'Authorization: Bearer <master key>'; when the object exists already, POST the body to updatePath instead. Keys are generated once: store each in the environment of its agent's runtime.",
    requests,
  });
}
