import type { Agent, Brain, Budget } from "../../src/link/model.js";
import type { AgentTools } from "./tools.js";

/**
 * What OpenClaw 2026.9 cannot enforce for one agent, in words for its AGENTS.md, and the names of the
 * brain fields involved, grouped by the brainc target that does enforce them.
 */
export interface AgentLimits {
  /** Markdown bullet lines ("- …") for the `## Policies` section of AGENTS.md. */
  lines: string[];
  /** Effective-policy fields that only the supervisor target enforces (e.g. "loop.maxSteps"). */
  supervisor: string[];
  /** Budgets (routing.yaml) that the litellm or supervisor target enforces. */
  budgets: string[];
}

const usd = (n: number) => `${n} USD`;

function budgetWords(b: Budget): string {
  const parts: string[] = [];
  if (b.dailyUsd !== undefined) parts.push(`${usd(b.dailyUsd)} a day (UTC)`);
  if (b.monthlyUsd !== undefined) parts.push(`${usd(b.monthlyUsd)} a month`);
  return parts.join(" and ");
}

const code = (words: string[]) => words.map((w) => `\`${w}\``).join(", ");

/**
 * What the agent may run with exec, in words that keep the policy apart from what OpenClaw 2026.9 needs
 * for http skills: it runs them with exec + curl, so curl is on the exec allowlist even where the policy
 * denies the shell tool or leaves curl out of `tools.exec.allowBins` (see {@link AgentTools.skillExec}).
 */
function execLines(tools: AgentTools): string[] {
  if (tools.exec?.security !== "allowlist") return [];
  const only = (bins: string[]) => (bins.length ? `- Shell commands may only start ${code(bins)}.` : "- Run no shell commands: no command is allowed.");
  const skills = tools.skillExec;
  if (!skills) return [only(tools.execAllowlist)];
  const forSkills = "OpenClaw runs your HTTP skills with `exec`, so `exec` may start `curl`: run it only as your skills show";
  if (skills.deniedShellTools.length) return [`- Run no shell commands: your policy denies ${code(skills.deniedShellTools)}. ${forSkills}, and nothing else.`];
  const own = tools.execAllowlist.filter((b) => b !== "curl");
  if (skills.allowBinsWithoutCurl) return [only(own), `- Except: ${forSkills} (your policy's \`tools.exec.allowBins\` does not list \`curl\`).`];
  return own.length ? [only(tools.execAllowlist)] : ["- Shell commands may only start `curl`, and only as your skills show: OpenClaw runs your HTTP skills with `exec`."];
}

/**
 * The policy of an agent as instructions, and what of it OpenClaw does not enforce. `tools` is the agent's
 * OpenClaw tool policy ({@link AgentTools}); what it already enforces (exec allowlist, workspaceOnly) is
 * stated in words too, so the model knows its fences.
 */
export function agentLimits(brain: Brain, agent: Agent, tools: AgentTools): AgentLimits {
  const p = agent.policy;
  const lines: string[] = [];
  const supervisor: string[] = [];
  const budgets: string[] = [];
  /** Adds an instruction line and the brain field it stands for (supervisor-enforced, or a budget). */
  const say = (line: string, field?: string, budget?: string) => {
    lines.push(line);
    if (field) supervisor.push(field);
    if (budget) budgets.push(budget);
  };
  const loop = p.loop ?? {};
  if (loop.maxSteps !== undefined) say(`- Stop a job after ${loop.maxSteps} steps (model turns) and say what is left undone.`, "loop.maxSteps");
  if (loop.maxToolCalls !== undefined) say(`- Make at most ${loop.maxToolCalls} tool calls in one job.`, "loop.maxToolCalls");
  if (loop.maxTokens !== undefined) say(`- Use at most ${loop.maxTokens} tokens (input and output) in one job.`, "loop.maxTokens");
  if (loop.maxCostUsd !== undefined) say(`- Spend at most ${usd(loop.maxCostUsd)} on one job.`, "loop.maxCostUsd");
  if (loop.maxDuration !== undefined) lines.push(`- Finish a job within ${loop.maxDuration}.`);
  if (loop.stopAfterNoProgress !== undefined) say(`- If ${loop.stopAfterNoProgress} steps in a row bring no new tool result and no new output, stop and report that you are stuck.`, "loop.stopAfterNoProgress");
  const ctx = p.context ?? {};
  if (ctx.compactAtPercent !== undefined) supervisor.push("context.compactAtPercent");
  if (ctx.maxCompactions !== undefined) supervisor.push("context.maxCompactions");
  const exec = p.tools?.exec;
  // An allow list that is empty (policies that intersect to nothing, or `allow: []`) allows nothing; it
  // is never dropped as if it were unset, which would turn "nothing" into "anything".
  lines.push(...execLines(tools));
  if (exec?.denyPatterns?.length) say(`- Never run a command that matches ${exec.denyPatterns.map((x) => `\`${x}\``).join(", ")}.`, "tools.exec.denyPatterns");
  for (const { tool, always } of tools.approvalByInstruction) lines.push(`- Ask a human and wait for approval before ${always ? `every call of \`${tool.id}\`` : `a call of \`${tool.id}\` that would break one of these policies`}.`);
  if (tools.approvalByInstruction.length) supervisor.push("tools.requireApproval");
  const paths = p.tools?.paths;
  if (paths?.workspaceOnly) lines.push("- Read and write files only inside your workspace.");
  // The memory files (AGENTS.md "Memory") are the agent's whatever its path rules say: the brain's
  // memory is not a file tool's, and OpenClaw keeps it in files.
  const memory = agent.memory.length ? " and your memory files (below)" : "";
  if (paths?.allow) say(paths.allow.length ? `- Touch files only under ${paths.allow.map((x) => `\`${x}\``).join(", ")}${memory}.` : `- Touch no files${memory ? ` but your memory files (below)` : ""}: no path is allowed.`, "tools.paths.allow");
  if (paths?.deny?.length) say(`- Never read or write ${paths.deny.map((x) => `\`${x}\``).join(", ")}.`, "tools.paths.deny");
  const net = p.tools?.network;
  if (net?.allow) say(net.allow.length ? `- Contact only these hosts: ${net.allow.map((x) => `\`${x}\``).join(", ")}.` : "- Contact no host at all: no host is allowed.", "tools.network.allow");
  if (net?.deny?.length) say(`- Never contact ${net.deny.map((x) => `\`${x}\``).join(", ")}.`, "tools.network.deny");
  if (p.retry?.maxAttempts !== undefined) say(`- Try a failing job at most ${p.retry.maxAttempts} times.`, "retry");
  if (p.checkpoint) supervisor.push("checkpoint");
  if (p.restart) supervisor.push("restart");
  if (p.health) supervisor.push("health");
  if (agent.budget) say(`- Your budget is ${budgetWords(agent.budget)}; stop non-urgent work when it is spent.`, undefined, `budgets.agents.${agent.id}`);
  for (const route of [agent.route, ...agent.schedules.map((s) => s.route), ...(agent.heartbeat ? [agent.heartbeat.route] : [])]) {
    const key = `budgets.tasks.${route.task}`;
    if (route.budget && !budgets.includes(key)) say(`- Work of task class \`${route.task}\` has a budget of ${budgetWords(route.budget)}, shared by all agents.`, undefined, key);
  }
  if (brain.budgets.global) say(`- All agents of ${brain.name} together have a budget of ${budgetWords(brain.budgets.global)}.`, undefined, "budgets.global");
  return { lines, supervisor, budgets };
}
