import { createRequire } from "node:module";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic, type Code } from "../diagnostics/codes.js";
import type { Document, Documents, TemplateDocument } from "../validate/documents.js";
import { PLACEHOLDER } from "../emit/placeholders.js";
import { didYouMean, didYouMeanHint } from "../validate/did-you-mean.js";
import { plural } from "../diagnostics/format.js";
import type { Policy } from "../types/index.js";
import type { Agent, Brain, Budget, Model, Namespace, Provider, Route, Template, Tool } from "./model.js";
import { durationMs } from "./durations.js";
import { printsEnvironment, runsCode } from "./exec-bins.js";
import { forAgent, matchTools, mergePolicies, resolveToolNames } from "./policy.js";
import { escapePointer } from "../load/yaml.js";

const byId = <T>(entries: [string, T][]): Record<string, T> => Object.fromEntries(entries);
const esc = escapePointer;

/**
 * Names a task class may not have, with the reason. `default` is the task name of routing.yaml's own
 * `default` route (work that names no task class): the supervisor bundle's `defaultRoute.task` and an
 * agent's route for its own turns when it names no task, the ledger's task scope and the gateway's
 * `task:default` tag of that work, and the LiteLLM alias `default`. A task class of that name would
 * silently take over one of them. (Other names cannot collide: task classes are snake_case, while model
 * groups and the ledger's global key `*` are not.)
 */
export const RESERVED_TASK_CLASSES: ReadonlyMap<string, string> = new Map([
  ["default", 'routing.yaml "default" is the route of work that names no task class (the LiteLLM alias "default", the supervisor bundle\'s defaultRoute, the task:default tag)'],
]);

/** Where an overlay holds each kind of referenced entity, by the word diagnostics use for it (overlays never hold prompts). */
const OVERLAY_PLACES = {
  provider: "/models/providers",
  model: "/models/models",
  tier: "/models/tiers",
  "task class": "/routing/tasks",
  agent: "/agents",
  "MCP server": "/brain/mcpServers",
  policy: "/policies",
  prompt: "/prompts",
  tool: "/tools",
  "memory namespace": "/memory/namespaces",
} as const;

/**
 * Resolves every reference of schema-valid documents and builds the immutable {@link Brain}.
 * Reports unknown prompts, tools, policies, memory namespaces, models, providers, tiers, task classes,
 * MCP servers and agents (BRN201–BRN213, with did-you-mean hints), a task class with a reserved name
 * ({@link RESERVED_TASK_CLASSES}, BRN104 at its key), budget consistency (BRN310, BRN311),
 * provider, schedule and MCP server rules (BRN320–BRN324), schedule and heartbeat intervals under 1s (BRN105)
 * and unused entities (BRN218).
 * The Brain is returned only when there are no errors; its agents' `instructions` are filled by render.
 */
