import type { BrainManifest } from "../../src/types/index.js";

/** brain.yaml `targets.n8n` (schemas/brain.schema.json), with the memory backend defaulted. */
export type N8nOptions = Omit<NonNullable<NonNullable<BrainManifest["targets"]>["n8n"]>, "memory"> & { memory: "postgres" | "redis" | "buffer" };
