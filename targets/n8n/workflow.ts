import { diagnostic } from "../../src/diagnostics/codes.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { gatewayModel } from "../../src/emit/correlation.js";
import { durationSeconds } from "../../src/link/durations.js";
import type { EmitContext } from "../../src/emit/target.js";
import type { Agent, Brain, Route } from "../../src/link/model.js";
import type { CredentialSet } from "./credentials.js";
import type { Graph, GraphEdge, GraphNode } from "./graph.js";
import { assignmentId, nodeId, webhookId, workflowId } from "./ids.js";
import { layeredLayout } from "./layout.js";
import { NODE, agentNode, alertNode, chatNode, cronUnsupported, executeWorkflowNode, gatewayModelNode, memoryNode, messageNode, modelNode, scheduleNode, webhookNode } from "./nodes.js";
import type { N8nOptions } from "./options.js";
import { toolNodes } from "./tools.js";

/** An n8n workflow as brainc writes it (the fields `n8n import:workflow` reads, n8n 2.41). */
export interface Workflow {
  id: string;
  name: string;
  nodes: (Omit<GraphNode, "webhook"> & { id: string; position: [number, number]; webhookId?: string })[];
  connections: Record<string, Record<string, { node: string; type: string; index: number }[][]>>;
  settings: Record<string, unknown>;
  pinData: Record<string, never>;
  meta: { brainc: Record<string, unknown> };
  tags: { name: string }[];
  active: false;
}

/** The key the ids of an agent's workflow derive from (and of the error handler: "error-handler"). */
const agentKey = (agent: Agent) => `agent/${agent.id}`;
export const ERROR_HANDLER_KEY = "error-handler";

/** n8n's default EXECUTIONS_TIMEOUT_MAX (s, n8n 2.41): the largest executionTimeout a workflow gets. */
const EXECUTIONS_TIMEOUT_MAX = 3600;

/** Policy fields an n8n workflow enforces itself: loop.maxSteps (maxIterations), loop.maxDuration (executionTimeout). */
const ENFORCED = new Set(["loop.maxSteps", "loop.maxDuration"]);

/** Dotted paths of the set leaves of a policy, e.g. "loop.maxToolCalls", "tools.exec". */
function policyFields(policy: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(policy)) {
    if (k === "tools") {
      for (const t of Object.keys(v as object)) if (!["allow", "deny", "requireApproval"].includes(t)) out.push(`tools.${t}`);
    } else if (typeof v === "object" && v !== null && !Array.isArray(v) && k === "loop") {
      for (const f of Object.keys(v)) out.push(`loop.${f}`);
    } else out.push(k);
  }
  return out.filter((f) => !ENFORCED.has(f)).sort();
}

/** Lays out the graph, gives nodes their stable ids and positions, and builds n8n's connection map. */
function finish(brain: Brain, key: string, graph: Graph): Pick<Workflow, "nodes" | "connections"> {
  const positions = layeredLayout(graph.nodes.map((n) => n.name), graph.edges);
  const nodes = graph.nodes.map(({ webhook, ...n }) => ({
    ...n,
    id: nodeId(brain.name, key, n.name),
    position: positions.get(n.name)!,
    ...(webhook ? { webhookId: webhookId(brain.name, key, n.name) } : {}),
  }));
  const connections: Workflow["connections"] = {};
  for (const e of graph.edges) {
    const byType = (connections[e.from] ??= {});
    (byType[e.type] ??= [[]])[0].push({ node: e.to, type: e.type, index: e.index });
  }
  return { nodes, connections };
}

/** Tags of every workflow: "brainc" and the brain's name (n8n creates or matches tags by name). */
const tags = (brain: Brain) => [{ name: "brainc" }, { name: brain.name }];

/**
 * The error workflow (`error-handler.json`): an Error Trigger and a Set node that summarizes the failure,
 * then, with targets.n8n.errorAlertUrl, the alert that posts the summary there ({@link alertNode}).
 */