export function link(docs: Documents): { brain?: Brain; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (code: Code, doc: { locate: Document<unknown>["locate"] }, pointer: string, message: string, hint?: string, part: "key" | "value" = "value") =>
    diagnostics.push(diagnostic(code, message, { ...doc.locate(pointer, part), hint }));
  const check = (code: Code, what: keyof typeof OVERLAY_PLACES, known: Record<string, unknown>, name: string, doc: { locate: Document<unknown>["locate"] }, pointer: string, part: "key" | "value" = "value"): boolean => {
    if (Object.hasOwn(known, name)) return true; // own ids only: `constructor` is no tool
    const deleted = docs.deletedBy?.(`${OVERLAY_PLACES[what]}/${esc(name)}`);
    const hint = deleted ? `overlay ${JSON.stringify(docs.env)} deletes ${what} ${JSON.stringify(name)} at ${deleted.file}:${deleted.range.start.line}:${deleted.range.start.column}` : (didYouMeanHint(name, Object.keys(known)) ?? knownHint(what, Object.keys(known)));
    report(code, doc, pointer, `unknown ${what} ${JSON.stringify(name)}`, hint, part);
    return false;
  };

  const manifest = docs.manifest.value;
  const modelsFile = docs.models.value;
  const routingFile = docs.routing.value;

  // Providers, models, tiers.
  const providers = byId(Object.entries(modelsFile.providers).sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, p]): [string, Provider] => {
    if (p.api === "openai-compatible" && !p.baseUrl) report("BRN320", docs.models, `/providers/${esc(id)}`, `provider ${JSON.stringify(id)} is openai-compatible but has no baseUrl`, undefined, "key");
    return [id, { id, ...p }];
  }));
  const models: Record<string, Model> = {};
  for (const [id, m] of Object.entries(modelsFile.models).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!check("BRN208", "provider", providers, m.provider, docs.models, `/models/${esc(id)}/provider`)) continue;
    models[id] = { id, provider: providers[m.provider], name: m.id, contextWindow: m.contextWindow, maxOutputTokens: m.maxOutputTokens, costPerMTokUsd: m.costPerMTokUsd, capabilities: [...(m.capabilities ?? [])] };
  }
  const chainOf = (ids: string[], doc: Document<unknown>, pointer: string): Model[] =>
    ids.flatMap((m, i) => (check("BRN207", "model", modelsFile.models, m, doc, `${pointer}/${i}`) && models[m] ? [models[m]] : []));
  const tiers = byId(Object.entries(modelsFile.tiers).sort(([a], [b]) => (a < b ? -1 : 1)).map(([tier, ids]): [string, Model[]] => [tier, chainOf(ids, docs.models, `/tiers/${esc(tier)}`)]));

  // Task classes and budgets.
  const budgets = routingFile.budgets ?? {};
  const tasks: Record<string, Route> = {};
  for (const [task, t] of Object.entries(routingFile.tasks).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const pointer = `/tasks/${esc(task)}`;
    const reserved = RESERVED_TASK_CLASSES.get(task);
    if (reserved) report("BRN104", docs.routing, pointer, `task class ${JSON.stringify(task)} is a reserved name: ${reserved}`, "rename the task class; to change the tier of work that names no task class, set routing.yaml default", "key");
    let chain: Model[] = [];
    if (t.tier !== undefined) chain = check("BRN209", "tier", tiers, t.tier, docs.routing, `${pointer}/tier`) ? tiers[t.tier] : [];
    else if (t.models) chain = chainOf(t.models, docs.routing, `${pointer}/models`);
    tasks[task] = { task, description: t.description, tier: t.tier, chain, budget: budgets.tasks?.[task] };
  }
  check("BRN209", "tier", tiers, routingFile.default, docs.routing, "/default");
  const defaultRoute: Route = { task: "default", tier: routingFile.default, chain: tiers[routingFile.default] ?? [] };
  const taskRoute = (task: string | undefined, doc: Document<unknown>, pointer: string): Route => {
    if (task === undefined) return defaultRoute;
    return check("BRN210", "task class", tasks, task, doc, pointer) ? tasks[task] : defaultRoute;
  };
  // Budgets are keyed by task class and agent id: an unknown one points at its key.
  for (const task of Object.keys(budgets.tasks ?? {})) check("BRN210", "task class", tasks, task, docs.routing, `/budgets/tasks/${esc(task)}`, "key");
  for (const id of Object.keys(budgets.agents ?? {})) check("BRN212", "agent", docs.agents, id, docs.routing, `/budgets/agents/${esc(id)}`, "key");
  checkBudgets(budgets, (pointer, code, message) => report(code, docs.routing, pointer, message), docs.routing.base?.budgets?.global, (pointer) => docs.routing.overlay !== undefined && docs.routing.fileOf(pointer) === docs.routing.overlay);

  // MCP servers.
  const mcpServers = manifest.mcpServers ?? {};
  for (const [name, s] of Object.entries(mcpServers)) {
    const remote = ["url", "transport", "headers"].filter((k) => k in s);
    const local = ["command", "args", "env", "cwd"].filter((k) => k in s);
    if (remote.length && local.length) report("BRN323", docs.manifest, `/mcpServers/${esc(name)}`, `MCP server ${JSON.stringify(name)} mixes remote keys (${remote.join(", ")}) with local keys (${local.join(", ")})`, undefined, "key");
  }

  // Tools.
  const tools: Record<string, Tool> = {};
  for (const [id, doc] of Object.entries(docs.tools)) {
    const t = doc.value;
    if (t.implementation.mcp) check("BRN211", "MCP server", mcpServers, t.implementation.mcp.server, doc, "/implementation/mcp/server");
    if (t.implementation.http) checkPlaceholders(t, doc, report);
    tools[id] = { id, source: doc.file, ...t };
  }
  const toolIds = Object.keys(tools);

  // Policies: every tool name or glob must match a tool.
  const policies = byId(Object.entries(docs.policies).map(([id, doc]): [string, Policy & { id: string; source: string }] => {
    for (const list of ["allow", "deny", "requireApproval"] as const) {
      (doc.value.tools?.[list] ?? []).forEach((pattern, i) => {
        if (!matchTools([pattern], toolIds).length) report("BRN213", doc, `/tools/${list}/${i}`, `${JSON.stringify(pattern)} matches no tool`, didYouMeanHint(pattern, toolIds));
      });
    }
    return [id, { id, source: doc.file, ...doc.value }];
  }));
  const resolvedPolicies = byId(Object.entries(docs.policies).map(([id, doc]): [string, Policy] => [id, resolveToolNames(doc.value, toolIds)]));
  const defaultPolicies = manifest.defaults?.policies ?? [];
  defaultPolicies.forEach((p, i) => check("BRN205", "policy", policies, p, docs.manifest, `/defaults/policies/${i}`));

  // Memory.
  const namespaces = docs.memory?.value.namespaces ?? {};
  const memory = byId(Object.entries(namespaces).sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, ns]): [string, Namespace] => {
    (ns.writers ?? []).forEach((w, i) => {
      const pointer = `/namespaces/${esc(id)}/writers/${i}`;
      if (!check("BRN212", "agent", docs.agents, w, docs.memory!, pointer)) return;
      if (ns.scope === "agent") report("BRN217", docs.memory!, pointer, `namespace ${JSON.stringify(id)} is agent-scoped, so it has no writers list (each agent writes its own)`);
      else if (!(docs.agents[w].value.memory ?? []).includes(id)) report("BRN217", docs.memory!, pointer, `writer ${JSON.stringify(w)} does not list namespace ${JSON.stringify(id)} in its memory`);
    });
    return [id, { id, ...ns }];
  }));

  // Templates.
  const template = (doc: TemplateDocument): Template => ({ id: doc.id, source: doc.file, description: doc.frontmatter.description, input: (doc.frontmatter.input ?? {}) as Template["input"], body: doc.body, bodyLine: doc.bodyLine });
  const prompts = byId(Object.entries(docs.prompts).map(([id, doc]): [string, Template] => [id, template(doc)]));
  const partials = byId(Object.entries(docs.partials).map(([id, doc]): [string, Template] => [id, template(doc)]));

  // Agents.
  const used = { prompts: new Set<string>(), tools: new Set<string>(), policies: new Set<string>(defaultPolicies), memory: new Set<string>() };
  const reportedBins = new Set<string>();
  const agents: Record<string, Agent> = {};
  for (const [id, doc] of Object.entries(docs.agents)) {
    const a = doc.value;
    const prompt = check("BRN201", "prompt", prompts, a.prompt, doc, "/prompt") ? prompts[a.prompt] : undefined;
    const persona = a.persona !== undefined && check("BRN201", "prompt", prompts, a.persona, doc, "/persona") ? prompts[a.persona] : undefined;
    if (prompt) used.prompts.add(prompt.id);
    if (persona) used.prompts.add(persona.id);
    const own = (a.policies ?? []).filter((p, i) => check("BRN205", "policy", policies, p, doc, `/policies/${i}`));
    const policyIds = [...new Set([...defaultPolicies.filter((p) => Object.hasOwn(policies, p)), ...own])];
    policyIds.forEach((p) => used.policies.add(p));
    const declared = (a.tools ?? []).filter((t) => Object.hasOwn(tools, t));
    const { policy, provenance } = mergePolicies(policyIds.map((p) => ({ id: p, source: policies[p].source, sourceOf: policySourceOf(docs.policies[p]), policy: forAgent(resolvedPolicies[p], declared) })));
    const agentTools: Tool[] = [];
    (a.tools ?? []).forEach((t, i) => {
      if (!check("BRN204", "tool", tools, t, doc, `/tools/${i}`)) return;
      used.tools.add(t);
      const allowed = policy.tools?.allow === undefined || policy.tools.allow.includes(t);
      const denied = policy.tools?.deny?.includes(t) ?? false;
      if (!allowed || denied) {
        report("BRN219", doc, `/tools/${i}`, `tool ${JSON.stringify(t)} is ${denied ? "denied" : "not allowed"} by the effective policy of agent ${JSON.stringify(id)}, so the agent will not get it`, `see ${(provenance[denied ? "tools.deny" : "tools.allow"] ?? []).join(", ")}`);
        return;
      }
      agentTools.push(tools[t]);
    });
    const runsCommands = agentTools.some((t) => t.risk?.includes("exec"));
    if (runsCommands && !policy.tools?.exec?.allowBins && !policy.tools?.exec?.denyPatterns) {
      report("BRN324", doc, "/tools", `agent ${JSON.stringify(id)} can run commands but its effective policy sets no exec guards`, "add tools.exec.allowBins or tools.exec.denyPatterns to one of its policies", "key");
    }
    if (runsCommands) reportRiskyBins(id, policy.tools?.exec?.allowBins ?? [], policyIds.map((p) => docs.policies[p]), reportedBins, report);
    const agentMemory = (a.memory ?? []).flatMap((m, i) => (check("BRN206", "memory namespace", memory, m, doc, `/memory/${i}`) ? [memory[m]] : []));
    agentMemory.forEach((m) => used.memory.add(m.id));
    const schedules = (a.schedules ?? []).map((s, i) => {
      if (s.every !== undefined) checkInterval("schedule", s.every, (m, hint) => report("BRN105", doc, `/schedules/${i}/every`, m, hint));
      if (s.cron !== undefined) checkCron(s.cron, (m, hint) => report("BRN321", doc, `/schedules/${i}/cron`, m, hint));
      if (s.timezone !== undefined && !isTimeZone(s.timezone)) report("BRN322", doc, `/schedules/${i}/timezone`, `unknown time zone ${JSON.stringify(s.timezone)}`, timeZoneHint(s.timezone));
      return { ...s, route: taskRoute(s.task ?? a.task, doc, s.task !== undefined ? `/schedules/${i}/task` : "/task") };
    });
    if (a.heartbeat) checkInterval("heartbeat", a.heartbeat.every, (m, hint) => report("BRN105", doc, "/heartbeat/every", m, hint));
    const heartbeat = a.heartbeat && { ...a.heartbeat, route: taskRoute(a.heartbeat.task ?? a.task, doc, a.heartbeat.task !== undefined ? "/heartbeat/task" : "/task") };
    if (!prompt) continue;
    agents[id] = {
      id,
      source: doc.file,
      name: a.name,
      description: a.description,
      identity: a.identity,
      route: taskRoute(a.task, doc, "/task"),
      prompt,
      persona,
      instructions: "",
      tools: agentTools,
      memory: agentMemory,
      policies: policyIds,
      policy,
      provenance,
      schedules,
      heartbeat,
      channels: [...(a.channels ?? [])],
      budget: budgets.agents?.[id],
    };
  }
  // Unused entities are only worth a warning when nothing is broken (a typo makes its target "unused").
  if (!diagnostics.some((d) => d.severity === "error")) reportUnused(docs, used, report);

  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  const files = [docs.manifest, docs.models, docs.routing, docs.memory, ...Object.values(docs.agents), ...Object.values(docs.tools), ...Object.values(docs.policies), ...Object.values(docs.prompts), ...Object.values(docs.partials)];
  const sources = [...new Set(files.flatMap((d) => (d ? [d.file] : [])).concat(docs.env !== "default" ? [`overlays/${docs.env}.yaml`] : []))].sort();
  const brain: Brain = {
    formatVersion: 1,
    name: manifest.name,
    description: manifest.description,
    env: docs.env,
    gateway: manifest.gateway,
    mcpServers,
    targetOptions: (manifest.targets ?? {}) as Brain["targetOptions"],
    providers,
    models,
    tiers,
    tasks,
    defaultRoute,
    // Each field's default (routing.schema.json) is filled here, once, so every target and the runtime agree.
    fallback: { on: ["rate_limit", "timeout", "server_error"], retriesPerModel: 0, ...routingFile.fallback },
    budgets: { global: budgets.global, onExceeded: budgets.onExceeded ?? "block" },
    tools,
    policies,
    memory,
    prompts,
    partials,
    agents,
    sources,
  };
  return { brain, diagnostics };
}

