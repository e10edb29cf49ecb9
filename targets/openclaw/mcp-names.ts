/**
 * The names OpenClaw gives MCP tools, ported from openclaw@2026.9.6 src/agents/agent-bundle-mcp-names.ts
 * (dist/agent-bundle-mcp-names-*.mjs): `<server>__<tool>`, where each part has every character outside
 * `[A-Za-z0-9_-]` replaced by `-` and gets a `mcp-` / `tool-` prefix unless it starts with a letter; the
 * server part is cut to 30 characters (`-2`, `-3`, … against case-insensitive collisions, in declaration
 * order) and the whole name to 64. brainc's allow and deny lists must use these names to match.
 *
 * Not ported: OpenClaw also suffixes a tool name that collides with a tool registered before it
 * (`reservedNames`), which depends on the order the servers list their tools at run time.
 */

const TOOL_NAME_SAFE_RE = /[^A-Za-z0-9_-]/g;
const TOOL_NAME_MAX_PREFIX = 30;
const TOOL_NAME_MAX_TOTAL = 64;

/** `sanitizeToolFragment`: unsafe characters to `-`, a letter first (else `<fallback>-`), at most `maxChars`. */
function sanitizeFragment(raw: string, fallback: string, maxChars?: number): string {
  const normalized = raw.trim().replace(TOOL_NAME_SAFE_RE, "-") || fallback;
  const safe = /^[A-Za-z]/.test(normalized) ? normalized : `${fallback}-${normalized}`;
  return maxChars && safe.length > maxChars ? safe.slice(0, maxChars) : safe;
}

/**
 * `assignSafeServerNames`: the safe name of every declared server, given in OpenClaw's declaration order:
 * the key order of `mcp.servers` as OpenClaw loads openclaw.json (brainc writes keys sorted; a JavaScript
 * object lists integer-like keys first), which {@link mcpToolName} derives from the names.
 */
function safeServerNames(serverNames: readonly string[]): Map<string, string> {
  const loadOrder = Object.keys(Object.fromEntries([...serverNames].sort().map((n) => [n, 0])));
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const name of loadOrder) {
    const base = sanitizeFragment(name, "mcp", TOOL_NAME_MAX_PREFIX);
    let candidate = base;
    for (let n = 2; used.has(candidate.trim().toLowerCase()); n++) candidate = `${base.slice(0, Math.max(1, TOOL_NAME_MAX_PREFIX - `-${n}`.length))}-${n}`;
    used.add(candidate.trim().toLowerCase());
    out.set(name, candidate);
  }
  return out;
}

/**
 * The OpenClaw tool name of `tool` of the MCP server `server`, among the declared `serverNames`
 * (`buildSafeToolName` without reserved names), e.g. `gmail` + `messages.archive` → `gmail__messages-archive`.
 */
export function mcpToolName(server: string, tool: string, serverNames: readonly string[]): string {
  const safeServer = safeServerNames(serverNames.includes(server) ? serverNames : [...serverNames, server]).get(server)!;
  const maxToolChars = Math.max(1, TOOL_NAME_MAX_TOTAL - safeServer.length - 2);
  return `${safeServer}__${sanitizeFragment(tool, "tool").slice(0, maxToolChars) || "tool"}`;
}
