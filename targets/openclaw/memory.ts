import type { Agent, Namespace } from "../../src/link/model.js";

/** Where a memory namespace lives for an agent, and whether the agent may write it. */
export interface MemoryFile {
  namespace: Namespace;
  /** Path of the JSON Lines file: workspace-relative for agent scope, under `<workspaceRoot>/shared/` for shared scope. */
  path: string;
  writable: boolean;
}

/**
 * The memory files of an agent. OpenClaw keeps memory as files in the workspace, so each brain namespace
 * becomes one JSON Lines file (one record per line): `memory/<namespace>.jsonl` in the agent's workspace
 * (scope agent), or `<workspaceRoot>/shared/memory/<namespace>.jsonl` (scope shared), which every agent
 * that lists the namespace reads and only its `writers` write.
 */
export function memoryFiles(agent: Agent, workspaceRoot: string): MemoryFile[] {
  return agent.memory.map((namespace) => {
    const shared = namespace.scope === "shared";
    return {
      namespace,
      path: shared ? `${workspaceRoot}/shared/memory/${namespace.id}.jsonl` : `memory/${namespace.id}.jsonl`,
      writable: !shared || (namespace.writers ?? []).includes(agent.id),
    };
  });
}