/**
 * The file that set a policy field (a dotted path, as in `provenance`): the overlay's for the values an
 * overlay set. Undefined for a policy no overlay patched (its own file set every field).
 */
const policySourceOf = (doc: Document<Policy>) => (doc.overlay ? (path: string) => doc.fileOf(`/${path.split(".").map(esc).join("/")}`) : undefined);

type Report = (code: Code, doc: { locate: Document<unknown>["locate"] }, pointer: string, message: string, hint?: string, part?: "key" | "value") => void;

/**
 * Agent and task budgets may not exceed the global budget of the same period; monthly ≥ daily. A budget
 * above the global one is reported at its own value; when an overlay lowered the global value below a
 * budget that the base brain's global (`baseGlobal`) allowed, at the overlay's global value instead, where
 * the conflict came in (`byOverlay`: whether an overlay set the value at a pointer).
 */
function checkBudgets(budgets: NonNullable<Documents["routing"]["value"]["budgets"]>, report: (pointer: string, code: Code, message: string) => void, baseGlobal: Budget | undefined, byOverlay: (pointer: string) => boolean): void {
  const global = budgets.global;
  const scopes: [string, Record<string, Budget> | undefined][] = [["agents", budgets.agents], ["tasks", budgets.tasks]];
  const all: [string, Budget][] = global ? [["/budgets/global", global]] : [];
  for (const [scope, entries] of scopes) {
    for (const [id, b] of Object.entries(entries ?? {})) {
      const pointer = `/budgets/${scope}/${esc(id)}`;
      all.push([pointer, b]);
      for (const period of ["dailyUsd", "monthlyUsd"] as const) {
        if (global?.[period] !== undefined && b[period] !== undefined && b[period]! > global[period]!) {
          const [own, globalAt] = [`${pointer}/${period}`, `/budgets/global/${period}`];
          const allowedByBase = baseGlobal?.[period] === undefined || b[period]! <= baseGlobal[period]!;
          report(byOverlay(globalAt) && !byOverlay(own) && allowedByBase ? globalAt : own, "BRN310", `${scope.slice(0, -1)} ${JSON.stringify(id)} ${period} ${b[period]} is above the global ${period} ${global[period]}`);
        }
      }
    }
  }
  for (const [pointer, b] of all) {
    if (b.dailyUsd !== undefined && b.monthlyUsd !== undefined && b.monthlyUsd < b.dailyUsd) report(`${pointer}/monthlyUsd`, "BRN311", `monthlyUsd ${b.monthlyUsd} is below dailyUsd ${b.dailyUsd}`);
  }
}

