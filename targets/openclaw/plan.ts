import { contractPieces, urlPlaces } from "../../src/emit/placeholders.js";
import { durationSeconds } from "../../src/link/durations.js";
import type { Agent, Brain, Tool } from "../../src/link/model.js";
import { channelBindings, shadowedBindings } from "./bindings.js";
import { EnvRenderer } from "./env.js";
import { agentLimits, type AgentLimits } from "./limits.js";
import { memoryFiles, type MemoryFile } from "./memory.js";
import { skillEnvDefaults } from "./skills.js";
import { agentTools, toolRoute, type AgentTools } from "./tools.js";

/** brain.yaml `targets.openclaw` (see schemas/brain.schema.json). */
export interface OpenClawOptions {
  /** OpenClaw release the output is for; only "2026.9" (validated against openclaw@2026.9.6). */
  version?: "2026.9";
  /** Folder of the agents' workspaces (`<workspaceRoot>/<agent id>`); default `~/.openclaw/brains/<brain name>`. */
  workspaceRoot?: string;
  /** What the Skill Workshop does with the skills it learns (`skills.workshop.autonomous.mode`); default "off". */
  skillWorkshop?: SkillWorkshopMode;
}

/**
 * `skills.workshop.autonomous.mode` (OpenClaw 2026.9). OpenClaw's own default, "auto", applies the skills
 * its Skill Workshop learns from sessions (they live outside the brain) and keeps an enabled weekly
 * "skill-collection-review:<agent>" cron job per agent, an agent turn on the agent's model; with "off"
 * (brainc's default) those jobs stay disabled, and "propose" queues the skills for a person to accept.
 */
export type SkillWorkshopMode = "off" | "propose" | "auto";

/** Everything the emitters need to know about one agent. */
export interface AgentPlan {
  agent: Agent;
  /** `agents.entries.<id>.workspace`: `<workspaceRoot>/<id>`, env references rendered. */
  workspace: string;
  tools: AgentTools;
  limits: AgentLimits;
  memory: MemoryFile[];
  /** Job timeout from `loop.maxDuration`, seconds. */
  timeoutSeconds?: number;
  /** Other things of this agent that OpenClaw cannot express, each saying what brainc did and what to use instead (BRN509). */
  notes: string[];
  /**
   * Where OpenClaw would run this agent differently from what the brain says, with nothing making up for
   * it (BRN512), each "<what happens>; <what to do about it>" (the last "; " starts the hint).
   */
  differences: string[];
}

/** The brain as the OpenClaw emitters see it. */
export interface Plan {
  brain: Brain;
  /** Rendered workspace root (env references in OpenClaw's `${NAME}` form). */
  workspaceRoot: string;
  env: EnvRenderer;
  agents: AgentPlan[];
  skillWorkshop: SkillWorkshopMode;
}

export { OPENCLAW_CHANNELS } from "./bindings.js";

