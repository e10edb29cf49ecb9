import { diagnostic } from "../../src/diagnostics/codes.js";
import { CORRELATION, gatewayModel } from "../../src/emit/correlation.js";
import type { EmitContext } from "../../src/emit/target.js";
import { durationMs } from "../../src/link/durations.js";
import type { Agent, Brain, Model } from "../../src/link/model.js";
import type { CredentialSet } from "./credentials.js";
import { credentialValue } from "./credentials.js";
import { jsString, n8nLiteral, n8nValue } from "./expressions.js";
import type { GraphNode } from "./graph.js";
import type { N8nOptions } from "./options.js";

/** Node types and typeVersions brainc writes (the latest of n8n 2.41.1, from its node descriptions). */
export const NODE = {
  agent: { type: "@n8n/n8n-nodes-langchain.agent", typeVersion: 3.1 },
  openAi: { type: "@n8n/n8n-nodes-langchain.lmChatOpenAi", typeVersion: 1.3 },
  anthropic: { type: "@n8n/n8n-nodes-langchain.lmChatAnthropic", typeVersion: 1.6 },
  gemini: { type: "@n8n/n8n-nodes-langchain.lmChatGoogleGemini", typeVersion: 1.2 },
  memoryBuffer: { type: "@n8n/n8n-nodes-langchain.memoryBufferWindow", typeVersion: 1.4 },
  memoryPostgres: { type: "@n8n/n8n-nodes-langchain.memoryPostgresChat", typeVersion: 1.4 },
  memoryRedis: { type: "@n8n/n8n-nodes-langchain.memoryRedisChat", typeVersion: 1.6 },
  schedule: { type: "n8n-nodes-base.scheduleTrigger", typeVersion: 1.4 },
  webhook: { type: "n8n-nodes-base.webhook", typeVersion: 2.1 },
  chat: { type: "@n8n/n8n-nodes-langchain.chatTrigger", typeVersion: 1.5 },
  executeWorkflow: { type: "n8n-nodes-base.executeWorkflowTrigger", typeVersion: 1.2 },
  errorTrigger: { type: "n8n-nodes-base.errorTrigger", typeVersion: 1 },
  set: { type: "n8n-nodes-base.set", typeVersion: 3.4 },
  httpRequest: { type: "n8n-nodes-base.httpRequest", typeVersion: 4.5 },
} as const;

/** Messages the chat model keeps in the conversation memory (n8n's default is 5). */
export const CONTEXT_WINDOW_MESSAGES = 10;

/** The prompt of a run started without a message (`n8n execute`, a bare webhook call). */
export const DEFAULT_MESSAGE = "Run your instructions now.";

/**
 * The AI Agent's user message: `chatInput` (chat trigger, Execute Workflow Trigger input, the schedules' Set
 * nodes), else a webhook's JSON body, else {@link DEFAULT_MESSAGE}.
 */
export const AGENT_TEXT = `={{ $json.chatInput || ($json.body === undefined ? ${jsString(DEFAULT_MESSAGE)} : (typeof $json.body === "string" ? $json.body : ($json.body.chatInput ?? JSON.stringify($json.body)))) }}`;

/** The system message: the persona (when the agent has one), then the rendered instructions. */
export function systemMessage(agent: Agent): string {
  const text = [agent.personaText, agent.instructions].filter((t) => t && t.trim()).map((t) => t!.trim()).join("\n\n");
  return n8nLiteral(text);
}

/** An AI Agent node (3.1): `define` prompt, system message, maxIterations = loop.maxSteps, fallback flag. */
export function agentNode(name: string, agent: Agent, needsFallback: boolean): GraphNode {
  const options: Record<string, unknown> = { systemMessage: systemMessage(agent) };
  if (agent.policy.loop?.maxSteps !== undefined) options.maxIterations = agent.policy.loop.maxSteps;
  const parameters: Record<string, unknown> = { promptType: "define", text: AGENT_TEXT, options };
  if (needsFallback) parameters.needsFallback = true;
  return { name, ...NODE.agent, parameters };
}

/**
 * The chat-model node of a task class through the brain's gateway (the LiteLLM proxy the litellm target
 * builds): `lmChatOpenAi` 1.3 on the Chat Completions API (`responsesApiEnabled: false`) with the gateway
 * credential, model = the route's model group (`gatewayModel`, e.g. "acme-ops-cheap"), whose fallbacks and
 * retries the gateway runs (so n8n retries none: `maxRetries: 0`). `extraBody` carries the correlation
 * contract of src/emit/correlation.ts with the n8n execution id as the job id: the gateway's spend logs,
 * sessions and task tag budgets see every call.
 * @throws {Error} when the brain has no gateway.
 */
