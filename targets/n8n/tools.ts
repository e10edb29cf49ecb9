import { diagnostic } from "../../src/diagnostics/codes.js";
import { envSegments, singleEnvRef } from "../../src/emit/env-refs.js";
import type { EmitContext } from "../../src/emit/target.js";
import type { Agent, Brain, Tool } from "../../src/link/model.js";
import { durationMs } from "../../src/link/durations.js";
import type { CredentialSet } from "./credentials.js";
import { credentialValue } from "./credentials.js";
import { envJs, escapeTemplateText, jsString, n8nValue } from "./expressions.js";
import type { GraphNode } from "./graph.js";

/** Latest typeVersions (n8n 2.41.1) of the tool nodes brainc writes; other builtin types get version 1. */
export const TOOL_VERSIONS: Record<string, number> = {
  "n8n-nodes-base.httpRequestTool": 4.5,
  "@n8n/n8n-nodes-langchain.mcpClientTool": 1.4,
  "@n8n/n8n-nodes-langchain.toolCalculator": 1,
  "@n8n/n8n-nodes-langchain.toolCode": 1.3,
  "@n8n/n8n-nodes-langchain.toolWikipedia": 1,
  "@n8n/n8n-nodes-langchain.toolThink": 1.1,
};

/** `{{name}}` placeholders of tool contracts (brain-format.md, tools/<id>.yaml). */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;

type JsonSchema = { type?: string | string[]; description?: string; enum?: unknown[]; default?: unknown; [k: string]: unknown };

/** The `$fromAI` type of an input property (n8n: string | number | boolean | json). */
function fromAiType(schema: JsonSchema | undefined): string {
  const type = Array.isArray(schema?.type) ? schema?.type.find((t) => t !== "null") : schema?.type;
  if (type === "integer" || type === "number") return "number";
  if (type === "boolean") return "boolean";
  if (type === "array" || type === "object") return "json";
  if (!type && schema?.enum && !schema.enum.every((v) => typeof v === "string")) return "json";
  return "string";
}

/** What the model reads about one argument: the schema's description, its allowed values and default. */
function fromAiDescription(schema: JsonSchema | undefined, required: boolean): string {
  const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
  const parts = schema?.description ? [sentence(schema.description.trim())] : [];
  if (schema?.enum) parts.push(`One of: ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}.`);
  if (schema?.default !== undefined) parts.push(`Default: ${JSON.stringify(schema.default)}.`);
  if (required) parts.push("Required.");
  // n8n's $fromAI parser drops backslashes of escapes other than quotes, and braces would end the template.
  return parts.join(" ").replace(/\s+/g, " ").replace(/\{/g, "(").replace(/\}/g, ")").trim();
}

/** `$fromAI('name', 'description', 'type')` for one input property of a tool (n8n 2.41 $fromAI). */
function fromAi(tool: Tool, name: string): string {
  const props = (tool.input.properties ?? {}) as Record<string, JsonSchema>;
  const required = ((tool.input.required as string[] | undefined) ?? []).includes(name);
  return `$fromAI(${jsString(name)}, ${jsString(fromAiDescription(props[name], required))}, ${jsString(fromAiType(props[name]))})`;
}

/** Splits a contract string into literal text, `{{name}}` placeholders and `${env:…}` references. */
function pieces(tool: Tool, value: string): ({ text: string } | { js: string })[] {
  const out: ({ text: string } | { js: string })[] = [];
  for (const segment of envSegments(value)) {
    if ("env" in segment) {
      out.push({ js: envJs(segment) });
      continue;
    }
    let last = 0;
    for (const m of segment.text.matchAll(PLACEHOLDER)) {
      if (m.index! > last) out.push({ text: segment.text.slice(last, m.index) });
      out.push({ js: fromAi(tool, m[1]) });
      last = m.index! + m[0].length;
    }
    if (last < segment.text.length) out.push({ text: segment.text.slice(last) });
  }
  return out;
}

/** A contract string (url, header or query value) as an n8n parameter value with `$fromAI` expressions. */
function templateValue(tool: Tool, value: string): string {
  const parts = pieces(tool, value);
  if (parts.every((p) => "text" in p)) return n8nValue(value);
  return "=" + parts.map((p) => ("text" in p ? escapeTemplateText(p.text) : `{{ ${p.js} }}`)).join("");
}

