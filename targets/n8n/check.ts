import { createHash } from "node:crypto";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { diagnostic } from "../../src/diagnostics/codes.js";
import type { OutputFile } from "../../src/emit/target.js";
import type { DescriptionIndex, N8nNode, N8nWorkflowModule, NodeDescription, NodeProperty } from "./descriptions.js";
import { N8N_VERSION, descriptionsCached, descriptionsDir, loadCredentialTypes, loadDescriptions, loadN8nWorkflow } from "./descriptions.js";

/** n8n's connection types (`NodeConnectionTypes`, n8n-workflow 2.41). */
const CONNECTION_TYPES = new Set(["main", "ai_agent", "ai_chain", "ai_document", "ai_embedding", "ai_languageModel", "ai_memory", "ai_outputParser", "ai_retriever", "ai_reranker", "ai_textSplitter", "ai_tool", "ai_vectorStore"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Connection {
  node: string;
  type: string;
  index: number;
}
interface WorkflowJson {
  id: string;
  name: string;
  nodes: N8nNode[];
  connections: Record<string, Record<string, (Connection[] | null)[]>>;
  settings?: Record<string, unknown>;
  [key: string]: unknown;
}
/** One connection, flattened: source output (type, index) → target input (type, index). */
interface Edge {
  from: string;
  type: string;
  output: number;
  to: string;
  toType: string;
  input: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function edgesOf(wf: WorkflowJson): Edge[] {
  const out: Edge[] = [];
  for (const [from, byType] of Object.entries(wf.connections ?? {}))
    for (const [type, outputs] of Object.entries(byType ?? {}))
      (outputs ?? []).forEach((targets, output) => {
        for (const t of targets ?? []) out.push({ from, type, output, to: t.node, toType: t.type, input: t.index });
      });
  return out;
}

/**
 * Checks that need nothing from n8n: the workflow shape `n8n import:workflow` requires, brainc's id rules,
 * connections between existing nodes with known types, and credentials present in credentials.json.
 */
function checkStructure(wf: WorkflowJson, credentialKeys: Set<string> | undefined, workflowIds: Set<string>): string[] {
  const errors: string[] = [];
  if (typeof wf.id !== "string" || !/^[A-Za-z0-9]{16}$/.test(wf.id)) errors.push(`workflow id ${JSON.stringify(wf.id)} is not 16 characters of [A-Za-z0-9]`);
  if (typeof wf.name !== "string" || !wf.name) errors.push("workflow has no name");
  if (!Array.isArray(wf.nodes)) return [...errors, "workflow has no nodes array"];
  if (!isObject(wf.connections)) return [...errors, "workflow has no connections object"];
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const node of wf.nodes) {
    const label = `node ${JSON.stringify(node?.name)}`;
    if (typeof node?.name !== "string" || !node.name) errors.push(`a node has no name`);
    else if (names.has(node.name)) errors.push(`duplicate node name ${JSON.stringify(node.name)}`);
    names.add(node?.name);
    if (typeof node?.id !== "string" || !UUID.test(node.id)) errors.push(`${label}: id ${JSON.stringify(node?.id)} is not a uuid`);
    else if (ids.has(node.id)) errors.push(`${label}: duplicate node id ${node.id}`);
    ids.add(node?.id as string);
    if (typeof node?.type !== "string" || !node.type) errors.push(`${label}: no type`);
    if (typeof node?.typeVersion !== "number") errors.push(`${label}: typeVersion is not a number`);
    const position = node?.position as unknown;
    if (!Array.isArray(position) || position.length !== 2 || !position.every((n) => typeof n === "number")) errors.push(`${label}: position is not [x, y]`);
    if (!isObject(node?.parameters)) errors.push(`${label}: parameters is not an object`);
    for (const [type, ref] of Object.entries(node?.credentials ?? {})) {
      const credential = ref as { id?: string; name?: string };
      if (typeof credential?.name !== "string") errors.push(`${label}: credential ${type} has no name`);
      else if (credentialKeys && !credentialKeys.has(`${type}\0${credential.name}`)) errors.push(`${label}: credential ${type} ${JSON.stringify(credential.name)} is not in credentials.json`);
    }
  }
  for (const e of edgesOf(wf)) {
    if (!names.has(e.from)) errors.push(`connection from unknown node ${JSON.stringify(e.from)}`);
    if (!names.has(e.to)) errors.push(`connection from ${JSON.stringify(e.from)} to unknown node ${JSON.stringify(e.to)}`);
    if (!CONNECTION_TYPES.has(e.type)) errors.push(`connection from ${JSON.stringify(e.from)} has unknown type ${JSON.stringify(e.type)}`);
    if (e.toType !== e.type) errors.push(`connection from ${JSON.stringify(e.from)} (${e.type}) to ${JSON.stringify(e.to)} changes type to ${e.toType}`);
    if (!Number.isInteger(e.input) || e.input < 0) errors.push(`connection from ${JSON.stringify(e.from)} to ${JSON.stringify(e.to)} has a bad input index ${JSON.stringify(e.input)}`);
  }
  const errorWorkflow = wf.settings?.errorWorkflow;
  if (typeof errorWorkflow === "string" && !workflowIds.has(errorWorkflow)) errors.push(`settings.errorWorkflow ${JSON.stringify(errorWorkflow)} is not one of the generated workflows`);
  return errors;
}

/** Values of a static `options` / `multiOptions` parameter; undefined when n8n loads them at run time. */
function allowedValues(prop: NodeProperty): unknown[] | undefined {
  if (prop.typeOptions?.loadOptionsMethod || prop.typeOptions?.loadOptions || !Array.isArray(prop.options)) return undefined;
  return prop.options.map((o) => (o as { value?: unknown }).value);
}

const isExpression = (v: unknown) => typeof v === "string" && v.startsWith("=");

/**
 * Values n8n's own parameter check does not look at: option values, primitive types, and keys n8n would
 * drop (unknown, or not displayed for this version and configuration), recursively through collections.
 */
function checkValues(n8n: N8nWorkflowModule, props: NodeProperty[], values: Record<string, unknown>, root: Record<string, unknown>, node: N8nNode, desc: NodeDescription, path: string): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const candidates = props.filter((p) => p.name === key);
    const shown = candidates.filter((p) => !p.displayOptions || n8n.NodeHelpers.displayParameter(path ? values : root, p, node, desc));
    const where = path ? `${path}.${key}` : key;
    if (candidates.length === 0) {
      errors.push(`parameter ${where} is unknown to ${node.type} ${node.typeVersion}`);
      continue;
    }
    if (shown.length === 0) {
      errors.push(`parameter ${where} is not used by ${node.type} ${node.typeVersion} with these settings (n8n drops it)`);
      continue;
    }
    if (isExpression(value)) continue;
    const problems = shown.map((prop) => checkValue(n8n, prop, value, root, node, desc, where));
    if (problems.every((p) => p.length)) errors.push(...problems[0]);
  }
  return errors;
}

