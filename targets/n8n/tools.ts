import { diagnostic } from "../../src/diagnostics/codes.js";
import { envNames, singleEnvRef } from "../../src/emit/env-refs.js";
import type { EmitContext } from "../../src/emit/target.js";
import type { Agent, Brain, Tool } from "../../src/link/model.js";
import { durationMs } from "../../src/link/durations.js";
import { contractPieces as pieces, type EnvRef, PLACEHOLDER, urlPlaces } from "../../src/emit/placeholders.js";
import type { CredentialSet } from "./credentials.js";
import { credentialValue } from "./credentials.js";
import { envJs, escapeTemplateText, hasFromAiCall, jsString, n8nLiteral, n8nValue } from "./expressions.js";
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

/**
 * What the model reads about one argument: the schema's description, its allowed values and default.
 * n8n 2.41's `$fromAI` parser drops the backslash of every escape, braces would end the template, and a
 * `$fromAI(` in the text would add an argument (n8n scans the whole parameter), so braces become
 * parentheses and such a `$` is followed by a space.
 */
function fromAiDescription(schema: JsonSchema | undefined, required: boolean): string {
  const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
  const parts = schema?.description ? [sentence(schema.description.trim())] : [];
  if (schema?.enum) parts.push(`One of: ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}.`);
  if (schema?.default !== undefined) parts.push(`Default: ${JSON.stringify(schema.default)}.`);
  if (required) parts.push("Required.");
  return parts.join(" ").replace(/\s+/g, " ").replace(/\{/g, "(").replace(/\}/g, ")").replace(/\$(?=fromai\s*\()/gi, "$ ").trim();
}

/**
 * A text as a double-quoted `$fromAI` argument that n8n 2.41 reads back exactly, both when its parser
 * (from-ai-parse-utils parseArguments: strips the quotes, drops the backslash of every escape, then
 * turns a doubled backslash into one) builds the schema and when the expression runs as JavaScript;
 * undefined when the text holds a backslash, a character JSON escapes (control characters, lone
 * surrogates), `}}` (ends the template) or a `$fromAI(` call.
 */
function exactArgument(text: string): string | undefined {
  const quoted = JSON.stringify(text);
  const exact = quoted === `"${text.replace(/"/g, '\\"')}"` && !text.includes("\\") && !text.includes("}}") && !hasFromAiCall(text);
  return exact ? quoted : undefined;
}

/**
 * The 4th `$fromAI` argument (the default) for a schema default, or undefined when n8n 2.41 cannot carry
 * it. n8n's parser reads it with parseDefaultValue (number and boolean text as such, json text
 * JSON-parsed) into the zod default of the schema the model is offered (`default`, and the argument is not
 * required); when the model leaves the argument out, the tool gets the argument's JavaScript value (see
 * {@link argJs}). A json argument must be a non-empty object or array (n8n's zod check), so its default is
 * written as its JSON text, which the parser turns into the value.
 */
function fromAiDefault(value: unknown, type: string): string | undefined {
  if (type === "number") return typeof value === "number" && Number.isFinite(value) ? JSON.stringify(value) : undefined;
  if (type === "boolean") return typeof value === "boolean" ? String(value) : undefined;
  if (type === "string") return typeof value === "string" ? exactArgument(value) : undefined;
  const nonEmpty = typeof value === "object" && value !== null && Object.keys(value).length > 0;
  return nonEmpty ? exactArgument(JSON.stringify(value)) : undefined;
}

/** One input property as n8n 2.41 `$fromAI` arguments: its type, description and (optional inputs only) default. */
function argumentOf(tool: Tool, name: string): { type: string; description: string; required: boolean; default?: string } {
  const schema = ((tool.input.properties ?? {}) as Record<string, JsonSchema>)[name];
  const required = ((tool.input.required as string[] | undefined) ?? []).includes(name);
  const type = fromAiType(schema);
  // A required input keeps no default: with one n8n would let the model leave it out.
  const defaultValue = required || schema?.default === undefined ? undefined : fromAiDefault(schema.default, type);
  return { type, description: fromAiDescription(schema, required), required, default: defaultValue };
}

/**
 * `$fromAI('name', 'description', 'type'[, default])` for one input property of a tool (n8n 2.41: an
 * argument without a default is required in the schema the model is offered; with one it is optional).
 */
function fromAi(tool: Tool, name: string): string {
  const arg = argumentOf(tool, name);
  const args = [jsString(name), jsString(arg.description), jsString(arg.type), ...(arg.default === undefined ? [] : [arg.default])];
  return `$fromAI(${args.join(", ")})`;
}

/**
 * The JavaScript value of one argument: its `$fromAI` call. n8n 2.41's AI Agent (v3) runs the tool node
 * with the model's arguments as given (createEngineRequests; the zod schema does not fill defaults in), so
 * a left-out argument is the JavaScript value of the 4th `$fromAI` argument. For a json argument that is
 * the default's JSON text (what n8n's parser turns into the schema default), so the call is wrapped to
 * give the value instead: `((v) => (v === "[1]" ? [1] : v))($fromAI(…, "[1]"))`.
 */
function argJs(tool: Tool, name: string): string {
  const arg = argumentOf(tool, name);
  const call = fromAi(tool, name);
  if (arg.type !== "json" || arg.default === undefined) return call;
  return `((v) => (v === ${arg.default} ? ${JSON.parse(arg.default) as string} : v))(${call})`;
}

/**
 * The JavaScript of an env reference or placeholder piece. `encode`: the argument's value is
 * percent-encoded (`encodeURIComponent`; a json argument as its JSON text), for a URL's path and query.
 */
function pieceJs(tool: Tool, piece: { env: EnvRef } | { arg: string }, encode = false): string {
  if ("env" in piece) return envJs(piece.env);
  const value = argJs(tool, piece.arg);
  if (!encode) return value;
  return argumentOf(tool, piece.arg).type === "json" ? `encodeURIComponent(JSON.stringify(${value}))` : `encodeURIComponent(${value})`;
}

/**
 * A contract string (url, header or query value) as an n8n parameter value with `$fromAI` expressions;
 * `encoded[i]` percent-encodes the placeholder at piece i (see {@link urlValue}).
 */
function templateValue(tool: Tool, value: string, encoded: boolean[] = []): string {
  const parts = pieces(tool, value);
  if (parts.every((p) => "text" in p)) return n8nLiteral(value);
  return "=" + parts.map((p, i) => ("text" in p ? escapeTemplateText(p.text) : `{{ ${pieceJs(tool, p, encoded[i])} }}`)).join("");
}

/**
 * A tool's URL (n8n 2.41 HTTP Request `url`): every placeholder after the scheme and authority
 * (`https://host:port`) is percent-encoded, so an argument stays one path segment or query value (no
 * added `/`, `?`, `#`, `&` or `../`). A placeholder in the authority, or one the URL starts with, picks
 * the host: brain-format.md allows it (`url: "{{url}}"`; link.ts only checks that placeholders name input
 * properties), so it is written as the model gives it, and the policy's network fence, which n8n cannot
 * enforce, is reported by the workflow (BRN509). An env reference is never encoded (it may hold a base URL).
 *
 * An encoded value that is `.` or `..` would still be a dot segment, which URL parsers (WHATWG, as n8n's
 * HTTP Request node sends through Node's URL) resolve to the parent path, encoded (`%2E%2E`) or not. So
 * the URL starts with a guard per such argument that puts a refusal in front of the URL when the value is
 * one: the node then fails the tool call with `Invalid URL: <refusal> https://…` and sends nothing. (A
 * guard that throws would not do: n8n 2.41 renders an expression that throws anything but its own
 * ExpressionError as empty text, which sent the request to the URL without the segment.)
 */
function urlValue(tool: Tool, url: string): string {
  const parts = pieces(tool, url);
  const encoded = urlPlaces(parts).map((place) => place === "rest");
  const value = templateValue(tool, url, encoded);
  const guarded = new Set(parts.flatMap((p, i) => ("arg" in p && encoded[i] && argumentOf(tool, p.arg).type !== "json" ? [p.arg] : []))); // JSON text is never a dot segment
  const guard = (arg: string) => `{{ /^\\.\\.?$/.test(${argJs(tool, arg)}) ? ${jsString(`argument '${arg}' cannot be '.' or '..' in the URL (it would change the URL's path), so nothing was sent: `)} : "" }}`;
  return guarded.size ? `=${[...guarded].map(guard).join("")}${value.slice(1)}` : value; // value is an "=" template: it holds placeholders
}

/** A JSON body value as a JavaScript expression: a string that is exactly one placeholder keeps the argument's JSON value. */
function bodyJs(tool: Tool, value: unknown): string {
  if (typeof value === "string") {
    const parts = pieces(tool, value);
    if (parts.length === 0) return '""';
    if (parts.length === 1 && !("text" in parts[0])) return pieceJs(tool, parts[0]);
    // Inside a longer string every value is text (a number or boolean as String() gives it, a json argument
    // as its JSON text): `+` between two numbers would add them.
    const text = (p: { env: EnvRef } | { arg: string }) => {
      const type = "arg" in p ? argumentOf(tool, p.arg).type : "string";
      return type === "json" ? `JSON.stringify(${pieceJs(tool, p)})` : type === "string" ? pieceJs(tool, p) : `String(${pieceJs(tool, p)})`;
    };
    return parts.map((p) => ("text" in p ? jsString(p.text) : text(p))).join(" + ");
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

/** `"a", "b"` for a diagnostic message. */
const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(", ");

/**
 * BRN509 infos about a tool's arguments as n8n 2.41 offers them (only the `$fromAI` ones, `used`): input
 * properties it does not offer, and optional inputs it makes required because they have no default
 * `$fromAI` can carry. At most one info of each kind per tool node. `fix`: what the author can do about
 * an argument that is not offered.
 */
function reportArguments(tool: Tool, agent: Agent, used: Set<string>, context: EmitContext, fix = "use the argument in the request, or run the tool through the supervisor target"): void {
  const props = Object.keys(tool.input.properties ?? {});
  const unused = props.filter((p) => !used.has(p));
  const where = `n8n: tool "${tool.id}" (agent "${agent.id}")`;
  if (unused.length) {
    context.report(diagnostic("BRN509", `${where}: n8n offers the model only the arguments its request uses ($fromAI), so ${quoted(unused)} ${unused.length === 1 ? "is" : "are"} not offered; ${fix}`, { file: tool.source }));
  }
  const optionalWithoutDefault = (p: string) => {
    const arg = argumentOf(tool, p);
    return !arg.required && arg.default === undefined;
  };
  const forced = props.filter((p) => used.has(p) && optionalWithoutDefault(p));
  if (forced.length) {
    context.report(diagnostic("BRN509", `${where}: n8n's $fromAI makes every argument without a default required, so the model must always send the optional ${quoted(forced)}; give ${forced.length === 1 ? "it" : "them"} a default in the contract (a number, a boolean, a non-empty object or array, or text without backslashes, control characters or "}}"), or run the tool through the supervisor target`, { file: tool.source }));
  }
}

/**
 * A BRN509 info naming the environment variables a tool node reads in expressions (`$env`): n8n 2.x blocks
 * `$env` in expressions unless N8N_BLOCK_ENV_ACCESS_IN_NODE=false (n8n-workflow 2.41 expression.js and
 * workflow-data-proxy-env-provider: blocked unless the variable is exactly "false").
 */
function reportEnv(what: string, values: unknown[], file: string, context: EmitContext): void {
  const names = envNames(values);
  if (!names.length) return;
  context.report(diagnostic("BRN509", `n8n: ${what} reads ${names.map((n) => `$env.${n}`).join(", ")} in n8n expressions; n8n 2.x blocks environment variables in expressions by default, so run n8n with N8N_BLOCK_ENV_ACCESS_IN_NODE=false, or write the value into the workflow (a secret into a credential)`, { file }));
}

/** An http tool contract as an HTTP Request tool node (`n8n-nodes-base.httpRequestTool` 4.5). */
function httpToolNode(brain: Brain, agent: Agent, tool: Tool, credentials: CredentialSet, context: EmitContext): GraphNode {
  const http = tool.implementation.http!;
  const parameters: Record<string, unknown> = {
    toolDescription: n8nLiteral(tool.description),
    method: http.method ?? "GET",
    url: urlValue(tool, http.url),
  };
  const node: GraphNode = { name: tool.id, type: "n8n-nodes-base.httpRequestTool", typeVersion: TOOL_VERSIONS["n8n-nodes-base.httpRequestTool"], parameters };
  const query = Object.entries(http.query ?? {});
  if (query.length) {
    // n8n percent-encodes query parameter values itself.
    Object.assign(parameters, { sendQuery: true, specifyQuery: "keypair", queryParameters: { parameters: query.map(([name, value]) => ({ name: n8nLiteral(name), value: templateValue(tool, value) })) } });
  }
  const headers: { name: string; value: string }[] = [];
  const inExpressions: unknown[] = [http.url, http.query, http.body];
  for (const [name, value] of Object.entries(http.headers ?? {})) {
    const ref = singleEnvRef(value);
    if (ref && !node.credentials) {
      // A header that is one env reference carries a secret: it goes into an n8n Header Auth credential.
      node.credentials = credentials.use({ type: "httpHeaderAuth", name: `${brain.name} ${tool.id}`, data: { name, value: credentialValue(value) } });
      Object.assign(parameters, { authentication: "genericCredentialType", genericAuthType: "httpHeaderAuth" });
      continue;
    }
    if (ref) context.report(diagnostic("BRN509", `n8n: tool "${tool.id}" sends more than one secret header; n8n's HTTP Request tool takes one Header Auth credential, so header "${name}" reads $env.${ref.env} in an expression instead (allow env access in n8n, or enforce the tool with the supervisor target)`, { file: tool.source }));
    headers.push({ name: n8nLiteral(name), value: templateValue(tool, value) });
    inExpressions.push(value);
  }
  if (headers.length) Object.assign(parameters, { sendHeaders: true, specifyHeaders: "keypair", headerParameters: { parameters: headers } });
  if (http.body !== undefined) {
    Object.assign(parameters, { sendBody: true, contentType: "json", specifyBody: "json", jsonBody: `={{ JSON.stringify(${bodyJs(tool, http.body)}) }}` });
  }
  const options: Record<string, unknown> = {};
  if (tool.timeout) options.timeout = durationMs(tool.timeout);
  parameters.options = options;
  reportArguments(tool, agent, placeholdersOf([http.url, http.query, http.body, http.headers]), context);
  reportEnv(`tool "${tool.id}" (agent "${agent.id}")`, inExpressions, tool.source, context);
  return node;
}

/**
 * A builtin n8n tool node: the tool description, and for HTTP Request (4.5) a `$fromAI` URL, the only
 * argument it offers (the other input properties are reported, as for http contracts).
 */
function builtinToolNode(agent: Agent, tool: Tool, type: string, context: EmitContext): GraphNode {
  const node: GraphNode = { name: tool.id, type, typeVersion: TOOL_VERSIONS[type] ?? 1, parameters: { description: n8nLiteral(tool.description) } };
  if (type === "n8n-nodes-base.httpRequestTool") {
    const props = (tool.input.properties ?? {}) as Record<string, JsonSchema>;
    const options: Record<string, unknown> = {};
    if (tool.timeout) options.timeout = durationMs(tool.timeout);
    node.parameters = { toolDescription: n8nLiteral(tool.description), method: "GET", url: props.url ? `={{ ${fromAi(tool, "url")} }}` : "", options };
    reportArguments(tool, agent, new Set(props.url ? ["url"] : []), context, "its HTTP Request tool offers only the URL; run the tool through the openclaw or supervisor target to honour the others");
  } else if (type.startsWith("n8n-nodes-base.") && type.endsWith("Tool")) node.parameters = { toolDescription: n8nLiteral(tool.description) };
  else if (type === "@n8n/n8n-nodes-langchain.toolCalculator" || type === "@n8n/n8n-nodes-langchain.toolWikipedia") node.parameters = {};
  return node;
}

/**
 * One MCP Client tool node (`@n8n/n8n-nodes-langchain.mcpClientTool` 1.4) for the tools an agent uses of
 * one HTTP MCP server: only those tools, the server's headers as a Header Auth (one) or Multiple Headers
 * Auth (several) credential, the longest tool timeout.
 */
function mcpToolNode(brain: Brain, agent: Agent, serverId: string, tools: Tool[], credentials: CredentialSet, context: EmitContext): GraphNode {
  const server = brain.mcpServers[serverId];
  const parameters: Record<string, unknown> = {
    endpointUrl: n8nValue(server.url!),
    serverTransport: server.transport === "sse" ? "sse" : "httpStreamable",
    authentication: "none",
    include: "selected",
    includeTools: [...new Set(tools.map((t) => t.implementation.mcp!.tool))].sort().map(n8nLiteral),
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
  reportEnv(`the MCP server "${serverId}" (agent "${agent.id}") url`, [server.url], "brain.yaml", context);
  return node;
}

/**
 * The tool nodes of an agent (each connected to its AI Agent nodes on `ai_tool`): http contracts as HTTP
 * Request tools with `$fromAI` arguments, mcp contracts as one MCP Client tool per server (only the listed
 * tools), builtins by their n8n node type. Tools n8n cannot run, or that need an approval brainc does not wire
 * for, are left out with a BRN509 info.
 */
export function toolNodes(brain: Brain, agent: Agent, credentials: CredentialSet, context: EmitContext): GraphNode[] {
  const nodes: GraphNode[] = [];
  const mcp = new Map<string, Tool[]>();
  const approval = new Set(agent.policy.tools?.requireApproval ?? []);
  for (const tool of agent.tools) {
    const impl = tool.implementation;
    if (approval.has(tool.id) || (tool.approval ?? "never") !== "never") {
      context.report(diagnostic("BRN509", `n8n: agent "${agent.id}" needs a human's approval before calling tool "${tool.id}" (approval ${approval.has(tool.id) ? "required by its policy" : `"${tool.approval}"`}); brainc does not wire n8n's human-in-the-loop tool nodes (Chat, Slack, Telegram … HITL tools), so the workflow leaves the tool out; add such a node in n8n, or run the tool through the supervisor or openclaw target`, { file: agent.source }));
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
      nodes.push(builtinToolNode(agent, tool, impl.builtin.n8n, context));
    } else {
      context.report(diagnostic("BRN509", `n8n: tool "${tool.id}" has no n8n implementation (implementation.builtin.n8n), so agent "${agent.id}" goes without it in n8n; run it through the ${Object.keys(impl.builtin ?? {}).join(" or ") || "supervisor"} target`, { file: tool.source }));
    }
  }
  for (const [serverId, tools] of [...mcp].sort(([a], [b]) => (a < b ? -1 : 1))) nodes.push(mcpToolNode(brain, agent, serverId, tools, credentials, context));
  return nodes;
}