export function gatewayModelNode(name: string, brain: Brain, route: { task: string; tier?: string }, agent: Agent, options: N8nOptions, credentials: CredentialSet): GraphNode {
  const gateway = brain.gateway;
  if (!gateway) throw new Error(`brain ${brain.name} has no gateway`);
  const data: Record<string, unknown> = { url: credentialValue(gateway.baseUrl), apiKey: gateway.apiKey ? credentialValue(gateway.apiKey) : "" };
  return {
    name,
    ...NODE.openAi,
    parameters: { model: { __rl: true, mode: "id", value: gatewayModel(brain.name, route) }, responsesApiEnabled: false, options: { maxRetries: 0, timeout: callTimeoutMs(agent), extraBody: correlationBody(route.task, agent.id) } },
    credentials: credentials.use({ type: "openAiApi", name: options.llmCredential ?? `${brain.name} gateway`, data }),
  };
}

/**
 * The client timeout (ms) of an OpenAI Chat Model node (1.3): the agent's `loop.maxDuration`, else 10 minutes
 * (the litellm target's call timeout). n8n's own default, 60 s, would cut long answers of strong models short
 * and then retry them.
 */
function callTimeoutMs(agent: Agent): number {
  const max = agent.policy.loop?.maxDuration;
  return max !== undefined ? durationMs(max) : 600_000;
}

/**
 * `extraBody` (a JSON text, n8n's lmChatOpenAi 1.3) of a gateway call: `litellm_session_id` and
 * `metadata.tags` [job:<execution id>, task:<task>, agent:<id>] and `metadata.spend_logs_metadata`.
 */
function correlationBody(task: string, agentId: string): string {
  const job = "$execution.id";
  const [bag, tagsKey] = CORRELATION.tagsField.split(".");
  const idsKey = CORRELATION.spendLogsMetadataField.split(".")[1];
  const p = CORRELATION.tagPrefixes;
  const tags = `[${jsString(p.job)} + ${job}, ${jsString(p.task + task)}, ${jsString(p.agent + agentId)}]`;
  const ids = `{ job_id: ${job}, agent: ${jsString(agentId)}, task: ${jsString(task)} }`;
  return `={{ JSON.stringify({ ${CORRELATION.sessionField}: ${job}, ${bag}: { ${tagsKey}: ${tags}, ${idsKey}: ${ids} } }) }}`;
}

/**
 * A chat-model node for one model of a routing chain, without a gateway: the provider's own node and
 * credential, model = the provider's name. `primaryWithFallback` sets `maxRetries: 0` so a failing primary
 * moves to the fallback at once.
 */
export function modelNode(name: string, brain: Brain, agent: Agent, model: Model, primaryWithFallback: boolean, options: N8nOptions, credentials: CredentialSet, context: EmitContext): GraphNode {
  const retries = primaryWithFallback ? { maxRetries: 0 } : {};
  const provider = model.provider;
  const credentialName = options.providerCredentials?.[provider.id] ?? `${brain.name} ${provider.id}`;
  const apiKey = provider.apiKey ? credentialValue(provider.apiKey) : "";
  switch (provider.api) {
    case "anthropic": {
      const data: Record<string, unknown> = { apiKey };
      if (provider.baseUrl) data.url = credentialValue(provider.baseUrl);
      if (primaryWithFallback) reportNoRetrySetting("Anthropic", model, context);
      // the node's own default caps answers at 4096 tokens
      const limit = model.maxOutputTokens !== undefined ? { maxTokensToSample: model.maxOutputTokens } : {};
      return { name, ...NODE.anthropic, parameters: { model: { __rl: true, mode: "id", value: model.name }, options: limit }, credentials: credentials.use({ type: "anthropicApi", name: credentialName, data }) };
    }
    case "google": {
      const data: Record<string, unknown> = { apiKey };
      if (provider.baseUrl) data.host = credentialValue(provider.baseUrl);
      if (primaryWithFallback) reportNoRetrySetting("Google Gemini", model, context);
      // the node's own default caps answers at 2048 tokens
      const limit = model.maxOutputTokens !== undefined ? { maxOutputTokens: model.maxOutputTokens } : {};
      return { name, ...NODE.gemini, parameters: { modelName: `models/${model.name}`, options: limit }, credentials: credentials.use({ type: "googlePalmApi", name: credentialName, data }) };
    }
    default: {
      const data: Record<string, unknown> = { apiKey };
      if (provider.baseUrl) data.url = credentialValue(provider.baseUrl);
      return {
        name,
        ...NODE.openAi,
        parameters: { model: { __rl: true, mode: "id", value: model.name }, responsesApiEnabled: false, options: { ...retries, timeout: callTimeoutMs(agent) } },
        credentials: credentials.use({ type: "openAiApi", name: credentialName, data }),
      };
    }
  }
}

