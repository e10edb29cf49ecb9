import type { Agent, Tool } from "../../src/link/model.js";
import { mcpToolName } from "./mcp-names.js";

/**
 * How one brain tool contract reaches an OpenClaw 2026.9 agent:
 * - `builtin`: an OpenClaw core tool by name (`exec`, `read`, `web_fetch`, …), from `implementation.builtin.openclaw`;
 * - `mcp`: a tool of an `mcp.servers` entry, named `<server>__<tool>` as OpenClaw sanitises it ({@link mcpToolName});
 * - `skill`: an http contract, taught by the workspace skill `skills/<tool id>/SKILL.md` and run with `exec` + `curl`;
 * - `none`: a builtin contract with no OpenClaw implementation.
 */
export type ToolRoute = { kind: "builtin" | "mcp" | "skill"; name: string } | { kind: "none" };

/** The {@link ToolRoute} of a tool contract; `mcpServers`: the names of every brain.yaml `mcpServers` entry (MCP names depend on them). */
export function toolRoute(tool: Tool, mcpServers: readonly string[] = []): ToolRoute {
  const impl = tool.implementation;
  if (impl.http) return { kind: "skill", name: tool.id };
  if (impl.mcp) return { kind: "mcp", name: mcpToolName(impl.mcp.server, impl.mcp.tool, mcpServers) };
  if (impl.builtin?.openclaw) return { kind: "builtin", name: impl.builtin.openclaw };
  return { kind: "none" };
}

/** OpenClaw `tools.exec` security (who may run what) and ask (when a human approves). */
export interface ExecSettings {
  security: "allowlist" | "full";
  ask: "off" | "on-miss" | "always";
}

/** Everything the OpenClaw tool policy of one agent needs, derived from its tools and effective policy. */
export interface AgentTools {
  /** OpenClaw tool names added to the `minimal` profile (`agents.entries.<id>.tools.alsoAllow`), sorted. */
  alsoAllow: string[];
  /** OpenClaw tool names of tools the effective policy denies (`tools.deny`), sorted. */
  deny: string[];
  /** Workspace skills (http tool ids), sorted: the agent's `skills` allow-list. */
  skills: string[];
  /** `tools.exec` when the agent can run commands (a builtin exec tool, or curl for http skills). */
  exec?: ExecSettings;
  /** Bare command names that exec may start (the agent's exec approvals allowlist, see approvals.ts), sorted. */
  execAllowlist: string[];
  /**
   * curl is on the allowlist for the http skills only (not in a `tools.exec.allowBins` of the agent's
   * shell tool): its allowlist entries then let curl run each skill's command and nothing else.
   */
  curlForSkillsOnly: boolean;
  /** Contracts with no OpenClaw implementation (builtin without an `openclaw` name). */
  unavailable: Tool[];
  /** `read` is on only so that OpenClaw shows the skills (no memory, no read tool): confine it to the workspace, where the skills are. */
  readOnlyForSkills: boolean;
  /**
   * Set when the agent has http skills, which OpenClaw runs with exec + curl: whether that goes beyond the
   * effective policy, because the policy denies a tool that is OpenClaw's exec (`deniedShellTools`, brain
   * ids) or has a `tools.exec.allowBins` without `curl` (`allowBinsWithoutCurl`).
   */
  skillExec?: { beyondPolicy: boolean; deniedShellTools: string[]; allowBinsWithoutCurl: boolean };
  /** Tools that need a human's approval (always, or on-risk: when a call trips a guard) but that OpenClaw cannot gate (only exec has approvals). */
  approvalByInstruction: { tool: Tool; always: boolean }[];
  /**
   * Tools run with exec (http skills, the shell tool) that need less approval than `exec.ask`, which
   * OpenClaw 2026.9 sets once for all exec commands: they get asked about more often than the brain says.
   */
  approvalWidened: Tool[];
}

const ASK_ORDER = ["off", "on-miss", "always"] as const;

/** How much approval a tool call needs: from the contract's `approval` and the policy's `requireApproval`. */
function askFor(agent: Agent, tool: Tool): ExecSettings["ask"] {
  if (tool.approval === "always" || agent.policy.tools?.requireApproval?.includes(tool.id)) return "always";
  return tool.approval === "on-risk" ? "on-miss" : "off";
}