function checkValue(n8n: N8nWorkflowModule, prop: NodeProperty, value: unknown, root: Record<string, unknown>, node: N8nNode, desc: NodeDescription, where: string): string[] {
  const allowed = prop.type === "options" || prop.type === "multiOptions" ? allowedValues(prop) : undefined;
  if (prop.type === "options" && allowed && !allowed.includes(value)) return [`parameter ${where}: value ${JSON.stringify(value)} is not one of ${JSON.stringify(allowed)}`];
  if (prop.type === "multiOptions" && !Array.isArray(value)) return [`parameter ${where}: ${JSON.stringify(value)} is not a list`];
  if (prop.type === "multiOptions" && allowed) {
    const bad = (value as unknown[]).filter((v) => !allowed.includes(v));
    if (bad.length) return [`parameter ${where}: ${JSON.stringify(bad)} not among ${JSON.stringify(allowed)}`];
  }
  if (prop.type === "boolean" && typeof value !== "boolean") return [`parameter ${where}: ${JSON.stringify(value)} is not a boolean`];
  if (prop.type === "number" && typeof value !== "number") return [`parameter ${where}: ${JSON.stringify(value)} is not a number`];
  if (prop.type === "string" && typeof value !== "string") return [`parameter ${where}: ${JSON.stringify(value)} is not a string`];
  if (prop.type === "number" && typeof value === "number") {
    const { minValue, maxValue } = (prop.typeOptions ?? {}) as { minValue?: number; maxValue?: number };
    if ((minValue !== undefined && value < minValue) || (maxValue !== undefined && value > maxValue)) return [`parameter ${where}: ${value} is outside ${minValue ?? "-∞"}..${maxValue ?? "∞"}`];
  }
  if (prop.type === "collection") {
    if (!isObject(value)) return [`parameter ${where} is not an object`];
    return checkValues(n8n, (prop.options ?? []) as NodeProperty[], value, root, node, desc, where);
  }
  if (prop.type === "fixedCollection") {
    if (!isObject(value)) return [`parameter ${where} is not an object`];
    const errors: string[] = [];
    for (const [group, entries] of Object.entries(value)) {
      const option = (prop.options ?? []).find((o) => o.name === group) as { values?: NodeProperty[] } | undefined;
      if (!option) {
        errors.push(`parameter ${where}.${group} is unknown`);
        continue;
      }
      const list = Array.isArray(entries) ? entries : [entries];
      if (!Array.isArray(entries) && !prop.typeOptions?.multipleValues) {
        /* a single-value fixedCollection is an object */
      } else if (!Array.isArray(entries)) errors.push(`parameter ${where}.${group} is not a list`);
      list.forEach((entry, i) => {
        if (!isObject(entry)) errors.push(`parameter ${where}.${group}[${i}] is not an object`);
        else errors.push(...checkValues(n8n, option.values ?? [], entry, root, node, desc, `${where}.${group}[${i}]`));
      });
    }
    return errors;
  }
  return [];
}