/** `{{name}}` placeholders of an http tool's url, headers, query and body must be input properties. */
function checkPlaceholders(tool: Tool | Omit<Tool, "id" | "source">, doc: Document<unknown>, report: Report): void {
  const http = tool.implementation.http!;
  const props = Object.keys((tool.input as { properties?: object }).properties ?? {});
  const strings: [string, string][] = [["/implementation/http/url", http.url]];
  for (const [k, v] of Object.entries(http.headers ?? {})) strings.push([`/implementation/http/headers/${esc(k)}`, v]);
  for (const [k, v] of Object.entries((http as { query?: Record<string, string> }).query ?? {})) strings.push([`/implementation/http/query/${esc(k)}`, String(v)]);
  const collect = (value: unknown, pointer: string): void => {
    if (typeof value === "string") strings.push([pointer, value]);
    else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) collect(v, `${pointer}/${esc(k)}`);
  };
  collect((http as { body?: unknown }).body, "/implementation/http/body");
  for (const [pointer, s] of strings) {
    for (const m of s.matchAll(PLACEHOLDER)) {
      if (!props.includes(m[1])) report("BRN326", doc, pointer, `placeholder {{${m[1]}}} is not a property of the tool's input`, didYouMeanHint(m[1], props));
    }
  }
}

/**
 * The shortest `every` of a schedule or heartbeat. n8n's Schedule Trigger counts whole seconds (1 at the
 * least); OpenClaw rejects a zero cron interval (`cron add --every 0s`) and takes a zero heartbeat as "off".
 */
