import { canonicalJson } from "../../src/emit/canonical.js";
import type { Brain, McpServer } from "../../src/link/model.js";
import type { EnvRenderer } from "./env.js";
import { providers, routeModel } from "./models.js";
import { channelBindings } from "./bindings.js";
import type { AgentPlan, Plan } from "./plan.js";
import type { AgentTools, ExecSettings } from "./tools.js";

/** A brain duration in OpenClaw's duration syntax (units ms, s, m, h; no days). */
export function openclawDuration(duration: string): string {
  const m = /^([0-9]+)d$/.exec(duration);
  return m ? `${Number(m[1]) * 24}h` : duration;
}

/** The smallest of some numbers, or undefined when there are none. */
const smallest = (values: (number | undefined)[]): number | undefined => {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
};

/** One `mcp.servers` entry; header values are credentials (their defaults are not written, see {@link EnvRenderer.secret}). */
function mcpServer(server: McpServer, env: EnvRenderer) {
  if (server.url !== undefined) return { url: env.text(server.url), transport: server.transport ?? "streamable-http", headers: env.record(server.headers, "brain.yaml", true) };
  return { command: server.command, args: server.args && server.args.map((a) => env.text(a)), env: env.record(server.env), cwd: server.cwd && env.text(server.cwd), transport: "stdio" };
}

/** OpenClaw 2026.9's defaults for injected bootstrap files (agents.defaults.bootstrapMaxChars / bootstrapTotalMaxChars). */
const BOOTSTRAP_MAX_CHARS = 20_000;
const BOOTSTRAP_TOTAL_MAX_CHARS = 60_000;

/** Sizes of an agent's bootstrap files (AGENTS.md, SOUL.md, IDENTITY.md), characters. */
export interface BootstrapSizes {
  largest: number;
  total: number;
}

/**
 * `tools.exec` of an agent: OpenClaw 2026.9's canonical `mode` where one means the same security and ask
 * (docs/tools/permission-modes.md of openclaw@2026.9.6: allowlist = allowlist/off, ask = allowlist/on-miss,
 * full = full/off), else the legacy `security` and `ask` pair (allowlist/always has no mode).
 */
function execConfig(exec: ExecSettings): { mode: string } | ExecSettings {
  const mode = ({ "allowlist/off": "allowlist", "allowlist/on-miss": "ask", "full/off": "full" } as Record<string, string>)[`${exec.security}/${exec.ask}`];
  return mode ? { mode } : exec;
}