/** BRN509: a provider's chat-model node (n8n 2.41) has no retry setting, so the primary retries before its fallback. */
function reportNoRetrySetting(node: string, model: Model, context: EmitContext): void {
  context.report(diagnostic("BRN509", `n8n: the ${node} chat-model node has no retry setting, so model "${model.id}" retries n8n's default number of times before the fallback takes over; route through a gateway to control retries`, { file: "models.yaml" }));
}

/** The conversation memory node per `targets.n8n.memory` (default buffer), keyed by the run's sessionId. */
export function memoryNode(brain: Brain, agent: Agent, options: N8nOptions, credentials: CredentialSet): GraphNode {
  // sessionId: from the Set nodes, the Execute Workflow Trigger's input, or a webhook call's JSON body
  const parameters = { sessionIdType: "customKey", sessionKey: `={{ $json.sessionId ?? ($json.body && $json.body.sessionId) ?? ${jsString(agent.id)} }}`, contextWindowLength: CONTEXT_WINDOW_MESSAGES };
  const credentialName = options.memoryCredential ?? `${brain.name} ${options.memory}`;
  switch (options.memory) {
    case "postgres":
      return { name: "Chat memory", ...NODE.memoryPostgres, parameters, credentials: credentials.use({ type: "postgres", name: credentialName, data: { host: "", database: "", user: "", password: "", port: 5432 } }) };
    case "redis":
      return { name: "Chat memory", ...NODE.memoryRedis, parameters, credentials: credentials.use({ type: "redis", name: credentialName, data: { host: "", port: 6379, password: "", database: 0 } }) };
    default:
      return { name: "Chat memory", ...NODE.memoryBuffer, parameters };
  }
}

/**
 * One `rule.interval` entry of a Schedule Trigger (1.4) for a fixed interval (ms): the largest unit that
 * divides it and fits n8n's bounds (seconds 1-59, minutes 1-59, hours 1-23, days 1-31), else the nearest
 * expressible interval. `approximated` is set whenever the rule fires at another interval than `ms`:
 * rounded to whole seconds, raised to n8n's shortest interval of 1 s, or rounded to a coarser unit.
 */
export function intervalRule(ms: number): { rule: Record<string, unknown>; approximated: boolean } {
  const seconds = Math.max(1, Math.round(ms / 1000));
  const { rule, approximated } = intervalRuleSeconds(seconds);
  return { rule, approximated: approximated || seconds * 1000 !== ms };
}

function intervalRuleSeconds(s: number): { rule: Record<string, unknown>; approximated: boolean } {
  const exact = (unit: number, max: number) => s % unit === 0 && s / unit >= 1 && s / unit <= max;
  if (exact(86400, 31)) return { rule: { field: "days", daysInterval: s / 86400, triggerAtHour: 0, triggerAtMinute: 0 }, approximated: false };
  if (exact(3600, 23)) return { rule: { field: "hours", hoursInterval: s / 3600, triggerAtMinute: 0 }, approximated: false };
  if (exact(60, 59)) return { rule: { field: "minutes", minutesInterval: s / 60 }, approximated: false };
  // n8n runs seconds as `*/s` in the minute: 45 fires at :00 and :45, so only divisors of 60 are exact
  if (s <= 59) return { rule: { field: "seconds", secondsInterval: s }, approximated: 60 % s !== 0 };
  if (s < 3600) return { rule: { field: "minutes", minutesInterval: Math.min(59, Math.round(s / 60)) }, approximated: true };
  if (s < 86400) return { rule: { field: "hours", hoursInterval: Math.min(23, Math.round(s / 3600)), triggerAtMinute: 0 }, approximated: true };
  return { rule: { field: "days", daysInterval: Math.min(31, Math.round(s / 86400)), triggerAtHour: 0, triggerAtMinute: 0 }, approximated: true };
}

/** Month and weekday names, the only letters n8n's cron (the `cron` package 4.x, n8n 2.41) reads in a field. */
const CRON_NAMES = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)\b/gi;

/**
 * Why n8n's Schedule Trigger (the `cron` package 4.x in n8n 2.41) cannot run a 5-field cron expression that
 * brainc accepts (croner, which also reads Quartz's `L`, `W`, `#` and `?`); undefined when it can.
 */
