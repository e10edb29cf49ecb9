import type { Plan } from "./plan.js";
import { curlArgPattern } from "./skills.js";
import { type AgentTools, toolRoute } from "./tools.js";

/** An exec allowlist entry (OpenClaw 2026.9.6 exec approvals): a bare command name, and the arguments it may have. */
interface AllowlistEntry {
  pattern: string;
  argPattern?: string;
}

/**
 * `exec-approvals.json`: an exec approvals document (OpenClaw 2026.9, docs/tools/exec-approvals.md of
 * openclaw@2026.9.6) with each agent's allowlist, for `openclaw approvals set --file`: the commands its
 * policy lets exec start (with any arguments), and, where curl is there only for the http skills
 * ({@link AgentTools.curlForSkillsOnly}), one curl entry per skill whose `argPattern` allows exactly that
 * skill's command ({@link curlArgPattern}). Undefined when no agent has an allowlist.
 */
export function buildExecApprovals(plan: Plan): string | undefined {
  const agents: Record<string, { allowlist: AllowlistEntry[] }> = {};
  for (const a of plan.agents) {
    const allowlist = a.tools.execAllowlist.flatMap((bin): AllowlistEntry[] => {
      if (bin !== "curl" || !a.tools.curlForSkillsOnly) return [{ pattern: bin }];
      const skills = a.agent.tools.filter((t) => toolRoute(t).kind === "skill").sort((x, y) => (x.id < y.id ? -1 : 1));
      return skills.map((t) => ({ pattern: "curl", argPattern: curlArgPattern(t) }));
    });
    if (allowlist.length) agents[a.agent.id] = { allowlist };
  }
  return Object.keys(agents).length ? `${JSON.stringify({ version: 1, agents }, null, 2)}\n` : undefined;
}
