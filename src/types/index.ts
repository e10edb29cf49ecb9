// Generated from schemas/*.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit.

export type { BrainManifest } from "./brain.js";
export type { ModelsFile } from "./models.js";
export type { RoutingFile } from "./routing.js";
export type { Agent } from "./agent.js";
export type { PromptFrontmatter } from "./prompt.js";
export type { ToolContract } from "./tool.js";
export type { Policy } from "./policy.js";
export type { MemoryFile } from "./memory.js";
export type { Overlay } from "./overlay.js";