/** Works out, once, the workspace, tool policy, limits and memory files of every agent (sorted by id). */
export function plan(brain: Brain, options: OpenClawOptions): Plan {
  const env = new EnvRenderer();
  const workspaceRoot = env.text((options.workspaceRoot ?? `~/.openclaw/brains/${brain.name}`).replace(/\/+$/, ""));
  const agents = Object.values(brain.agents).map((agent): AgentPlan => {
    const memory = memoryFiles(agent, workspaceRoot);
    const tools = agentTools(agent, brain.tools, memory.some((m) => m.writable), Object.keys(brain.mcpServers));
    const notes: string[] = [];
    for (const t of tools.unavailable) notes.push(`tool "${t.id}" has no OpenClaw implementation (implementation.builtin.openclaw), so the agent does not get it; run it with the supervisor or n8n target`);
    const differences: string[] = [];
    if (agent.policy.tools?.paths?.workspaceOnly && memory.some((m) => m.namespace.scope === "shared")) differences.push(`the shared memory files under ${workspaceRoot}/shared/ lie outside the workspace that tools.fs.workspaceOnly confines the agent to, so OpenClaw refuses the agent's reads and writes of them; enforce the path rules with the supervisor target instead, or keep the agent's shared memory in its workspace`);
    if (tools.skillExec?.beyondPolicy && !tools.curlForSkillsOnly) differences.push(skillExecDifference(tools));
    for (const tool of agent.tools) {
      const names = toolRoute(tool).kind === "skill" ? hostVariables(tool) : [];
      if (names.length) differences.push(`its HTTP skill "${tool.id}" takes the URL's host from ${names.map((n) => `\${${n}}`).join(", ")}, which curl reads from the environment, and OpenClaw lets the model set environment variables for an exec command (the exec tool's \`env\`), so the model can send the request, headers included, to another host; write the host into the URL, or run the tool with the n8n or supervisor target`);
    }
    if (tools.approvalWidened.length && tools.exec) {
      const ids = tools.approvalWidened.map((t) => `"${t.id}"`).join(", ");
      differences.push(`OpenClaw has one approval rule for all of an agent's exec commands (tools.exec ask "${tools.exec.ask}", which another of its exec tools needs), so ${ids} ${tools.approvalWidened.length === 1 ? "needs" : "need"} a human's approval ${tools.exec.ask === "always" ? "on every call" : "whenever a command misses the allowlist"} too, which the brain does not ask for; run ${tools.approvalWidened.length === 1 ? "it" : "them"} with the supervisor target, or give the agent its exec tools with the same approval`);
    }
    // Scheduled runs deliver nothing themselves (cron.ts --no-deliver, the heartbeat's target "none"): the agent posts through its tools.
    const unattended = [...(agent.schedules.length ? ["cron jobs"] : []), ...(agent.heartbeat ? ["heartbeat"] : [])];
    const messaging = agent.tools.some((t) => t.risk?.includes("message") && !tools.unavailable.includes(t));
    if (unattended.length && !messaging) notes.push(`OpenClaw runs its ${unattended.join(" and ")} without delivering the replies (agents post through their own tools), and it has no tool that sends a message (risk message), so what those runs produce reaches no one; give it one (a Slack or chat tool, say)`);
    if (!brain.gateway && agent.heartbeat && agent.heartbeat.route.chain.length > 1) notes.push(`the heartbeat runs on its primary model only (OpenClaw's heartbeat.model has no fallbacks); route it through the litellm gateway (brain.yaml gateway) to keep the fallbacks`);
    if (agent.identity?.avatar && !/^https:\/\//.test(agent.identity.avatar)) notes.push(`identity.avatar "${agent.identity.avatar}" is a file of the brain, which brainc does not copy; copy it into the workspace and set it with \`openclaw agents set-identity\``);
    const maxDuration = agent.policy.loop?.maxDuration;
    return {
      agent,
      workspace: `${workspaceRoot}/${agent.id}`,
      tools,
      limits: agentLimits(brain, agent, tools),
      memory,
      timeoutSeconds: maxDuration === undefined ? undefined : durationSeconds(maxDuration),
      notes,
      differences,
    };
  });
  for (const { shadowed, winner } of shadowedBindings(channelBindings(agents))) {
    const account = shadowed.match.accountId === undefined ? "its default account" : `account "${shadowed.match.accountId}"`;
    agents.find((a) => a.agent.id === shadowed.agentId)!.differences.push(`"${winner.agentId}" is bound to ${shadowed.match.channel} ${account} too; OpenClaw routes every message there to the first binding, "${winner.agentId}", so "${shadowed.agentId}" never gets one; give one of them another ${shadowed.match.channel} account (channels[].accountId)`);
  }
  return { brain, workspaceRoot, env, agents, skillWorkshop: options.skillWorkshop ?? "off" };
}

/** A BRN512 that concerns the brain rather than one agent, with the brain file it points at. */
export interface BrainDifference {
  file: string;
  message: string;
}

/**
 * The env-related BRN512s of a build (read them after openclaw.json is rendered: rendering collects the
 * defaults): credential defaults that brainc does not write, and variables whose defaults disagree while
 * `env.vars` (OpenClaw 2026.9 applies it to the whole gateway process, exec and so curl included) sets one.
 */
export function envDifferences(p: Plan): BrainDifference[] {
  const out: BrainDifference[] = p.env.droppedSecretDefaults.map((d) => ({
    file: d.file,
    message: `the default of the credential \${env:${d.name}:-…} is not written into openclaw.json (it would be a plaintext secret in env.vars); OpenClaw reads ${d.name} only from the environment, so set it where the gateway runs`,
  }));
  const skillDefaults = p.agents.flatMap((a) => a.agent.tools.filter((t) => toolRoute(t).kind === "skill").flatMap(skillEnvDefaults));
  for (const c of p.env.conflicts(skillDefaults)) {
    const where = [...new Set(c.defaults.map((d) => `${JSON.stringify(d.value)} in ${d.file}`))].join(", ");
    out.push({ file: c.defaults[0].file, message: `the variable ${c.name} has different defaults (${where}); openclaw.json env.vars sets ${c.name} = ${JSON.stringify(c.applied)} for the whole gateway when it is unset, so every reference gets that one; give the references one default, or set ${c.name}` });
  }
  return out;
}

/** The env variables that give an http contract's URL its scheme or host (see urlPlaces). */
function hostVariables(tool: Tool): string[] {
  const pieces = contractPieces(tool, tool.implementation.http!.url);
  const places = urlPlaces(pieces);
  return [...new Set(pieces.flatMap((p, i) => ("env" in p && places[i] !== "rest" ? [p.env.env] : [])))];
}

/**
 * The BRN512 text for an agent whose http skills get exec + curl beyond its policy with curl not pinned to
 * the skills' commands (OpenClaw 2026.9 runs skills with exec; see approvals.ts).
 */
function skillExecDifference(tools: AgentTools): string {
  const s = tools.skillExec!;
  const why = s.deniedShellTools.length ? `denies the shell tool (${s.deniedShellTools.join(", ")})` : "leaves curl out of tools.exec.allowBins";
  return `its policy ${why}, but OpenClaw runs its HTTP skills (${tools.skills.join(", ")}) with exec, so the agent gets exec with curl on the allowlist, and curl runs with any arguments (it can read and send files and reach any host); AGENTS.md tells the agent to use it only for its skills; to keep the policy, run these tools with the n8n or supervisor target`;
}