/** The connection types of a node's inputs or outputs, in order, with their per-type index and config. */
function ports(list: (string | { type: string; required?: boolean; maxConnections?: number; displayName?: string })[]) {
  const count = new Map<string, number>();
  return list.map((p) => {
    const config = typeof p === "string" ? { type: p } : p;
    const index = count.get(config.type) ?? 0;
    count.set(config.type, index + 1);
    return { ...config, index };
  });
}

/** Checks one workflow against the node descriptions with n8n-workflow; returns error messages. */
function checkSemantics(n8n: N8nWorkflowModule, index: DescriptionIndex, wf: WorkflowJson): string[] {
  const errors: string[] = [];
  const structure = n8n.safeParseWorkflowStructure(wf);
  if (!structure.success) {
    for (const issue of structure.issues ?? structure.error?.issues ?? []) errors.push(`n8n structure check: ${issue.path.join(".")}: ${issue.message}`);
    return errors;
  }
  const descriptions = new Map<string, NodeDescription>();
  for (const node of wf.nodes) {
    const versions = index.get(node.type);
    if (!versions) errors.push(`node ${JSON.stringify(node.name)}: unknown node type ${JSON.stringify(node.type)} (n8n ${N8N_VERSION})`);
    else if (!versions.has(node.typeVersion)) errors.push(`node ${JSON.stringify(node.name)}: ${node.type} has no typeVersion ${node.typeVersion} (available: ${[...versions.keys()].sort((a, b) => a - b).join(", ")})`);
    else descriptions.set(node.name, versions.get(node.typeVersion)!);
  }
  const nodeTypes = {
    getByName: (type: string) => {
      const versions = index.get(type);
      return versions ? { description: [...versions.values()].at(-1) } : undefined;
    },
    getByNameAndVersion: (type: string, version?: number) => {
      const d = index.get(type)?.get(version ?? 0);
      return d ? { description: d } : undefined;
    },
    getKnownTypes: () => ({}),
  };
  const original = new Map(wf.nodes.map((n) => [n.name, structuredClone(n)]));
  const workflow = new n8n.Workflow({ id: wf.id, name: wf.name, nodes: structuredClone(wf.nodes), connections: wf.connections, active: false, nodeTypes, settings: wf.settings, pinData: {} }) as { getNode(name: string): N8nNode | null };

  const inputs = new Map<string, ReturnType<typeof ports>>();
  const outputs = new Map<string, ReturnType<typeof ports>>();
  for (const [name, desc] of descriptions) {
    const node = workflow.getNode(name)!;
    const label = `node ${JSON.stringify(name)}`;
    const issues = n8n.NodeHelpers.getNodeParametersIssues(desc.properties, node, desc);
    for (const [param, messages] of Object.entries(issues?.parameters ?? {})) for (const m of messages) errors.push(`${label}: parameter ${param}: ${m}`);
    for (const m of checkValues(n8n, desc.properties, original.get(name)!.parameters ?? {}, node.parameters, node, desc, "")) errors.push(`${label}: ${m}`);
    for (const c of n8n.validateNodeCredentials(node, { description: desc })) errors.push(`${label}: credential ${c.credentialName} ${c.type === "missing" ? "is missing" : "is not configured"}`);
    for (const type of Object.keys(node.credentials ?? {}))
      if (!(desc.credentials ?? []).some((c) => c.name === type) && node.parameters.genericAuthType !== type && node.parameters.nodeCredentialType !== type) errors.push(`${label}: ${node.type} does not take a ${type} credential`);
    inputs.set(name, ports(n8n.NodeHelpers.getNodeInputs(workflow, node, desc)));
    outputs.set(name, ports(n8n.NodeHelpers.getNodeOutputs(workflow, node, desc)));
  }

  const edges = edgesOf(wf);
  for (const e of edges) {
    const out = outputs.get(e.from);
    const inp = inputs.get(e.to);
    if (out) {
      const n = out.filter((p) => p.type === e.type).length;
      if (e.output >= n) errors.push(`connection ${JSON.stringify(e.from)} → ${JSON.stringify(e.to)}: ${JSON.stringify(e.from)} has ${n} ${e.type} output(s), not ${e.output + 1}`);
    }
    if (inp) {
      const n = inp.filter((p) => p.type === e.toType).length;
      if (e.input >= n) errors.push(`connection ${JSON.stringify(e.from)} → ${JSON.stringify(e.to)}: ${JSON.stringify(e.to)} has ${n} ${e.toType} input(s), so index ${e.input} does not exist`);
    }
  }
  for (const [name, list] of inputs) {
    for (const port of list) {
      const connected = edges.filter((e) => e.to === name && e.toType === port.type && e.input === port.index).length;
      const label = `${port.displayName ? `"${port.displayName}" ` : ""}(${port.type}#${port.index})`;
      if (port.required && connected === 0) errors.push(`node ${JSON.stringify(name)}: required input ${label} is not connected`);
      if (port.maxConnections !== undefined && connected > port.maxConnections) errors.push(`node ${JSON.stringify(name)}: input ${label} takes at most ${port.maxConnections} connection(s), has ${connected}`);
    }
  }
  for (const [name, list] of outputs) {
    if (list.length && list.every((p) => p.type !== "main") && !edges.some((e) => e.from === name)) errors.push(`node ${JSON.stringify(name)}: sub-node is not connected to any node`);
  }
  return errors;
}

