/**
 * The gateway contract shared by the LiteLLM target (which builds the gateway) and the supervisor bundle
 * (whose runtime calls it): the names of the model groups, and how a call says which job, task class and
 * agent it belongs to. Field and header names follow the LiteLLM proxy (docs: proxy/cost_tracking,
 * proxy/tag_budgets, proxy/ui_logs_sessions; LiteLLM ≥ 1.74).
 */
import type { Brain, Model } from "../link/model.js";

/** The model group (LiteLLM `model_name`) serving a tier: `<brain>-<tier>`, e.g. "acme-ops-cheap". */
export function tierGroupName(brain: string, tier: string): string {
  return `${brain}-${tier}`;
}

/**
 * The model group serving a task class's explicit `models:` chain: `<brain>-task-<task>`, e.g.
 * "acme-ops-task-incident_report". It cannot be mistaken for a task class (those have no "-"); it can
 * equal the group of a tier named `task-<task>`, which the LiteLLM target reports as an error.
 */
export function chainGroupName(brain: string, task: string): string {
  return `${brain}-task-${task}`;
}

/** The model group a route is served by: its tier's group, or its own chain's group. */
export function gatewayModel(brain: string, route: { task: string; tier?: string }): string {
  return route.tier !== undefined ? tierGroupName(brain, route.tier) : chainGroupName(brain, route.task);
}

/** A model group of the gateway built from the brain: a tier's chain, or a task class's explicit chain. */
export interface ModelGroup {
  /** The group's `model_name`, e.g. "acme-ops-cheap" (src/emit/correlation.ts). */
  name: string;
  /** The tier it serves, or undefined for an explicit chain. */
  tier?: string;
  /** For an explicit chain: the task class it serves. */
  task?: string;
  /** The chain: `chain[0]` is primary (order 1), the rest its fallbacks in order. */
  chain: Model[];
}

/**
 * The groups of a brain: one per tier (sorted by tier), then one per task class with an explicit `models:`
 * chain (sorted by task class). Returns the group names that collide (a tier named `task-<class>`).
 */
export function modelGroups(brain: Brain): { groups: ModelGroup[]; collisions: string[] } {
  const groups: ModelGroup[] = Object.entries(brain.tiers).map(([tier, chain]) => ({ name: tierGroupName(brain.name, tier), tier, chain }));
  for (const route of Object.values(brain.tasks)) {
    if (route.tier === undefined) groups.push({ name: chainGroupName(brain.name, route.task), task: route.task, chain: route.chain });
  }
  const seen = new Set<string>();
  const collisions = groups.map((g) => g.name).filter((n) => (seen.has(n) ? true : (seen.add(n), false)));
  return { groups, collisions };
}

/**
 * How a client of the gateway correlates its calls (a JSON object so that it can travel in the supervisor
 * bundle, whose runtime reads `sessionField` and `tagPrefixes`: src/runtime/bundle.ts `BundleCorrelation`).
 * Every call of job J, task class T, by agent A sends in the request body `litellm_session_id: J` and
 * `metadata.tags: ["job:J", "task:T", "agent:A"]` (or the same tags, comma-separated, in the
 * `x-litellm-tags` header), plus `metadata.spend_logs_metadata` with the ids. Tag budgets (`/tag/new`, see
 * the LiteLLM target's budgets.json) are enforced on the `task:` tags.
 */
export const CORRELATION = {
  version: 1,
  /** Request body field holding the job id (LiteLLM groups the calls of one session in its logs). */
  sessionField: "litellm_session_id",
  /** Request body path of the tag list (`metadata.tags`); `litellm_metadata.tags` on non-chat endpoints. */
  tagsField: "metadata.tags",
  /** Header alternative to `tagsField`: tags joined with ",". */
  tagsHeader: "x-litellm-tags",
  /** Prefixes of the tags: `job:<job id>`, `task:<task class>`, `agent:<agent id>`. */
  tagPrefixes: { job: "job:", task: "task:", agent: "agent:" },
  /** Request body path of free-form ids recorded with each call's spend log. */
  spendLogsMetadataField: "metadata.spend_logs_metadata",
  /** Response headers worth recording: the deployment that answered, the call's cost (USD), fallbacks tried. */
  responseHeaders: { modelId: "x-litellm-model-id", responseCost: "x-litellm-response-cost", attemptedFallbacks: "x-litellm-attempted-fallbacks" },
} as const;

/** The tag of a task class (`task:<class>`), the name of its LiteLLM tag budget. */
export function taskTag(task: string): string {
  return CORRELATION.tagPrefixes.task + task;
}

/** The tag of an agent (`agent:<id>`). */
export function agentTag(agentId: string): string {
  return CORRELATION.tagPrefixes.agent + agentId;
}
