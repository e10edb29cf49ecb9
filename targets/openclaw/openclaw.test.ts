import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { OutputFile } from "../../src/emit/target.js";
import { goldenTests } from "../../test/golden.js";
import { compileOk, emitTarget, exampleBrain, fixtureBrain, tempCopy } from "../../test/helpers.js";
import { checkOutput } from "./check.js";
import { buildConfig, openclawDuration } from "./config.js";
import { EnvRenderer } from "./env.js";
import openclaw from "./index.js";
import { plan } from "./plan.js";
import { skillDescription } from "./skills.js";

/** The focused fixture brains of the OpenClaw target (test/fixtures/brains/openclaw-*). */
const OPENCLAW_FIXTURES = [
  "openclaw-one-agent",
  "openclaw-many-agents",
  "openclaw-gateway",
  "openclaw-direct-providers",
  "openclaw-exec-guards",
  "openclaw-mcp-tools",
  "openclaw-channels",
  "openclaw-overlays",
  "openclaw-no-tools",
  "openclaw-no-persona",
  "openclaw-everything",
];

describe("openclaw golden", () => {
  goldenTests(openclaw, fileURLToPath(new URL("./__golden__", import.meta.url)), OPENCLAW_FIXTURES, { env: { "openclaw-overlays": "prod" } });
});

const file = (files: OutputFile[], path: string) => files.find((f) => f.path === path)!.contents;
const config = (files: OutputFile[]) => JSON.parse(file(files, "openclaw.json"));

describe("env references", () => {
  it("renders ${env:NAME} as ${NAME}, keeps defaults for env.vars and escapes literal ${", () => {
    const env = new EnvRenderer();
    expect(env.text("${env:BASE:-http://127.0.0.1:4000/v1}/x ${literal}")).toBe("${BASE}/x $${literal}");
    expect([...env.defaults]).toEqual([["BASE", "http://127.0.0.1:4000/v1"]]);
  });
  it("makes credentials SecretRefs when they are one plain reference, ${NAME} otherwise", () => {
    const env = new EnvRenderer();
    expect(env.secret("${env:OPENAI_API_KEY}")).toEqual({ source: "env", provider: "default", id: "OPENAI_API_KEY" });
    expect(env.secret("${env:KEY:-dev}")).toBe("${KEY}");
    expect(env.secret("${env:lower_key}")).toBe("${lower_key}");
    expect([...env.unsupported]).toEqual(["lower_key"]);
  });
});

describe("small conversions", () => {
  it("writes days as hours (OpenClaw durations know ms, s, m, h)", () => {
    expect(openclawDuration("2d")).toBe("48h");
    expect(openclawDuration("30m")).toBe("30m");
  });
  it("cuts skill descriptions to one line under 160 characters", () => {
    expect(skillDescription("Short.\n  Two lines.")).toBe("Short. Two lines.");
    const long = `First sentence is short. ${"word ".repeat(60)}`;
    expect(skillDescription(long)).toBe("First sentence is short.");
    const noSentence = "word ".repeat(60);
    expect(skillDescription(noSentence).length).toBeLessThan(160);
    expect(skillDescription(noSentence).endsWith("…")).toBe(true);
  });
});