const MIN_INTERVAL_MS = 1000;

/** A schedule's or heartbeat's `every` must be at least {@link MIN_INTERVAL_MS}: 0 and sub-second intervals are errors. */
function checkInterval(what: "schedule" | "heartbeat", every: string, report: (message: string, hint: string) => void): void {
  const ms = durationMs(every);
  if (Number.isNaN(ms) || ms >= MIN_INTERVAL_MS) return; // a malformed duration is the schema's error (BRN104)
  const openclaw = what === "heartbeat" ? `OpenClaw takes a heartbeat of 0 as "off"` : "OpenClaw rejects a zero interval";
  report(`every: ${every} is ${ms === 0 ? "zero" : "shorter than 1s"}; a ${what} runs at most once a second (n8n's Schedule Trigger counts whole seconds, and ${openclaw})`, `write 1s or more, for example ${what === "heartbeat" ? "30m" : "30s or 5m"}`);
}

/** The 5-field form of each cron macro (`@reboot`, run at start-up, has none). */
const CRON_MACROS: Record<string, string | undefined> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
  "@reboot": undefined,
};

function checkCron(expr: string, report: (message: string, hint?: string) => void): void {
  const macro = expr.trim().toLowerCase();
  if (macro.startsWith("@")) {
    const known = Object.hasOwn(CRON_MACROS, macro);
    const equivalent = known ? CRON_MACROS[macro] : undefined;
    const hint = equivalent !== undefined
      ? `write ${JSON.stringify(equivalent)}`
      : known
        ? "@reboot (run at start-up) has no 5-field form; a schedule runs at times (cron) or at intervals (every)"
        : "write 5 fields: minute hour day-of-month month day-of-week, for example \"0 9 * * 1-5\"";
    return report(`cron macro ${JSON.stringify(expr.trim())} is not supported; brains use 5-field cron expressions`, hint);
  }
  const fields = expr.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return report(`cron expression ${JSON.stringify(expr)} has ${plural(fields.length, "field")}; brains use 5 (minute hour day-of-month month day-of-week)`);
  try {
    const { Cron } = createRequire(import.meta.url)("croner") as typeof import("croner"); // loaded only for brains with cron schedules
    const cron = new Cron(expr, { paused: true });
    // Only a day of the month in restricted months, with any day of the week, can name a date that never
    // comes; whether a day exists does not depend on the time zone (none is given: Intl's zone data costs ms).
    if (fields[2] !== "*" && fields[3] !== "*" && (fields[4] === "*" || fields[4] === "?") && cron.nextRun() === null) {
      report(`cron expression ${JSON.stringify(expr)} never fires: no month has the day of the month it names`, "February has at most 29 days; April, June, September and November have 30");
    }
  } catch (e) {
    report(`invalid cron expression ${JSON.stringify(expr)}: ${(e as Error).message.replace(/^CronPattern: /, "")}`);
  }
}