/** A JSON body value as a JavaScript expression: a string that is exactly one placeholder keeps the argument's JSON value. */
function bodyJs(tool: Tool, value: unknown): string {
  if (typeof value === "string") {
    const parts = pieces(tool, value);
    if (parts.length === 0) return '""';
    return parts.map((p) => ("text" in p ? jsString(p.text) : p.js)).join(" + ");
  }
  if (Array.isArray(value)) return `[${value.map((v) => bodyJs(tool, v)).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => `${jsString(k)}: ${bodyJs(tool, v)}`);
    return entries.length ? `{ ${entries.join(", ")} }` : "{ }";
  }
  return JSON.stringify(value);
}

/** Names of the input properties a contract string set uses as placeholders. */
function placeholdersOf(values: unknown[]): Set<string> {
  const names = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") for (const m of v.matchAll(PLACEHOLDER)) names.add(m[1]);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === "object" && v !== null) Object.values(v).forEach(visit);
  };
  values.forEach(visit);
  return names;
}

/** An http tool contract as an HTTP Request tool node (`n8n-nodes-base.httpRequestTool` 4.5). */
function httpToolNode(brain: Brain, agent: Agent, tool: Tool, credentials: CredentialSet, context: EmitContext): GraphNode {
  const http = tool.implementation.http!;
  const parameters: Record<string, unknown> = {
    toolDescription: tool.description,
    method: http.method ?? "GET",
    url: templateValue(tool, http.url),
  };
  const node: GraphNode = { name: tool.id, type: "n8n-nodes-base.httpRequestTool", typeVersion: TOOL_VERSIONS["n8n-nodes-base.httpRequestTool"], parameters };
  const query = Object.entries(http.query ?? {});
  if (query.length) {
    Object.assign(parameters, { sendQuery: true, specifyQuery: "keypair", queryParameters: { parameters: query.map(([name, value]) => ({ name, value: templateValue(tool, value) })) } });
  }
  const headers: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(http.headers ?? {})) {
    const ref = singleEnvRef(value);
    if (ref && !node.credentials) {
      // A header that is one env reference carries a secret: it goes into an n8n Header Auth credential.
      node.credentials = credentials.use({ type: "httpHeaderAuth", name: `${brain.name} ${tool.id}`, data: { name, value: credentialValue(value) } });
      Object.assign(parameters, { authentication: "genericCredentialType", genericAuthType: "httpHeaderAuth" });
      continue;
    }
    if (ref) context.report(diagnostic("BRN509", `n8n: tool "${tool.id}" sends more than one secret header; n8n's HTTP Request tool takes one Header Auth credential, so header "${name}" reads $env.${ref.env} in an expression instead (allow env access in n8n, or enforce the tool with the supervisor target)`, { file: tool.source }));
    headers.push({ name, value: templateValue(tool, value) });
  }
  if (headers.length) Object.assign(parameters, { sendHeaders: true, specifyHeaders: "keypair", headerParameters: { parameters: headers } });
  if (http.body !== undefined) {
    Object.assign(parameters, { sendBody: true, contentType: "json", specifyBody: "json", jsonBody: `={{ JSON.stringify(${bodyJs(tool, http.body)}) }}` });
  }
  const options: Record<string, unknown> = {};
  if (tool.timeout) options.timeout = durationMs(tool.timeout);
  parameters.options = options;
  const used = placeholdersOf([http.url, http.query, http.body, http.headers]);
  const unused = Object.keys(tool.input.properties ?? {}).filter((p) => !used.has(p));
  if (unused.length) {
    context.report(diagnostic("BRN509", `n8n: tool "${tool.id}" (agent "${agent.id}"): n8n offers the model only the arguments its request uses ($fromAI), so ${unused.map((p) => `"${p}"`).join(", ")} ${unused.length === 1 ? "is" : "are"} not offered; use the argument in the request, or run the tool through the supervisor target`, { file: tool.source }));
  }
  return node;
}

/** Parameters of a builtin n8n tool node: the tool description, and for HTTP Request a URL argument. */
function builtinParameters(tool: Tool, type: string): Record<string, unknown> {
  if (type === "n8n-nodes-base.httpRequestTool") {
    const props = (tool.input.properties ?? {}) as Record<string, JsonSchema>;
    const url = props.url ? `={{ ${fromAi(tool, "url")} }}` : "";
    const options: Record<string, unknown> = {};
    if (tool.timeout) options.timeout = durationMs(tool.timeout);
    return { toolDescription: tool.description, method: "GET", url, options };
  }
  if (type.startsWith("n8n-nodes-base.") && type.endsWith("Tool")) return { toolDescription: tool.description };
  if (type === "@n8n/n8n-nodes-langchain.toolCalculator" || type === "@n8n/n8n-nodes-langchain.toolWikipedia") return {};
  return { description: tool.description };
}