describe("emit", () => {
  it("is deterministic", async () => {
    const a = await emitTarget(openclaw, exampleBrain);
    const b = await emitTarget(openclaw, exampleBrain);
    expect(a.files).toEqual(b.files);
  });

  it("reports what OpenClaw cannot express as BRN509 infos naming the target that enforces it", async () => {
    const { diagnostics } = await emitTarget(openclaw, fixtureBrain("openclaw-everything"));
    const infos = diagnostics.filter((d) => d.code === "BRN509").map((d) => d.message);
    expect(infos.some((m) => m.includes("loop.maxSteps") && m.includes("supervisor target"))).toBe(true);
    expect(infos.some((m) => m.includes("budgets.agents.closer") && m.includes("litellm target"))).toBe(true);
    expect(infos.some((m) => m.includes('tool "n8n-only" has no OpenClaw implementation'))).toBe(true);
    expect(diagnostics.every((d) => d.severity === "info")).toBe(true);
  });

  it("routes through the gateway's model groups, with no fallbacks in OpenClaw", async () => {
    const { files } = await emitTarget(openclaw, fixtureBrain("openclaw-gateway"));
    const c = config(files);
    expect(Object.keys(c.models.providers)).toEqual(["gateway"]);
    expect(c.models.providers.gateway.models.map((m: { id: string }) => m.id)).toEqual(["via-gateway-cheap", "via-gateway-mid"]);
    expect(c.agents.entries.helper.model).toEqual({ primary: "gateway/via-gateway-cheap", fallbacks: [] });
    expect(c.env.vars).toEqual({ DEPLOY_NAME: "via-gateway", LITELLM_BASE_URL: "http://127.0.0.1:4000/v1" });
  });

  it("maps exec guards and approvals to tools.exec and the exec allowlist", async () => {
    const { files } = await emitTarget(openclaw, fixtureBrain("openclaw-exec-guards"));
    const e = config(files).agents.entries;
    expect(e.inspector.tools.exec).toEqual({ security: "allowlist", ask: "always" });
    expect(e.inspector.tools.fs).toEqual({ workspaceOnly: true });
    expect(e.janitor.tools.exec).toEqual({ security: "allowlist", ask: "on-miss" });
    expect(e.root.tools.exec).toEqual({ security: "full", ask: "off" });
    expect(file(files, "README.md")).toContain("openclaw approvals allowlist add --agent janitor df");
  });

  it("keeps allow lists that intersect to nothing as 'nothing allowed', never as 'no restriction'", async () => {
    // guarded allows /var/log/** and ls, cat, grep, df; the fences allow other paths, commands and hosts.
    const copy = tempCopy(fixtureBrain("openclaw-exec-guards"));
    try {
      writeFileSync(join(copy.dir, "policies/fence-a.yaml"), 'description: A.\ntools:\n  exec: { allowBins: [uptime] }\n  paths: { allow: ["/srv/a/**"] }\n  network: { allow: [a.example] }\n');
      writeFileSync(join(copy.dir, "policies/fence-b.yaml"), "description: B.\ntools:\n  network: { allow: [b.example] }\n");
      writeFileSync(join(copy.dir, "agents/inspector.yaml"), "name: Inspector\nprompt: ops\ntools: [shell]\npolicies: [guarded, fence-a, fence-b]\n");
      const { files, diagnostics } = await emitTarget(openclaw, copy.dir);
      const agentsMd = file(files, "workspaces/inspector/AGENTS.md");
      expect(agentsMd).toContain("- Touch no files: no path is allowed.\n");
      expect(agentsMd).toContain("- Contact no host at all: no host is allowed.\n");
      expect(agentsMd).toContain("- Run no shell commands: no command is allowed.\n");
      expect(agentsMd).not.toContain("Touch files only under");
      expect(agentsMd).not.toContain("Shell commands may only start");
      // OpenClaw enforces the empty exec allowlist itself; the path and host fences only the supervisor.
      expect(config(files).agents.entries.inspector.tools.exec).toEqual({ security: "allowlist", ask: "always" });
      expect(file(files, "README.md")).not.toContain("allowlist add --agent inspector");
      const limit = diagnostics.find((d) => d.code === "BRN509" && d.message.startsWith('agent "inspector": OpenClaw cannot enforce'));
      expect(limit?.message).toContain("tools.paths.allow");
      expect(limit?.message).toContain("tools.network.allow");
      expect(limit?.message).toContain("supervisor target");
    } finally {
      copy.cleanup();
    }
  });

  it("names MCP tools <server>__<tool> and denies the ones the policy denies", async () => {
    const { files } = await emitTarget(openclaw, fixtureBrain("openclaw-mcp-tools"));
    const tools = config(files).agents.entries.support.tools;
    expect(tools.alsoAllow).toEqual(["files__read_text_file", "notes__read_note", "tickets__close", "tickets__search"]);
    expect(tools.deny).toEqual(["files__delete_file"]);
    expect(file(files, "workspaces/support/AGENTS.md")).toContain("Ask a human and wait for approval before every call of `close-ticket`.");
  });

  it("gives an agent without tools the minimal profile and no skills", async () => {
    const { files } = await emitTarget(openclaw, fixtureBrain("openclaw-no-tools"));
    const entry = config(files).agents.entries.talker;
    expect(entry.tools).toEqual({ profile: "minimal" });
    expect(entry.skills).toEqual([]);
    expect(config(files).agents.ownership).toBeUndefined();
  });

  it("puts the tool notes into the prompt's own ## Tools section, so AGENTS.md has one (a heading in a code block does not count)", async () => {
    const headings = (md: string) => md.split("\n").filter((l) => /^#{2,3} /.test(l));
    const example = file((await emitTarget(openclaw, exampleBrain)).files, "workspaces/uptime-monitor/AGENTS.md");
    expect(headings(example).filter((h) => h === "## Tools")).toHaveLength(1);
    expect(headings(example).slice(headings(example).indexOf("## Tools"), headings(example).indexOf("## Tools") + 3)).toEqual(["## Tools", "### In OpenClaw", "## Memory"]);
    const copy = tempCopy(fixtureBrain("openclaw-one-agent"));
    try {
      const prompt = join(copy.dir, "prompts/assistant.md");
      writeFileSync(prompt, `${readFileSync(prompt, "utf8")}\n\n\`\`\`md\n## Tools\n\`\`\`\n`);
      const fenced = file((await emitTarget(openclaw, copy.dir)).files, "workspaces/assistant/AGENTS.md");
      expect(fenced).toContain("```md\n## Tools\n```\n");
      expect(fenced).not.toContain("### In OpenClaw");
      expect(fenced.slice(fenced.lastIndexOf("\n## Tools\n"))).toMatch(/^\n## Tools\n\n(- `|You have no tools)/);
    } finally {
      copy.cleanup();
    }
  });

  it("writes one cron declaration per schedule, with a declaration key and execFile-ready args", async () => {
    const { files } = await emitTarget(openclaw, fixtureBrain("openclaw-everything"));
    const { jobs } = JSON.parse(file(files, "cron.json"));
    expect(jobs.map((j: { declarationKey: string }) => j.declarationKey)).toEqual(["kitchen-sink/closer/1", "kitchen-sink/closer/2", "kitchen-sink/closer/3"]);
    expect(jobs[2].args).toEqual(expect.arrayContaining(["--cron", "0 8 * * 1", "--tz", "UTC"]));
  });

  it("raises OpenClaw's bootstrap injection caps only for workspaces they would truncate", async () => {
    const brain = await compileOk(fixtureBrain("openclaw-one-agent"));
    const entry = (largest: number, total: number) => JSON.parse(buildConfig(plan(brain, {}), { assistant: { largest, total } })).agents.entries.assistant;
    expect(entry(25_000, 70_000)).toMatchObject({ bootstrapMaxChars: 25_000, bootstrapTotalMaxChars: 70_000 });
    expect(entry(20_000, 60_000).bootstrapMaxChars).toBeUndefined();
    expect(entry(20_000, 60_000).bootstrapTotalMaxChars).toBeUndefined();
  });

  it("points each workspace under workspaceRoot", async () => {
    const brain = await compileOk(fixtureBrain("openclaw-one-agent"));
    expect(plan(brain, {}).agents[0].workspace).toBe("~/.openclaw/brains/solo/assistant");
    expect(plan(brain, { workspaceRoot: "/srv/x/" }).agents[0].workspace).toBe("/srv/x/assistant");
  });
});

describe("check() against OpenClaw's schema and rules", () => {
  const okConfig = { agents: { defaults: { workspace: "~/.openclaw/workspace", model: { primary: "anthropic/claude-sonnet-4-6", fallbacks: ["openai/gpt-5.4-mini"] } } } };
  const check = (value: unknown) => checkOutput([{ path: "openclaw.json", contents: JSON.stringify(value) }]);
  const two = { a: { workspace: "/w/a" }, b: { workspace: "/w/b" } };

  it("accepts the reference's minimal config", async () => {
    expect(await check(okConfig)).toEqual([]);
  });
  it("rejects unknown keys, wrong types and bad enums", async () => {
    const messages = (await check({ ...okConfig, foo: 1, agents: { defaults: { maxConcurrent: "four", bogusKey: 1 } }, models: { providers: { p: { api: "openai", models: [{ id: "x" }] } } } })).map((d) => d.message);
    expect(messages.join("\n")).toMatch(/additional properties "foo"/);
    expect(messages.join("\n")).toMatch(/\/agents\/defaults must NOT have additional properties "bogusKey"/);
    expect(messages.join("\n")).toMatch(/\/agents\/defaults\/maxConcurrent must be integer/);
    expect(messages.join("\n")).toMatch(/\/models\/providers\/p\/api/);
    expect(messages.join("\n")).toMatch(/\/models\/providers\/p\/models\/0 must have required property 'name'/);
    expect(new Set((await check({ foo: 1 })).map((d) => d.code))).toEqual(new Set(["BRN510"]));
  });
  it("judges ${NAME} values as OpenClaw does: substituted from env.vars, unknown until set otherwise", async () => {
    const mcp = (url: string, vars?: Record<string, string>) => check({ ...(vars && { env: { vars } }), mcp: { servers: { n: { url } } } });
    expect(await mcp("${URL}", { URL: "http://127.0.0.1:7010/mcp" })).toEqual([]);
    expect(await mcp("${URL}")).toEqual([]);
    expect((await mcp("${URL}", { URL: "not a url" })).map((d) => d.message)).toEqual(['openclaw/openclaw.json: /mcp/servers/n/url must match format "uri"']);
    expect((await mcp("notaurl")).map((d) => d.message)).toEqual(['openclaw/openclaw.json: /mcp/servers/n/url must match format "uri"']);
  });
  it("applies the CLI's cross-field rules", async () => {
    const messages = (await check({ agents: { entries: { ...two, a: { tools: { allow: ["read"], alsoAllow: ["exec"] }, heartbeat: { every: "1d" } } } }, bindings: [{ agentId: "zzz", match: { channel: "telegram" } }] })).map((d) => d.message);
    expect(messages).toEqual([
      "openclaw/openclaw.json: /agents/entries/a/tools cannot set both allow and alsoAllow",
      'openclaw/openclaw.json: /agents multi-agent rosters require agents.ownership="explicit"',
      'openclaw/openclaw.json: /bindings/0/agentId unknown agent id "zzz" (not in agents.entries)',
      'openclaw/openclaw.json: /agents/entries/a/heartbeat/every invalid duration "1d" (use ms, s, m, h)',
    ]);
  });
  it("checks skill frontmatter", async () => {
    const skill = (name: string, description: string) => ({ path: "workspaces/a/skills/x-y/SKILL.md", contents: `---\nname: ${name}\ndescription: ${JSON.stringify(description)}\n---\n\nBody\n` });
    expect(await checkOutput([{ path: "openclaw.json", contents: JSON.stringify(okConfig) }, skill("x-y", "Fine.")])).toEqual([]);
    const bad = await checkOutput([{ path: "openclaw.json", contents: JSON.stringify(okConfig) }, skill("Other", "x".repeat(200))]);
    expect(bad.map((d) => d.message)).toEqual([
      'openclaw/workspaces/a/skills/x-y/SKILL.md: name "Other" must be a lowercase slug equal to its folder "x-y"',
      "openclaw/workspaces/a/skills/x-y/SKILL.md: description must be one line of fewer than 160 characters",
    ]);
  });
  it("accepts the committed build of brain/", async () => {
    const contents = readFileSync(fileURLToPath(new URL("../../generated/openclaw/openclaw.json", import.meta.url)), "utf8");
    expect(await checkOutput([{ path: "openclaw.json", contents }])).toEqual([]);
  });
});
