import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { packagePath } from "../../src/package-root.js";

/** The n8n release whose node descriptions check() validates against. */
export const N8N_VERSION = "2.41.1";

/** A node type description (n8n `INodeTypeDescription`, loosely typed: brainc reads a few fields). */
export interface NodeDescription {
  name: string;
  displayName?: string;
  description?: string;
  version: number | number[];
  defaultVersion?: number;
  inputs: unknown;
  outputs: unknown;
  properties: NodeProperty[];
  credentials?: { name: string; required?: boolean; displayOptions?: unknown }[];
  usableAsTool?: boolean | { replacements?: Record<string, unknown> };
  [key: string]: unknown;
}

/** A node parameter description (n8n `INodeProperties`, loosely typed). */
export interface NodeProperty {
  name: string;
  displayName?: string;
  type: string;
  default?: unknown;
  required?: boolean;
  displayOptions?: unknown;
  options?: (NodeProperty | { name: string; value?: unknown; values?: NodeProperty[] })[];
  typeOptions?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Where `npm run n8n:nodes` caches n8n's node descriptions and n8n-workflow
 * (`.cache/n8n-nodes/<version>/`); `BRAINC_N8N_NODES_DIR` overrides it.
 */
export function descriptionsDir(): string {
  return process.env.BRAINC_N8N_NODES_DIR ?? packagePath(join(".cache/n8n-nodes", N8N_VERSION));
}

/** Whether the cache is complete (written last by scripts/fetch-n8n-nodes.sh). */
export function descriptionsCached(dir = descriptionsDir()): boolean {
  return existsSync(join(dir, ".complete"));
}

/** The package prefix of the node type names in each descriptions file. */
const PACKAGES = [
  ["n8n-nodes-base.nodes.json", "n8n-nodes-base."],
  ["n8n-nodes-langchain.nodes.json", "@n8n/n8n-nodes-langchain."],
] as const;

/**
 * The `<name>Tool` variant n8n 2.41 synthesizes at load time for each node that is `usableAsTool`
 * (n8n/dist/tool-generation/ai-tools.js `convertNodeToAiTool`): no inputs, an `ai_tool` output and a
 * required `toolDescription` (behind `descriptionType: manual` for nodes with resource/operation).
 */
function toolVariant(base: NodeDescription): NodeDescription {
  const copy = structuredClone(base);
  const d: NodeDescription = typeof base.usableAsTool === "object" ? { ...copy, ...structuredClone(base.usableAsTool.replacements ?? {}) } : copy;
  d.name += "Tool";
  d.inputs = [];
  d.outputs = ["ai_tool"];
  d.displayName = `${d.displayName ?? d.name} Tool`;
  delete d.usableAsTool;
  if (!d.properties.some((p) => p.name === "toolDescription")) {
    const hasResourceOrOperation = d.properties.some((p) => p.name === "resource" || p.name === "operation");
    const descProp: NodeProperty = { displayName: "Description", name: "toolDescription", type: "string", default: d.description, required: true };
    let at = 0;
    for (let i = d.properties.length - 1; i >= 0; i--) if (d.properties[i].type === "callout") { at = i + 1; break; }
    d.properties.splice(at, 0, descProp);
    if (hasResourceOrOperation) {
      d.properties.splice(at, 0, { displayName: "Tool Description", name: "descriptionType", type: "options", options: [{ name: "Set Automatically", value: "auto" }, { name: "Set Manually", value: "manual" }], default: "auto" });
      descProp.displayOptions = { show: { descriptionType: ["manual"] } };
    }
  }
  return d;
}

/** Node descriptions by full type name, then by typeVersion. */
export interface DescriptionIndex {
  get(type: string): Map<number, NodeDescription> | undefined;
}

let cached: { dir: string; index: DescriptionIndex } | undefined;

/**
 * Loads (once per process) the cached descriptions of both node packages. The `<name>Tool` variants are
 * synthesized when first asked for: a workflow uses a handful of the hundreds of nodes usable as tools.
 */
export function loadDescriptions(dir = descriptionsDir()): DescriptionIndex {
  if (cached?.dir === dir) return cached.index;
  const byType = new Map<string, Map<number, NodeDescription>>();
  const toolBases = new Map<string, NodeDescription[]>();
  const add = (type: string, d: NodeDescription) => {
    const versions = byType.get(type) ?? new Map<number, NodeDescription>();
    for (const v of Array.isArray(d.version) ? d.version : [d.version]) versions.set(v, d);
    byType.set(type, versions);
  };
  for (const [file, prefix] of PACKAGES) {
    const list = JSON.parse(readFileSync(join(dir, file), "utf8")) as NodeDescription[];
    for (const d of list) {
      add(prefix + d.name, d);
      if (d.usableAsTool) toolBases.set(prefix + d.name + "Tool", [...(toolBases.get(prefix + d.name + "Tool") ?? []), d]);
    }
  }
  const index: DescriptionIndex = {
    get(type) {
      const bases = toolBases.get(type);
      if (bases) {
        toolBases.delete(type);
        for (const base of bases) add(type, toolVariant(base));
      }
      return byType.get(type);
    },
  };
  cached = { dir, index };
  return index;
}

/** Credential types (n8n `ICredentialType`, loosely typed): name → the names of its fields. */
export type CredentialTypes = Map<string, Set<string>>;

let credentialTypes: { dir: string; types: CredentialTypes } | undefined;

/** Loads the credential types of both node packages (`*.credentials.json` of the cache), once per process. */
export function loadCredentialTypes(dir = descriptionsDir()): CredentialTypes {
  if (credentialTypes?.dir === dir) return credentialTypes.types;
  const types: CredentialTypes = new Map();
  for (const file of ["n8n-nodes-base.credentials.json", "n8n-nodes-langchain.credentials.json"]) {
    const list = JSON.parse(readFileSync(join(dir, file), "utf8")) as { name: string; properties?: { name: string }[] }[];
    for (const c of list) types.set(c.name, new Set((c.properties ?? []).map((p) => p.name)));
  }
  credentialTypes = { dir, types };
  return types;
}

/** The n8n-workflow module (CommonJS build) from the cache; loaded only when check() needs it. */
export function loadN8nWorkflow(dir = descriptionsDir()): N8nWorkflowModule {
  return createRequire(join(dir, "package.json"))("n8n-workflow") as N8nWorkflowModule;
}

/** The parts of n8n-workflow 2.41.0 check() uses (typed loosely: brainc does not depend on its types). */
export interface N8nWorkflowModule {
  Workflow: new (parameters: Record<string, unknown>) => { getNode(name: string): N8nNode | null };
  NodeHelpers: {
    getNodeInputs(workflow: unknown, node: N8nNode, description: NodeDescription): (string | { type: string; required?: boolean; maxConnections?: number; displayName?: string })[];
    getNodeOutputs(workflow: unknown, node: N8nNode, description: NodeDescription): (string | { type: string })[];
    getNodeParametersIssues(properties: NodeProperty[], node: N8nNode, description: NodeDescription): { parameters?: Record<string, string[]> } | null;
    displayParameter(values: Record<string, unknown>, property: NodeProperty, node: N8nNode, description: NodeDescription): boolean;
  };
  safeParseWorkflowStructure(input: unknown): { success: boolean; issues?: { path: (string | number)[]; code?: string; message: string }[]; error?: { issues: { path: (string | number)[]; message: string }[] } };
  validateNodeCredentials(node: N8nNode, nodeType: { description: NodeDescription }): { type: string; displayName: string; credentialName: string }[];
}

/** A node as n8n-workflow sees it (`INode`). */
export interface N8nNode {
  name: string;
  type: string;
  typeVersion: number;
  parameters: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  [key: string]: unknown;
}