/** The hint that lists the ids there are (`known tiers: cheap, strong`), when there are a few; else undefined. */
function knownHint(what: string, ids: string[]): string | undefined {
  if (!ids.length || ids.length > 12) return undefined;
  const plural = what.endsWith("y") ? `${what.slice(0, -1)}ies` : what.endsWith("s") ? `${what}es` : `${what}s`;
  return `known ${plural}: ${[...ids].sort().join(", ")}`;
}

let canonicalZones: Set<string> | undefined;

/**
 * `did you mean "Europe/London"?` for an unknown time zone: the closest IANA name, ignoring case, or
 * for a bare city ("London", "new york") the zone named after it; else an example of a valid name.
 */
function timeZoneHint(tz: string): string {
  const zones = ["UTC", ...Intl.supportedValuesOf("timeZone")];
  const byLower = new Map(zones.map((z) => [z.toLowerCase(), z]));
  const wanted = tz.trim().toLowerCase().replace(/\s+/g, "_");
  const city = (z: string) => z.slice(z.lastIndexOf("/") + 1);
  let best = byLower.get(wanted);
  if (best === undefined && !wanted.includes("/")) {
    // A bare city: the zone whose last part it is, or is close to.
    const byCity = new Map<string, string>();
    for (const z of zones) if (z.includes("/") && !byCity.has(city(z).toLowerCase())) byCity.set(city(z).toLowerCase(), z);
    const near = byCity.get(wanted) === undefined ? didYouMean(wanted, byCity.keys()) : wanted;
    best = near === undefined ? undefined : byCity.get(near);
  }
  if (best === undefined) {
    const near = didYouMean(wanted, byLower.keys());
    best = near === undefined ? undefined : byLower.get(near);
  }
  return best !== undefined ? `did you mean ${JSON.stringify(best)}?` : 'use an IANA name such as "Europe/Berlin", "America/New_York" or "UTC"';
}