/** Bound of {@link semanticsChecked}'s entries (a few bytes each); past it the memo starts over. */
const MAX_CHECKED = 20_000;
let semantics: { dir: string; errors: Map<string, string[]> } | undefined;

/**
 * checkSemantics' results by the SHA-256 of a workflow's text, for the node descriptions in `dir`: the
 * check is a pure function of the two, so a workflow is checked once per process (`build --watch`
 * checks only the workflows an edit changed; environments whose workflows are equal check them once).
 */
function semanticsChecked(dir: string): Map<string, string[]> {
  if (semantics?.dir !== dir || semantics.errors.size > MAX_CHECKED) semantics = { dir, errors: new Map() };
  return semantics.errors;
}

/**
 * The n8n target's check(): validates every generated workflow (all `*.json` but credentials.json).
 * Without n8n: structure, ids, connections, credential names (BRN510 errors). With the node descriptions
 * of n8n 2.41.1 cached by `npm run n8n:nodes`: n8n's import structure check, node types and typeVersions,
 * required parameters (NodeHelpers.getNodeParametersIssues), option values and unknown keys, credentials,
 * connection types and indexes against each node's (dynamic) inputs and outputs, required and maximum
 * inputs (BRN510). Without the cache: one BRN700 info. n8n-workflow is loaded only here.
 */
