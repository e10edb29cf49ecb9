import type { CredentialRef } from "./credentials.js";

/** A node before layout: everything but its id and position (n8n `INode`, n8n-workflow 2.41). */
export interface GraphNode {
  /** Unique in the workflow; connections refer to it. */
  name: string;
  /** Node type, e.g. "@n8n/n8n-nodes-langchain.agent". */
  type: string;
  typeVersion: number;
  parameters: Record<string, unknown>;
  credentials?: CredentialRef;
  /** Webhook and chat triggers: set to a stable uuid by the workflow builder. */
  webhook?: true;
}

/** A connection: `from`'s output 0 of `type` into `to`'s input `index` (counted per connection type). */
export interface GraphEdge {
  from: string;
  to: string;
  type: "main" | "ai_languageModel" | "ai_memory" | "ai_tool";
  index: number;
}

/** The nodes and connections of one workflow, in emission order. */
export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}