export function errorHandlerWorkflow(brain: Brain, options: N8nOptions): Workflow {
  const trigger: GraphNode = { name: "On error", ...NODE.errorTrigger, parameters: {} };
  const summary: GraphNode = {
    name: "Summarize",
    ...NODE.set,
    parameters: {
      mode: "manual",
      assignments: {
        assignments: ([
          // A failed run has `execution`; a trigger that failed to start has `trigger` instead (n8n 2.41).
          ["failedWorkflow", "={{ $json.workflow.name }}"],
          ["error", '={{ $json.execution?.error?.message ?? $json.trigger?.error?.message ?? "" }}'],
          ["lastNode", '={{ $json.execution?.lastNodeExecuted ?? "" }}'],
          ["executionUrl", '={{ $json.execution?.url ?? "" }}'],
        ] as const).map(([name, value]) => ({ id: assignmentId(brain.name, ERROR_HANDLER_KEY, "Summarize", name), name, value, type: "string" })),
      },
      options: {},
    },
  };
  const graph: Graph = { nodes: [trigger, summary], edges: [{ from: trigger.name, to: summary.name, type: "main", index: 0 }] };
  if (options.errorAlertUrl !== undefined) {
    const alert = alertNode("Alert", options.errorAlertUrl);
    graph.nodes.push(alert);
    graph.edges.push({ from: summary.name, to: alert.name, type: "main", index: 0 });
  }
  return {
    id: workflowId(brain.name, ERROR_HANDLER_KEY),
    name: `${brain.name}: error handler`,
    ...finish(brain, ERROR_HANDLER_KEY, graph),
    settings: { executionOrder: "v1" },
    pinData: {},
    meta: { brainc: { brain: brain.name, env: brain.env, role: "error-handler" } },
    tags: tags(brain),
    active: false,
  };
}

/** The path of a webhook channel's trigger: `/webhook/<path>`, by default the agent's id. */
const webhookPath = (agent: Agent, channel: { path?: string }): string => channel.path ?? agent.id;

/** The webhook channels of the brain's agents with their paths (`/webhook/<path>`), in agent order. */
export function webhookChannels(brain: Brain): { agent: Agent; path: string }[] {
  return Object.values(brain.agents).flatMap((agent) => agent.channels.filter((c) => c.channel === "webhook").map((c) => ({ agent, path: webhookPath(agent, c) })));
}

/**
 * BRN511 for each webhook path two webhook channels share (n8n 2.41 registers one POST webhook per path
 * across the whole instance, and refuses to activate the second workflow), at the second channel's agent.
 */
export function duplicateWebhooks(brain: Brain): Diagnostic[] {
  const owners = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const { agent, path } of webhookChannels(brain)) {
    const owner = owners.get(path);
    if (owner === undefined) owners.set(path, agent.id);
    else out.push(diagnostic("BRN511", `n8n: the webhook path "${path}" of agent "${agent.id}" is taken by ${owner === agent.id ? "another of its webhook channels" : `agent "${owner}"`}; n8n activates only one workflow per webhook path`, { file: agent.source, hint: "set a path of its own on the channel (a webhook path defaults to its agent's id)" }));
  }
  return out;
}

/** BRN514 when agents have webhook channels and targets.n8n.webhookAuth is not set (their triggers take anyone's calls). */
export function unauthenticatedWebhooks(brain: Brain, options: N8nOptions): Diagnostic[] {
  const webhooks = webhookChannels(brain);
  if (options.webhookAuth !== undefined || !webhooks.length) return [];
  const listed = webhooks.map(({ agent, path }) => `/webhook/${path} (agent "${agent.id}")`).join(", ");
  return [
    diagnostic("BRN514", `n8n: targets.n8n.webhookAuth is not set, so the webhook ${webhooks.length === 1 ? "trigger" : "triggers"} ${listed} run the agents for anyone who can reach n8n`, {
      file: "brain.yaml",
      hint: 'set targets.n8n.webhookAuth: { token: "${env:N8N_WEBHOOK_TOKEN}" } (callers send it in the X-Webhook-Token header), or webhookAuth: none when a proxy in front of n8n authenticates them',
    }),
  ];
}

/**
 * One agent's workflow: triggers (a Schedule Trigger per schedule and heartbeat, each followed by a Set node
 * with its message; a Webhook or Chat Trigger per n8n channel; always an Execute Workflow Trigger), one AI
 * Agent per task class the agent works in (its own, its schedules', its heartbeat's: each has its own
 * routing chain), their chat models (primary on ai_languageModel 0, fallback on 1), one shared conversation
 * memory and the shared tool nodes. What n8n cannot express is reported as BRN509.
 */