export async function checkWorkflows(files: OutputFile[], dir = descriptionsDir()): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const fail = (path: string, message: string) => diagnostics.push(diagnostic("BRN510", `n8n/${path}: ${message}`));
  let credentialKeys: Set<string> | undefined;
  const credentialsFile = files.find((f) => f.path === "credentials.json");
  if (credentialsFile) {
    try {
      const list = JSON.parse(credentialsFile.contents) as { id?: unknown; name?: unknown; type?: unknown; data?: unknown }[];
      if (!Array.isArray(list)) throw new Error("not an array");
      credentialKeys = new Set(list.map((c) => `${c.type}\0${c.name}`));
      list.forEach((c, i) => {
        if (typeof c.id !== "string" || typeof c.name !== "string" || typeof c.type !== "string" || !isObject(c.data)) fail("credentials.json", `entry ${i} is not {id, name, type, data}`);
      });
    } catch (e) {
      fail("credentials.json", `is not a JSON array of credentials: ${(e as Error).message}`);
    }
  }
  const workflows: [OutputFile, WorkflowJson][] = [];
  for (const f of files) {
    if (!f.path.endsWith(".json") || f.path === "credentials.json") continue;
    try {
      workflows.push([f, JSON.parse(f.contents) as WorkflowJson]);
    } catch (e) {
      fail(f.path, `is not JSON: ${(e as Error).message}`);
    }
  }
  const ids = new Set(workflows.map(([, wf]) => wf.id));
  const sound: [OutputFile, WorkflowJson][] = [];
  for (const [file, wf] of workflows) {
    const errors = checkStructure(wf, credentialKeys, ids);
    errors.forEach((m) => fail(file.path, m));
    if (!errors.length) sound.push([file, wf]);
  }
  if (!descriptionsCached(dir)) {
    diagnostics.push(diagnostic("BRN700", `n8n: the node descriptions of n8n ${N8N_VERSION} are not cached in ${dir}, so only the workflows' structure was checked`, { hint: "run `npm run n8n:nodes` to fetch them from the npm registry, then build again" }));
    return diagnostics;
  }
  const checked = semanticsChecked(dir);
  let n8n: N8nWorkflowModule | undefined;
  for (const [file, wf] of sound) {
    const key = createHash("sha256").update(file.contents).digest("base64");
    let errors = checked.get(key);
    if (!errors) checked.set(key, (errors = checkSemantics((n8n ??= loadN8nWorkflow(dir)), loadDescriptions(dir), wf)));
    for (const m of errors) fail(file.path, m);
  }
  if (credentialsFile && credentialKeys) {
    const types = loadCredentialTypes(dir);
    for (const c of JSON.parse(credentialsFile.contents) as { name: string; type: string; data: Record<string, unknown> }[]) {
      const fields = types.get(c.type);
      if (!fields) fail("credentials.json", `credential ${JSON.stringify(c.name)}: unknown credential type ${JSON.stringify(c.type)} (n8n ${N8N_VERSION})`);
      else for (const key of Object.keys(c.data ?? {})) if (!fields.has(key)) fail("credentials.json", `credential ${JSON.stringify(c.name)}: ${c.type} has no field ${JSON.stringify(key)}`);
    }
  }
  return diagnostics;
}