export function cronUnsupported(expression: string): string | undefined {
  const left = expression.replace(CRON_NAMES, "");
  const found = [...new Set(left.match(/[LW#?]/gi) ?? [])].map((c) => c.toUpperCase());
  return found.length ? `it has no ${found.map((c) => `"${c}"`).join(", ")} (last day, nearest weekday, nth weekday, no specific value)` : undefined;
}

/** A Schedule Trigger for `every` (a duration) or `cron` (5 fields, evaluated in the workflow's timezone). */
export function scheduleNode(name: string, spec: { every?: string; cron?: string }): { node: GraphNode; approximated: boolean } {
  if (spec.cron) return { node: { name, ...NODE.schedule, parameters: { rule: { interval: [{ field: "cronExpression", expression: spec.cron }] } } }, approximated: false };
  const { rule, approximated } = intervalRule(durationMs(spec.every!));
  return { node: { name, ...NODE.schedule, parameters: { rule: { interval: [rule] } } }, approximated };
}

/** A Set node (3.4) that turns a schedule's firing into the agent's input: chatInput = message, sessionId. */
export function messageNode(name: string, message: string, sessionId: string, assignmentId: (field: string) => string): GraphNode {
  const value = n8nLiteral(message);
  return {
    name,
    ...NODE.set,
    parameters: {
      mode: "manual",
      assignments: {
        assignments: [
          { id: assignmentId("chatInput"), name: "chatInput", value, type: "string" },
          { id: assignmentId("sessionId"), name: "sessionId", value: sessionId, type: "string" },
        ],
      },
      options: {},
    },
  };
}

/** The header that carries a webhook's token when targets.n8n.webhookAuth names none. */
export const WEBHOOK_HEADER = "X-Webhook-Token";

/**
 * A Webhook trigger (2.1): POST /webhook/<path>, answering with the agent's output. With targets.n8n.webhookAuth
 * a header token, it checks the header with n8n's Header Auth (credential "<brain name> webhook": header name
 * and token, the token as a `{{ $env.NAME }}` expression); n8n answers 403 to a call without them, and 500 while
 * the token's variable is unset (n8n-nodes-base Webhook/utils.js, n8n 2.41).
 */
export function webhookNode(name: string, path: string, brain: Brain, options: N8nOptions, credentials: CredentialSet): GraphNode {
  const auth = options.webhookAuth;
  const parameters = { httpMethod: "POST", path, responseMode: "lastNode", options: {} };
  if (auth === undefined || auth === "none") return { name, ...NODE.webhook, parameters, webhook: true };
  const data = { name: auth.header ?? WEBHOOK_HEADER, value: credentialValue(auth.token) };
  const credential = credentials.use({ type: "httpHeaderAuth", name: `${brain.name} webhook`, data });
  return { name, ...NODE.webhook, parameters: { ...parameters, authentication: "headerAuth" }, credentials: credential, webhook: true };
}

/** How long the error workflow's alert waits for the alert URL to answer (ms). */
const ALERT_TIMEOUT_MS = 10_000;

/**
 * The error workflow's alert: an HTTP Request (4.5) that POSTs `{"text": "<workflow> failed in <node>:
 * <error>\n<execution URL>"}` (the body of Slack and Mattermost incoming webhooks) to `url`, a
 * `${env:NAME}` reference read as `{{ $env.NAME }}`. It reads the fields of the error workflow's Set node.
 */
export function alertNode(name: string, url: string): GraphNode {
  const text = `$json.failedWorkflow + ${jsString(" failed")} + ($json.lastNode ? ${jsString(" in ")} + $json.lastNode : "") + ${jsString(": ")} + ($json.error || ${jsString("unknown error")}) + ($json.executionUrl ? ${jsString("\n")} + $json.executionUrl : "")`;
  return {
    name,
    ...NODE.httpRequest,
    parameters: { method: "POST", url: n8nValue(url), sendBody: true, contentType: "json", specifyBody: "json", jsonBody: `={{ JSON.stringify({ text: ${text} }) }}`, options: { timeout: ALERT_TIMEOUT_MS } },
  };
}

/** A Chat Trigger (1.5): n8n's hosted chat at /webhook/<webhookId>/chat, for signed-in n8n users only. */
export function chatNode(name: string, agent: Agent): GraphNode {
  const who = [agent.identity?.emoji, agent.identity?.name ?? agent.name].filter(Boolean).join(" ");
  const greeting = `${who} here.${agent.description ? ` ${agent.description}` : ""}`;
  return {
    name,
    ...NODE.chat,
    parameters: { public: true, mode: "hostedChat", authentication: "n8nUserAuth", initialMessages: n8nLiteral(greeting), options: {} },
    webhook: true,
  };
}

/** The Execute Workflow Trigger (1.2): how other workflows and `n8n execute --id` start the agent. */
export function executeWorkflowNode(name: string): GraphNode {
  return {
    name,
    ...NODE.executeWorkflow,
    parameters: { inputSource: "workflowInputs", workflowInputs: { values: [{ name: "chatInput", type: "string" }, { name: "sessionId", type: "string" }] } },
  };
}