export function agentWorkflow(brain: Brain, agent: Agent, options: N8nOptions, credentials: CredentialSet, errorWorkflowId: string, context: EmitContext): Workflow {
  const key = agentKey(agent);
  const report = (message: string, code: "BRN509" | "BRN511" | "BRN512" = "BRN509") => context.report(diagnostic(code, `n8n: agent "${agent.id}": ${message}`, { file: agent.source }));
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const names = new Set<string>();
  const add = (node: GraphNode): string => {
    let name = node.name;
    for (let i = 2; names.has(name); i++) name = `${node.name} ${i}`;
    names.add(name);
    nodes.push({ ...node, name });
    return name;
  };

  // Triggers, grouped by the task class (route) of the turns they start.
  const groups = new Map<string, { route: Route; entries: string[] }>();
  const enter = (route: Route, entry: string) => {
    const group = groups.get(route.task) ?? { route, entries: [] };
    group.entries.push(entry);
    groups.set(route.task, group);
  };
  // The Execute Workflow Trigger comes first: `n8n execute --id` names it as the start node, but n8n 2.41
  // then starts a run without a destination at the first trigger in the node list.
  const ownEntries: string[] = [add(executeWorkflowNode("Called by workflow"))];
  const timezones = [...new Set(agent.schedules.filter((s) => s.cron).map((s) => s.timezone ?? "UTC"))];
  if (timezones.length > 1) report(`n8n evaluates every cron schedule of a workflow in the workflow's one timezone; the schedules use ${timezones.join(", ")}, so all run in ${timezones[0]} and the others fire at other times than the brain says; split the agent, or use the openclaw or supervisor target`, "BRN512");
  for (const s of agent.schedules) {
    const unsupported = s.cron ? cronUnsupported(s.cron) : undefined;
    if (unsupported) report(`n8n's Schedule Trigger cannot run the cron expression "${s.cron}": ${unsupported}; n8n would refuse to activate the workflow`, "BRN511");
  }
  agent.schedules.forEach((schedule, i) => {
    const label = schedule.cron ? `${schedule.cron}${schedule.timezone ? ` ${schedule.timezone}` : ""}` : `every ${schedule.every}`;
    const { node, approximated } = scheduleNode(`Schedule ${i + 1}: ${label}`, schedule);
    if (approximated) report(`a Schedule Trigger cannot fire every ${schedule.every}; it fires at the nearest interval n8n can express (${JSON.stringify(node.parameters.rule)})`);
    const trigger = add(node);
    const message = add(messageNode(`Schedule ${i + 1} message`, schedule.message, `${agent.id}:schedule-${i + 1}`, (field) => assignmentId(brain.name, key, `Schedule ${i + 1} message`, field)));
    edges.push({ from: trigger, to: message, type: "main", index: 0 });
    enter(schedule.route, message);
  });
  if (agent.heartbeat) {
    const heartbeat = agent.heartbeat;
    const { node, approximated } = scheduleNode(`Heartbeat: every ${heartbeat.every}`, { every: heartbeat.every });
    if (approximated) report(`a Schedule Trigger cannot fire every ${heartbeat.every}; the heartbeat fires at the nearest interval n8n can express (${JSON.stringify(node.parameters.rule)})`);
    const trigger = add(node);
    const text = heartbeat.message ?? "Heartbeat: check whether anything needs your attention. If nothing does, stop without a reply.";
    const message = add(messageNode("Heartbeat message", text, `${agent.id}:heartbeat`, (field) => assignmentId(brain.name, key, "Heartbeat message", field)));
    edges.push({ from: trigger, to: message, type: "main", index: 0 });
    enter(heartbeat.route, message);
  }
  for (const channel of agent.channels) {
    if (channel.channel === "webhook") ownEntries.push(add(webhookNode(`Webhook ${webhookPath(agent, channel)}`, webhookPath(agent, channel), brain, options, credentials)));
    else if (channel.channel === "chat") ownEntries.push(add(chatNode("Chat", agent)));
    else report(`n8n has no binding for the ${channel.channel} channel${channel.accountId ? ` (account ${channel.accountId})` : ""}; the openclaw target binds it`);
  }
  const byTask = new Map([[agent.route.task, { route: agent.route, entries: ownEntries }]]);
  for (const [task, group] of groups) {
    const own = byTask.get(task);
    if (own) own.entries.push(...group.entries);
    else byTask.set(task, group);
  }

  // One AI Agent per task class: through the gateway, with the route's model group (the gateway runs the
  // whole chain); without, with the chain's primary and fallback model.
  const multi = byTask.size > 1;
  const agents: string[] = [];
  for (const [task, { route, entries }] of byTask) {
    const chain = route.chain;
    const withFallback = !brain.gateway && chain.length > 1;
    if (!brain.gateway && chain.length > 2) report(`the n8n AI Agent takes one fallback model; task class "${task}" falls back to ${chain[1].id} only, not to ${chain.slice(2).map((m) => m.id).join(", ")}; route through a gateway to use the whole chain`);
    const name = add(agentNode(multi ? `${agent.name} (${task})` : agent.name, agent, withFallback));
    agents.push(name);
    for (const entry of entries) edges.push({ from: entry, to: name, type: "main", index: 0 });
    const prefix = multi ? `${task} ` : "";
    const models = brain.gateway
      ? [gatewayModelNode(`${prefix}model: ${gatewayModel(brain.name, route)}`, brain, route, agent, options, credentials)]
      : [modelNode(`${prefix}model: ${chain[0].id}`, brain, agent, chain[0], withFallback, options, credentials, context), ...(withFallback ? [modelNode(`${prefix}fallback model: ${chain[1].id}`, brain, agent, chain[1], false, options, credentials, context)] : [])];
    models.forEach((node, index) => edges.push({ from: add(node), to: name, type: "ai_languageModel", index }));
  }
  const memory = add(memoryNode(brain, agent, options, credentials));
  for (const a of agents) edges.push({ from: memory, to: a, type: "ai_memory", index: 0 });
  for (const tool of toolNodes(brain, agent, credentials, context)) {
    const name = add(tool);
    for (const a of agents) edges.push({ from: name, to: a, type: "ai_tool", index: 0 });
  }

  // What the workflow cannot enforce.
  if (agent.memory.length) report(`n8n has no store for structured memory namespaces (${agent.memory.map((m) => m.id).join(", ")}); the workflow keeps only the conversation memory; the supervisor target enforces them`);
  const unenforced = policyFields(agent.policy as Record<string, unknown>);
  if (agent.budget || [...byTask.values()].some((g) => g.route.budget)) unenforced.push("budgets");
  if (unenforced.length) report(`an n8n workflow cannot enforce ${unenforced.join(", ")}; it enforces loop.maxSteps (maxIterations) and loop.maxDuration (executionTimeout); run the supervisor target to enforce the rest${brain.gateway ? " (the litellm gateway enforces the global and task budgets, whose tags the workflows send, but not agent budgets: every workflow calls it with one key)" : ""}`);

  const settings: Record<string, unknown> = { executionOrder: "v1", timezone: timezones[0] ?? "UTC", errorWorkflow: errorWorkflowId, callerPolicy: "workflowsFromSameOwner" };
  if (agent.policy.loop?.maxDuration) {
    const seconds = durationSeconds(agent.policy.loop.maxDuration);
    settings.executionTimeout = seconds;
    if (seconds > EXECUTIONS_TIMEOUT_MAX) report(`n8n caps a workflow's executionTimeout at EXECUTIONS_TIMEOUT_MAX (${EXECUTIONS_TIMEOUT_MAX} s unless the instance sets it), so loop.maxDuration ${agent.policy.loop.maxDuration} ends runs after ${EXECUTIONS_TIMEOUT_MAX} s; raise EXECUTIONS_TIMEOUT_MAX on the n8n instance`);
  }
  const sources = [agent.source, agent.prompt.source, agent.persona?.source, ...agent.tools.map((t) => t.source), ...agent.policies.map((p) => brain.policies[p]?.source)];
  return {
    id: workflowId(brain.name, key),
    name: `${brain.name}: ${agent.name}`,
    ...finish(brain, key, { nodes, edges }),
    settings,
    pinData: {},
    meta: { brainc: { brain: brain.name, env: brain.env, agent: agent.id, sources: [...new Set(sources.filter((s): s is string => !!s))].sort() } },
    tags: tags(brain),
    active: false,
  };
}