function entry(brain: Brain, p: AgentPlan, sizes: BootstrapSizes | undefined) {
  const { agent, tools } = p;
  const id = agent.identity;
  const identity = id && { name: id.name, emoji: id.emoji, theme: id.theme, avatar: id.avatar && /^https:\/\//.test(id.avatar) ? id.avatar : undefined };
  const fs = agent.policy.tools?.paths?.workspaceOnly === true || tools.readOnlyForSkills;
  const deny = [...new Set([...tools.deny, ...sectionGrantsLeftOut(tools, fs)])].sort();
  return {
    name: agent.name,
    description: agent.description,
    // Raise the injection caps only for workspaces that would otherwise be truncated.
    bootstrapMaxChars: sizes && sizes.largest > BOOTSTRAP_MAX_CHARS ? sizes.largest : undefined,
    bootstrapTotalMaxChars: sizes && sizes.total > BOOTSTRAP_TOTAL_MAX_CHARS ? sizes.total : undefined,
    workspace: p.workspace,
    model: routeModel(brain, agent.route),
    heartbeat: agent.heartbeat && {
      every: openclawDuration(agent.heartbeat.every),
      model: routeModel(brain, agent.heartbeat.route).primary,
      prompt: agent.heartbeat.message,
      // The brain names no destination: run it internally. OpenClaw 2026.9's default target, "owner",
      // skips the heartbeat (reason=no-route) when no owner DM resolves.
      target: "none",
    },
    identity: identity && Object.values(identity).some((v) => v !== undefined) ? identity : undefined,
    skills: tools.skills,
    tools: {
      profile: "minimal",
      alsoAllow: tools.alsoAllow.length ? tools.alsoAllow : undefined,
      deny: deny.length ? deny : undefined,
      exec: tools.exec && execConfig(tools.exec),
      fs: fs ? { workspaceOnly: true } : undefined,
    },
  };
}

/**
 * The tools that a `tools.exec` or `tools.fs` section of an agent used to grant beside the "minimal"
 * profile (OpenClaw 2026.9.6, detectImplicitProfileGrants), which the agent does not get (not in
 * `alsoAllow`): OpenClaw warns on every run about each one that is neither allowed nor denied, so they
 * are denied, which changes nothing but says that brainc meant it.
 */
function sectionGrantsLeftOut(tools: AgentTools, fs: boolean): string[] {
  const grants = [...(tools.exec ? ["exec", "process"] : []), ...(fs ? ["read", "write", "edit"] : [])];
  return grants.filter((t) => !tools.alsoAllow.includes(t));
}

/**
 * openclaw.json for OpenClaw 2026.9 (format: `openclaw config schema` of openclaw@2026.9.6, copied to
 * targets/openclaw/config.schema.2026.9.6.json). OpenClaw keeps one run timeout and one compaction
 * setting for all agents: `agents.defaults` gets the smallest of the agents' values, and agents whose
 * own value differs get a note (BRN509). `bootstrap`: the sizes of each agent's bootstrap files, to raise
 * OpenClaw's injection caps where they would truncate them. Canonical JSON; no `meta` (machine-owned).
 */
export function buildConfig(plan: Plan, bootstrap: Readonly<Record<string, BootstrapSizes>> = {}): string {
  const { brain, env } = plan;
  const agents = plan.agents;
  const timeoutSeconds = smallest(agents.map((a) => a.timeoutSeconds));
  const keepRecentTokens = smallest(agents.map((a) => a.agent.policy.context?.keepRecentTokens));
  for (const a of agents) {
    if (a.timeoutSeconds !== undefined && a.timeoutSeconds !== timeoutSeconds) a.notes.push(`OpenClaw has one run timeout for all agents, agents.defaults.timeoutSeconds = ${timeoutSeconds} s (the smallest loop.maxDuration); this agent's ${a.agent.policy.loop?.maxDuration} applies to its cron jobs only; enforce it for every run with the supervisor target`);
    const keep = a.agent.policy.context?.keepRecentTokens;
    if (keep !== undefined && keep !== keepRecentTokens) a.notes.push(`OpenClaw has one compaction setting for all agents, keepRecentTokens = ${keepRecentTokens} (the smallest); this agent's ${keep} is not used; the supervisor target applies it`);
  }
  const bindings = channelBindings(agents);
  const servers = Object.entries(brain.mcpServers);
  const config = {
    models: { providers: providers(brain, env) },
    agents: {
      ownership: agents.length > 1 ? "explicit" : undefined,
      defaults: {
        workspace: plan.workspaceRoot,
        model: routeModel(brain, brain.defaultRoute),
        timeoutSeconds,
        compaction: keepRecentTokens === undefined ? undefined : { keepRecentTokens },
      },
      entries: Object.fromEntries(agents.map((a) => [a.agent.id, entry(brain, a, bootstrap[a.agent.id])])),
    },
    mcp: servers.length ? { servers: Object.fromEntries(servers.map(([name, s]) => [name, mcpServer(s, env)])) } : undefined,
    bindings: bindings.length ? bindings : undefined,
    // The Skill Workshop learns skills outside the brain: off unless the brain asks (plan.ts SkillWorkshopMode).
    skills: { workshop: { autonomous: { mode: plan.skillWorkshop } } },
    // OpenClaw 2026.9.6's `gateway run` refuses a config without gateway.mode ("missing gateway.mode. Treat
    // this as suspicious or clobbered config"); "local": this host runs the channels and agents.
    gateway: { mode: "local" },
  };
  // env.vars last: every env reference above has been rendered by now.
  const vars = [...env.defaults].sort(([a], [b]) => (a < b ? -1 : 1));
  return canonicalJson(vars.length ? { env: { vars: Object.fromEntries(vars) }, ...config } : config);
}
