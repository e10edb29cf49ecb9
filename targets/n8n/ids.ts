import { v5 as uuidv5 } from "uuid";
import { sha256Hex } from "../../src/emit/canonical.js";

/** The uuid v5 namespace of every id brainc's n8n target derives (fixed forever: changing it churns every id). */
export const BRAINC_N8N_NAMESPACE = "8f0c7c4e-6a57-5c1b-9d3e-2b4f1a0e9c61";

/**
 * A workflow id: 16 characters of `[A-Za-z0-9]` (hex of sha256), stable for (brain, key). n8n accepts any
 * id up to 21 characters (`n8n execute --id` rejects longer ones); re-importing the same id upserts.
 */
export function workflowId(brain: string, key: string): string {
  return sha256Hex(`brainc/n8n/workflow\0${brain}\0${key}`).slice(0, 16);
}

/** A node id: uuid v5 of (brain, workflow key, node name); n8n would otherwise draw random ones on import. */
export function nodeId(brain: string, key: string, nodeName: string): string {
  return uuidv5(`node\0${brain}\0${key}\0${nodeName}`, BRAINC_N8N_NAMESPACE);
}

/** The webhookId of a webhook or chat trigger node (its URL path for chat triggers): uuid v5 like {@link nodeId}. */
export function webhookId(brain: string, key: string, nodeName: string): string {
  return uuidv5(`webhook\0${brain}\0${key}\0${nodeName}`, BRAINC_N8N_NAMESPACE);
}

/** The id of a Set node assignment: uuid v5 of (brain, workflow key, node name, field). */
export function assignmentId(brain: string, key: string, nodeName: string, field: string): string {
  return uuidv5(`assignment\0${brain}\0${key}\0${nodeName}\0${field}`, BRAINC_N8N_NAMESPACE);
}

/**
 * A credential id (16 hex characters) from (type, name). n8n re-binds a reference first by id + type, then by
 * unique name + type, so the name is what matters across n8n instances; the id only has to be stable.
 */
export function credentialId(type: string, name: string): string {
  return sha256Hex(`brainc/n8n/credential\0${type}\0${name}`).slice(0, 16);
}
