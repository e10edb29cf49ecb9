// brainc's output against OpenClaw's own functions (openclaw@2026.9.6, the copy that
// `npm run test:conformance:openclaw` installs into .cache/openclaw): the skills' curl commands against its
// exec allowlist evaluator, and brainc's MCP tool names against its MCP name sanitiser. Skipped when it is
// not there.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { emitTarget, exampleBrain, fixtureBrain, repoRoot } from "../../test/helpers.js";
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

/** Every brain the conformance run builds: brain/ and each test/fixtures/brains/openclaw-* (overlays in their env). */
const brains: [string, string, string | undefined][] = [
  ["brain/", exampleBrain, undefined],
  ...readdirSync(join(repoRoot, "test/fixtures/brains"))
    .filter((n) => n.startsWith("openclaw-"))
    .sort()
    .flatMap((n): [string, string, string | undefined][] => [[n, fixtureBrain(n), undefined], ...(existsSync(join(fixtureBrain(n), "overlays/prod.yaml")) ? [[`${n} [prod]`, fixtureBrain(n), "prod"] as [string, string, string]] : [])]),
];

/** The fenced sh block of a SKILL.md. */
const commandOf = (skill: string) => /\n```sh\n([\s\S]*?)\n```\n/.exec(skill)?.[1] ?? "";

/**
 * A command as the model would run it: each argument placeholder filled with a value full of shell
 * syntax that must stay literal (with `'` encoded, as the skill says: `%27` in URLs, `\u0027` in the
 * body); curl's own `{{NAME}}` variables (imported with `--variable %NAME`) are left as they are.
 */
function filledIn(command: string): string {
  const variables = new Set([...command.matchAll(/--variable '%([A-Za-z0-9_]+)/g)].map((m) => m[1]));
  return command.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (variables.has(name) ? m : "it\\u0027s $HOME; `id` | sh *?[a] {b,c} $(x) ${y}"));
}

describe.skipIf(!installed)(`skills' commands pass OpenClaw's exec allowlist analysis${installed ? "" : skipped}`, () => {
  it.each(brains)("%s: every skill command is one line that OpenClaw analyses and matches to the curl allowlist entry", async (_label, dir, env) => {
    expect(chunk, `openclaw's exec-approvals-allowlist chunk in ${dist}`).toBeDefined();
    const evaluate = await openclawEvaluator();
    const { files } = await emitTarget(openclaw, dir, env);
    const skills = files.filter((f) => f.path.endsWith("/SKILL.md"));
    for (const skill of skills) {
      const command = commandOf(skill.contents);
      expect(command, skill.path).toMatch(/^curl [^\n]+$/);
      for (const c of [command, filledIn(command)]) {
        const r = await evaluate({ command: c, cwd: repoRoot, env: process.env, platform: "linux", allowlist: [{ pattern: "curl" }], safeBins: new Set(), allowShellBuiltins: true });
        expect({ path: skill.path, command: c, analysisOk: r.analysisOk, allowlistSatisfied: r.allowlistSatisfied, reason: r.authorizationPlan?.reason }).toEqual({ path: skill.path, command: c, analysisOk: true, allowlistSatisfied: true, reason: undefined });
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
