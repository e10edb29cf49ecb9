/**
 * The gateway contract shared by the LiteLLM target (which builds the gateway) and the supervisor bundle
 * (whose runtime calls it): the names of the model groups, and how a call says which job, task class and
 * agent it belongs to. Field and header names follow the LiteLLM proxy (docs: proxy/cost_tracking,
 * proxy/tag_budgets, proxy/ui_logs_sessions; LiteLLM ≥ 1.74).
 */

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

/**
 * How a client of the gateway correlates its calls (a JSON object so that it can travel in the supervisor
 * bundle). Every call of job J, task class T, by agent A sends in the request body
 * `litellm_session_id: J` and `metadata.tags: ["job:J", "task:T", "agent:A"]` (or the same tags,
 * comma-separated, in the `x-litellm-tags` header), plus `metadata.spend_logs_metadata` with the ids.
 * Tag budgets (`/tag/new`, see the LiteLLM target's budgets.json) are enforced on the `task:` tags.
 */
export const CORRELATION = {
  version: 1,
  /** Request body field holding the job id (LiteLLM groups the calls of one session in its logs). */
  sessionIdField: "litellm_session_id",
  /** Request body path of the tag list (`metadata.tags`); `litellm_metadata.tags` on non-chat endpoints. */
  tagsField: "metadata.tags",
  /** Header alternative to `tagsField`: tags joined with ",". */
  tagsHeader: "x-litellm-tags",
  /** Request body path of free-form ids recorded with each call's spend log. */
  spendLogsMetadataField: "metadata.spend_logs_metadata",
  /** Tag formats; `{jobId}`, `{task}`, `{agentId}` are replaced by the call's ids. */
  tags: { job: "job:{jobId}", task: "task:{task}", agent: "agent:{agentId}" },
  /** Response headers worth recording: the deployment that answered and the call's cost (USD). */
  responseHeaders: { modelId: "x-litellm-model-id", responseCost: "x-litellm-response-cost", attemptedFallbacks: "x-litellm-attempted-fallbacks" },
} as const;

/** The ids one gateway call belongs to. */
export interface CallIds {
  jobId: string;
  task: string;
  agentId?: string;
}

/** The tags a call carries (see {@link CORRELATION}): `job:<id>`, `task:<class>` and, when known, `agent:<id>`. */
export function correlationTags(ids: CallIds): string[] {
  const tags = [CORRELATION.tags.job.replace("{jobId}", ids.jobId), CORRELATION.tags.task.replace("{task}", ids.task)];
  if (ids.agentId !== undefined) tags.push(CORRELATION.tags.agent.replace("{agentId}", ids.agentId));
  return tags;
}

/** The tag of a task class (`task:<class>`), the name of its LiteLLM tag budget. */
export function taskTag(task: string): string {
  return CORRELATION.tags.task.replace("{task}", task);
}

/** The tag of an agent (`agent:<id>`). */
export function agentTag(agentId: string): string {
  return CORRELATION.tags.agent.replace("{agentId}", agentId);
}