/** {@link AgentTools.skillExec} of an agent that has http skills. */
function skillExec(agent: Agent, allTools: Readonly<Record<string, Tool>>): NonNullable<AgentTools["skillExec"]> {
  const deniedShellTools = (agent.policy.tools?.deny ?? []).filter((id) => {
    const route = allTools[id] ? toolRoute(allTools[id]) : undefined;
    return route?.kind === "builtin" && route.name === "exec";
  });
  const allowBins = agent.policy.tools?.exec?.allowBins;
  const allowBinsWithoutCurl = allowBins !== undefined && !allowBins.includes("curl");
  return { beyondPolicy: deniedShellTools.length > 0 || allowBinsWithoutCurl, deniedShellTools, allowBinsWithoutCurl };
}

/**
 * The OpenClaw tool policy of an agent. Memory files need `read` (and `write`/`edit` when the agent writes
 * a namespace), and so do skills: the model reads a skill's SKILL.md with `read`. A denied brain tool
 * whose OpenClaw name the agent still needs (exec for curl) is not denied; exec's allowlist security
 * keeps it to the listed commands instead. `allTools`: the brain's
 * tool contracts by id (the policy's deny list names tools the agent does not get); `mcpServers`: the
 * names of the brain's MCP servers.
 */
export function agentTools(agent: Agent, allTools: Readonly<Record<string, Tool>>, writesMemory: boolean, mcpServers: readonly string[] = []): AgentTools {
  const allow = new Set<string>();
  const skills: string[] = [];
  const unavailable: Tool[] = [];
  const approvalByInstruction: AgentTools["approvalByInstruction"] = [];
  const allowlist = new Set<string>();
  let ask: ExecSettings["ask"] = "off";
  let execTool: Tool | undefined;
  const execTools: Tool[] = [];
  let needsExec = false;
  const raiseAsk = (a: ExecSettings["ask"]) => {
    if (ASK_ORDER.indexOf(a) > ASK_ORDER.indexOf(ask)) ask = a;
  };
  for (const tool of agent.tools) {
    const route = toolRoute(tool, mcpServers);
    if (route.kind === "none") {
      unavailable.push(tool);
      continue;
    }
    if (route.kind === "skill") {
      skills.push(route.name);
      execTools.push(tool);
      needsExec = true;
      allowlist.add("curl");
      raiseAsk(askFor(agent, tool));
      continue;
    }
    allow.add(route.name);
    if (route.kind === "builtin" && route.name === "exec") {
      execTool = tool;
      execTools.push(tool);
      needsExec = true;
      raiseAsk(askFor(agent, tool));
    } else if (askFor(agent, tool) !== "off") approvalByInstruction.push({ tool, always: askFor(agent, tool) === "always" });
  }
  if (needsExec) allow.add("exec");
  // OpenClaw 2026.9.6 lists the skills in the system prompt only when `read` is visible
  // (src/agents/system-prompt.ts); the `minimal` profile lacks it.
  const readOnlyForSkills = skills.length > 0 && !agent.memory.length && !allow.has("read");
  if (agent.memory.length || skills.length) allow.add("read");
  if (writesMemory) {
    allow.add("write");
    allow.add("edit");
  }
  const allowBins = agent.policy.tools?.exec?.allowBins;
  if (execTool && allowBins) for (const bin of allowBins) allowlist.add(bin);
  const security: ExecSettings["security"] = execTool && !allowBins ? "full" : "allowlist";
  const policyCurl = execTool !== undefined && allowBins?.includes("curl") === true;
  const deny = new Set<string>();
  for (const id of agent.policy.tools?.deny ?? []) {
    const denied = allTools[id];
    const route = denied ? toolRoute(denied, mcpServers) : undefined;
    if (route && route.kind !== "none" && route.kind !== "skill" && !allow.has(route.name)) deny.add(route.name);
  }
  return {
    readOnlyForSkills,
    skillExec: skills.length ? skillExec(agent, allTools) : undefined,
    alsoAllow: [...allow].sort(),
    deny: [...deny].sort(),
    skills: skills.sort(),
    exec: needsExec ? { security, ask } : undefined,
    execAllowlist: security === "allowlist" ? [...allowlist].sort() : [],
    curlForSkillsOnly: security === "allowlist" && skills.length > 0 && !policyCurl,
    unavailable,
    approvalByInstruction,
    approvalWidened: execTools.filter((t) => ASK_ORDER.indexOf(askFor(agent, t)) < ASK_ORDER.indexOf(ask)),
  };
}
