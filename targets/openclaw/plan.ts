import { durationSeconds } from "../../src/link/durations.js";
import type { Agent, Brain } from "../../src/link/model.js";
import { EnvRenderer } from "./env.js";
import { agentLimits, type AgentLimits } from "./limits.js";
import { memoryFiles, type MemoryFile } from "./memory.js";
import { agentTools, type AgentTools } from "./tools.js";

/** brain.yaml `targets.openclaw` (see schemas/brain.schema.json). */
export interface OpenClawOptions {
  /** OpenClaw release the output is for; only "2026.9" (validated against openclaw@2026.9.6). */
  version?: "2026.9";
  /** Folder of the agents' workspaces (`<workspaceRoot>/<agent id>`); default `~/.openclaw/brains/<brain name>`. */
  workspaceRoot?: string;
}

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
}

/** The brain as the OpenClaw emitters see it. */
export interface Plan {
  brain: Brain;
  /** Rendered workspace root (env references in OpenClaw's `${NAME}` form). */
  workspaceRoot: string;
  env: EnvRenderer;
  agents: AgentPlan[];
}

/** Channels that are OpenClaw channel plugins (bindings); the rest (webhook, chat) are n8n triggers. */
export const OPENCLAW_CHANNELS = new Set(["telegram", "whatsapp", "slack", "discord", "signal", "imessage"]);

/** Works out, once, the workspace, tool policy, limits and memory files of every agent (sorted by id). */
export function plan(brain: Brain, options: OpenClawOptions): Plan {
  const env = new EnvRenderer();
  const workspaceRoot = env.text((options.workspaceRoot ?? `~/.openclaw/brains/${brain.name}`).replace(/\/+$/, ""));
  const agents = Object.values(brain.agents).map((agent): AgentPlan => {
    const memory = memoryFiles(agent, workspaceRoot);
    const tools = agentTools(agent, brain.tools, memory.some((m) => m.writable));
    const notes: string[] = [];
    for (const t of tools.unavailable) notes.push(`tool "${t.id}" has no OpenClaw implementation (implementation.builtin.openclaw), so the agent does not get it; run it with the supervisor or n8n target`);
    if (agent.policy.tools?.paths?.workspaceOnly && memory.some((m) => m.namespace.scope === "shared")) notes.push(`the shared memory files under ${workspaceRoot}/shared/ lie outside the workspace that tools.fs.workspaceOnly confines the agent to; enforce the path rules with the supervisor target instead, or keep the agent's shared memory in its workspace`);
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
    };
  });
  return { brain, workspaceRoot, env, agents };
}