/**
 * The tool nodes of an agent (each connected to its AI Agent nodes on `ai_tool`): http contracts as HTTP
 * Request tools with `$fromAI` arguments, mcp contracts as one MCP Client tool per server (only the listed
 * tools), builtins by their n8n node type. Tools n8n cannot run, or that need an approval n8n cannot ask
 * for, are left out with a BRN509 info.
 */
export function toolNodes(brain: Brain, agent: Agent, credentials: CredentialSet, context: EmitContext): GraphNode[] {
  const nodes: GraphNode[] = [];
  const mcp = new Map<string, Tool[]>();
  const approval = new Set(agent.policy.tools?.requireApproval ?? []);
  for (const tool of agent.tools) {
    const impl = tool.implementation;
    if (approval.has(tool.id) || (tool.approval ?? "never") !== "never") {
      context.report(diagnostic("BRN509", `n8n: agent "${agent.id}" needs a human's approval before calling tool "${tool.id}" (approval ${approval.has(tool.id) ? "required by its policy" : `"${tool.approval}"`}); an n8n AI Agent cannot ask for it, so the workflow leaves the tool out; run the tool through the supervisor or openclaw target`, { file: agent.source }));
      continue;
    }
    if (impl.http) nodes.push(httpToolNode(brain, agent, tool, credentials, context));
    else if (impl.mcp) {
      const server = brain.mcpServers[impl.mcp.server];
      if (!server?.url) {
        context.report(diagnostic("BRN509", `n8n: tool "${tool.id}" uses the stdio MCP server "${impl.mcp.server}"; n8n's MCP Client tool only reaches servers over HTTP, so agent "${agent.id}" goes without it; serve it over streamable HTTP, or run it through the openclaw or supervisor target`, { file: tool.source }));
        continue;
      }
      mcp.set(impl.mcp.server, [...(mcp.get(impl.mcp.server) ?? []), tool]);
    } else if (impl.builtin?.n8n) {
      const type = impl.builtin.n8n;
      nodes.push({ name: tool.id, type, typeVersion: TOOL_VERSIONS[type] ?? 1, parameters: builtinParameters(tool, type) });
    } else {
      context.report(diagnostic("BRN509", `n8n: tool "${tool.id}" has no n8n implementation (implementation.builtin.n8n), so agent "${agent.id}" goes without it in n8n; run it through the ${Object.keys(impl.builtin ?? {}).join(" or ") || "supervisor"} target`, { file: tool.source }));
    }
  }
  for (const [serverId, tools] of [...mcp].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const server = brain.mcpServers[serverId];
    const parameters: Record<string, unknown> = {
      endpointUrl: n8nValue(server.url!),
      serverTransport: server.transport === "sse" ? "sse" : "httpStreamable",
      authentication: "none",
      include: "selected",
      includeTools: [...new Set(tools.map((t) => t.implementation.mcp!.tool))].sort(),
      options: {},
    };
    const node: GraphNode = { name: `MCP ${serverId}`, type: "@n8n/n8n-nodes-langchain.mcpClientTool", typeVersion: TOOL_VERSIONS["@n8n/n8n-nodes-langchain.mcpClientTool"], parameters };
    const headers = Object.entries(server.headers ?? {});
    if (headers.length === 1) {
      const [name, value] = headers[0];
      parameters.authentication = "headerAuth";
      node.credentials = credentials.use({ type: "httpHeaderAuth", name: `${brain.name} MCP ${serverId}`, data: { name, value: credentialValue(value) } });
    } else if (headers.length > 1) {
      parameters.authentication = "multipleHeadersAuth";
      node.credentials = credentials.use({
        type: "httpMultipleHeadersAuth",
        name: `${brain.name} MCP ${serverId}`,
        data: { headers: { values: headers.map(([name, value]) => ({ name, value: credentialValue(value) })) } },
      });
    }
    const timeouts = tools.map((t) => (t.timeout ? durationMs(t.timeout) : 0));
    if (Math.max(...timeouts) > 0) (parameters.options as Record<string, unknown>).timeout = Math.max(...timeouts);
    nodes.push(node);
  }
  return nodes;
}