/** Whether `tz` is an IANA time zone: the canonical list first (cheap), ICU's full resolver for aliases. */
function isTimeZone(tz: string): boolean {
  if ((canonicalZones ??= new Set(["UTC", "Etc/UTC", ...Intl.supportedValuesOf("timeZone")])).has(tz)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * BRN327 for each program of an agent's effective `tools.exec.allowBins` that runs code of its own
 * ({@link runsCode}), BRN328 for each that prints the environment ({@link printsEnvironment}), at the first
 * of the agent's policies (`policyDocs`, in merge order) that lists it; once per policy and program
 * (`reported` keeps `policy file + program` across agents).
 */
function reportRiskyBins(agent: string, allowBins: readonly string[], policyDocs: Document<Policy>[], reported: Set<string>, report: Report): void {
  for (const bin of allowBins) {
    const runs = runsCode(bin);
    const prints = printsEnvironment(bin);
    const doc = policyDocs.find((d) => d.value.tools?.exec?.allowBins?.includes(bin));
    if ((!runs && !prints) || !doc || reported.has(`${doc.file}\0${bin}`)) continue;
    reported.add(`${doc.file}\0${bin}`);
    const at = `/tools/exec/allowBins/${doc.value.tools!.exec!.allowBins!.indexOf(bin)}`;
    const lets = `tools.exec.allowBins lets agent ${JSON.stringify(agent)} run ${JSON.stringify(bin)}`;
    if (runs) report("BRN327", doc, at, `${lets}, which runs code of its own (${runs}), so the allow list does not confine what the agent runs`, "leave it out of allowBins (cut, sort, uniq -c, wc and grep cover most log work), or keep every call behind tools.requireApproval");
    else report("BRN328", doc, at, `${lets}, which prints the environment its commands run in (${prints}), where the runtime keeps secrets such as API keys: they would reach the model`, "leave it out of allowBins (grep and cut read JSON lines too), or keep every call behind tools.requireApproval");
  }
}

function reportUnused(docs: Documents, used: Record<"prompts" | "tools" | "policies" | "memory", Set<string>>, report: Report): void {
  for (const [kind, entries] of [["prompt", docs.prompts], ["tool", docs.tools], ["policy", docs.policies]] as const) {
    const set = used[kind === "policy" ? "policies" : (`${kind}s` as "prompts" | "tools")];
    for (const [id, doc] of Object.entries(entries)) {
      if (!set.has(id)) report("BRN218", doc, "", `${kind} ${JSON.stringify(id)} is used by no agent`);
    }
  }
  for (const id of Object.keys(docs.memory?.value.namespaces ?? {})) {
    if (!used.memory.has(id)) report("BRN218", docs.memory!, `/namespaces/${esc(id)}`, `memory namespace ${JSON.stringify(id)} is used by no agent`, undefined, "key");
  }
}
