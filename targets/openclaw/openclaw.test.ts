import { execSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { OutputFile } from "../../src/emit/target.js";
import { goldenTests } from "../../test/golden.js";
import { compileOk, emitTarget, exampleBrain, fixtureBrain, tempCopy } from "../../test/helpers.js";
import { checkOutput } from "./check.js";
import { buildConfig, openclawDuration } from "./config.js";
import { EnvRenderer } from "./env.js";
import openclaw from "./index.js";
import { plan } from "./plan.js";
import { staleCronJobsCommand } from "./readme.js";
import { curlArgPattern, skillDescription } from "./skills.js";

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
    expect(env.secret("${env:lower_key}")).toBe("${lower_key}");
    expect([...env.unsupported]).toEqual(["lower_key"]);
  });
  it("never writes the default of a credential (it would be a plaintext secret in env.vars)", () => {
    const env = new EnvRenderer();
    expect(env.secret("${env:KEY:-dev}", "models.yaml")).toEqual({ source: "env", provider: "default", id: "KEY" });
    expect(env.secret("Bearer ${env:TOKEN:-t0k}")).toBe("Bearer ${TOKEN}");
    expect([...env.defaults]).toEqual([]);
    expect(env.droppedSecretDefaults).toEqual([{ name: "KEY", value: "dev", file: "models.yaml" }, { name: "TOKEN", value: "t0k", file: "brain.yaml" }]);
  });
  it("finds variables whose defaults disagree while env.vars sets one for the whole gateway", () => {
    const env = new EnvRenderer();
    env.text("${env:DIR:-/a}", "brain.yaml");
    env.text("${env:DIR:-/b}/x ${env:SAME:-1} ${env:SAME:-1}", "brain.yaml");
    expect(env.conflicts().map((c) => [c.name, c.applied, c.defaults.map((d) => d.value)])).toEqual([["DIR", "/b", ["/a", "/b"]]]);
    // A skill's own curl default loses against env.vars too; skills alone do not conflict (each curl keeps its own).
    expect(env.conflicts([{ name: "SAME", value: "2", file: "tools/t.yaml" }, { name: "ONLY_SKILLS", value: "x", file: "tools/t.yaml" }]).map((c) => c.name)).toEqual(["DIR", "SAME"]);
  });
});

describe("env defaults in a build", () => {
  it("reports a credential default as BRN512 and keeps it out of openclaw.json", async () => {
    const copy = tempCopy(fixtureBrain("openclaw-gateway"));
    try {
      const brainYaml = join(copy.dir, "brain.yaml");
      writeFileSync(brainYaml, readFileSync(brainYaml, "utf8").replace("${env:LITELLM_API_KEY}", '"${env:LITELLM_API_KEY:-sk-1234}"'));
      const { files, diagnostics } = await emitTarget(openclaw, copy.dir);
      expect(file(files, "openclaw.json")).not.toContain("sk-1234");
      expect(config(files).models.providers.gateway.apiKey).toEqual({ source: "env", provider: "default", id: "LITELLM_API_KEY" });
      const d = diagnostics.filter((x) => x.code === "BRN512");
      expect(d.map((x) => [x.severity, x.file])).toEqual([["warning", "brain.yaml"]]);
      expect(d[0].message).toContain("LITELLM_API_KEY");
      expect(file(files, "README.md")).toContain(d[0].message);
    } finally {
      copy.cleanup();
    }
  });
  it("reports one variable with different defaults as BRN512", async () => {
    const copy = tempCopy(fixtureBrain("openclaw-gateway"));
    try {
      const brainYaml = join(copy.dir, "brain.yaml");
      writeFileSync(brainYaml, readFileSync(brainYaml, "utf8").replace("/srv/openclaw/${env:DEPLOY_NAME:-via-gateway}", "/srv/openclaw/${env:LITELLM_BASE_URL:-x}"));
      const { diagnostics } = await emitTarget(openclaw, copy.dir);
      const d = diagnostics.filter((x) => x.code === "BRN512");
      expect(d.map((x) => [x.severity, x.file])).toEqual([["warning", "brain.yaml"]]);
      expect(d[0].message).toMatch(/LITELLM_BASE_URL has different defaults \("x" in brain\.yaml, "http:\/\/127\.0\.0\.1:4000\/v1" in brain\.yaml\)/);
    } finally {
      copy.cleanup();
    }
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

  it("an agent whose scheduled runs have no tool to post with is told that their replies reach no one (BRN509, README)", async () => {
    const { files, diagnostics } = await emitTarget(openclaw, fixtureBrain("openclaw-overlays"));
    const note = "OpenClaw runs its cron jobs without delivering the replies (agents post through their own tools), and it has no tool that sends a message (risk message), so what those runs produce reaches no one; give it one (a Slack or chat tool, say)";
    expect(diagnostics.filter((d) => d.code === "BRN509").map((d) => d.message)).toContain(`agent "bot": ${note}`);
    expect(file(files, "README.md")).toContain(`- \`bot\`: ${note}.`);
    expect(file(files, "README.md")).not.toContain("It binds the agents to channel accounts");
    // The prod overlay binds the bot to Slack: the README says the account itself is the user's to set up.
    const prod = await emitTarget(openclaw, fixtureBrain("openclaw-overlays"), "prod");
    expect(file(prod.files, "README.md")).toContain("It binds the agents to channel accounts (`bindings`): slack `prod` → `bot`. It does not set up the accounts themselves");
  });

  it("reports what OpenClaw cannot express as BRN509 infos naming the target that enforces it", async () => {
    const { diagnostics } = await emitTarget(openclaw, fixtureBrain("openclaw-everything"));
    const infos = diagnostics.filter((d) => d.code === "BRN509").map((d) => d.message);
    expect(infos.some((m) => m.includes("loop.maxSteps") && m.includes("supervisor target"))).toBe(true);
    // A gateway enforces only the global budget for OpenClaw's requests (one key, no task tags).
    expect(infos.some((m) => m.includes("budgets.agents.closer") && m.includes("enforce them with the supervisor target (the litellm gateway enforces only the global budget here"))).toBe(true);
    expect(infos.some((m) => m.includes('tool "n8n-only" has no OpenClaw implementation'))).toBe(true);
    expect(diagnostics.every((d) => d.severity === "info")).toBe(true);
  });

  it("warns (BRN512) when two agents are bound to one channel account: OpenClaw routes it to the first binding only", async () => {
    const shadowed = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === "BRN512" && d.message.includes("never gets one"));
    expect(shadowed((await emitTarget(openclaw, exampleBrain)).diagnostics)).toEqual([]);
    const { dir, cleanup } = tempCopy(exampleBrain);
    try {
      const file = join(dir, "agents/security-log-triage.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace("accountId: sec-bot", "accountId: ops-bot"));
      expect(shadowed((await emitTarget(openclaw, dir)).diagnostics).map((d) => [d.severity, d.file, d.message.replace(/; give .*/, "")])).toEqual([
        ["warning", "agents/uptime-monitor.yaml", 'agent "uptime-monitor": "security-log-triage" is bound to telegram account "ops-bot" too; OpenClaw routes every message there to the first binding, "security-log-triage", so "uptime-monitor" never gets one'],
      ]);
    } finally {
      cleanup();
    }
  });

  it("warns (BRN512) when an HTTP skill gets the exec approval another exec tool needs (OpenClaw has one per agent)", async () => {
    const { diagnostics } = await emitTarget(openclaw, exampleBrain);
    expect(diagnostics.filter((d) => d.code === "BRN512" && d.message.includes("one approval rule")).map((d) => [d.file, d.message.replace(/^agent "([^"]+)".* so ("[^"]+") needs.*$/, "$1 $2")])).toEqual([
      ["agents/security-log-triage.yaml", 'security-log-triage "slack-alert"'],
    ]);
  });

  it("says exactly what exec may run when http skills need curl beyond the policy (denied shell tool, allowBins without curl), and pins curl to the skills' commands in exec-approvals.json", async () => {
    const { files, diagnostics } = await emitTarget(openclaw, exampleBrain);
    expect(diagnostics.filter((d) => d.code === "BRN512" && d.message.includes("OpenClaw runs its HTTP skills"))).toEqual([]);
    const reporter = file(files, "workspaces/incident-reporter/AGENTS.md");
    expect(reporter).toContain("- Run no shell commands: your policy denies `shell-exec`. OpenClaw runs your HTTP skills with `exec`, so `exec` may start `curl`: run it only as your skills show, and nothing else.\n");
    expect(reporter).not.toContain("Shell commands may only start");
    const triage = file(files, "workspaces/security-log-triage/AGENTS.md");
    expect(triage).toContain("- Shell commands may only start `cut`, `grep`, `head`, `journalctl`, `last`, `sort`, `tail`, `uniq`, `wc`, `zgrep`.\n- Except: OpenClaw runs your HTTP skills with `exec`");
    expect(file(files, "workspaces/uptime-monitor/AGENTS.md")).toContain("- Shell commands may only start `curl`, and only as your skills show: OpenClaw runs your HTTP skills with `exec`.\n");
    const brain = await compileOk(exampleBrain);
    const pinned = (...tools: string[]) => tools.map((id) => ({ pattern: "curl", argPattern: curlArgPattern(brain.tools[id]) }));
    const agents = JSON.parse(file(files, "exec-approvals.json")).agents;
    expect(agents["incident-reporter"].allowlist).toEqual(pinned("slack-alert"));
    expect(agents["uptime-monitor"].allowlist).toEqual(pinned("http-check", "slack-alert"));
    expect(agents["security-log-triage"].allowlist.map((e: { pattern: string }) => e.pattern)).toEqual(["curl", "cut", "grep", "head", "journalctl", "last", "sort", "tail", "uniq", "wc", "zgrep"]);
    expect(agents["security-log-triage"].allowlist[0]).toEqual(pinned("slack-alert")[0]);
    expect(file(files, "README.md")).toContain("   openclaw approvals set --file exec-approvals.json\n");
  });

  it("warns (BRN512) when a skill's URL takes its host from an env variable, which the model can set for exec", async () => {
    const copy = tempCopy(fixtureBrain("openclaw-no-persona"));
    try {
      const tool = readFileSync(join(copy.dir, "tools/lookup.yaml"), "utf8");
      const warnings = async (url: string) => {
        writeFileSync(join(copy.dir, "tools/lookup.yaml"), tool.replace("https://glossary.example.com/terms/{{term}}", url));
        const { diagnostics } = await emitTarget(openclaw, copy.dir);
        return diagnostics.filter((d) => d.code === "BRN512").map((d) => d.message);
      };
      expect(await warnings("${env:GLOSSARY_URL:-https://glossary.example.com}/terms/{{term}}")).toEqual([expect.stringMatching(/^agent "glossary": its HTTP skill "lookup" takes the URL's host from \$\{GLOSSARY_URL\}, which curl reads from the environment/)]);
      expect(await warnings("https://${env:GLOSSARY_HOST}:8443/terms/{{term}}")).toEqual([expect.stringContaining("from ${GLOSSARY_HOST}")]);
      expect(await warnings("https://glossary.example.com/${env:GLOSSARY_PATH}/{{term}}")).toEqual([]);
    } finally {
      copy.cleanup();
    }
  });

  it("allows curl with any arguments where the policy lets the shell tool run curl (allowBins)", async () => {
    const copy = tempCopy(fixtureBrain("openclaw-exec-guards"));
    try {
      writeFileSync(join(copy.dir, "policies/guarded.yaml"), readFileSync(join(copy.dir, "policies/guarded.yaml"), "utf8").replace("allowBins: [", "allowBins: [curl, "));
      writeFileSync(join(copy.dir, "tools/status.yaml"), "description: Status.\ninput: { type: object }\nimplementation: { http: { url: https://status.example.com/ } }\n");
      writeFileSync(join(copy.dir, "agents/inspector.yaml"), "name: Inspector\nprompt: ops\ntools: [shell, status]\npolicies: [guarded]\n");
      const { files } = await emitTarget(openclaw, copy.dir);
      expect(JSON.parse(file(files, "exec-approvals.json")).agents.inspector.allowlist).toEqual(["cat", "curl", "df", "grep", "ls"].map((pattern) => ({ pattern })));
    } finally {
      copy.cleanup();
    }
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
    expect(e.janitor.tools.exec).toEqual({ mode: "ask" });
    expect(e.root.tools.exec).toEqual({ mode: "full" });
    expect(config((await emitTarget(openclaw, exampleBrain)).files).agents.entries["uptime-monitor"].tools.exec).toEqual({ mode: "allowlist" });
    expect(JSON.parse(file(files, "exec-approvals.json")).agents.janitor).toEqual({ allowlist: [{ pattern: "df" }, { pattern: "uptime" }] });
  });

  it("a path allow list in AGENTS.md leaves the agent its memory files (they are memory, not file tools' paths)", async () => {
    const copy = tempCopy(fixtureBrain("openclaw-exec-guards"));
    try {
      writeFileSync(join(copy.dir, "memory.yaml"), "namespaces:\n  notes: { description: Notes., scope: shared, record: { type: object } }\n");
      writeFileSync(join(copy.dir, "policies/fence-a.yaml"), 'description: A.\ntools:\n  paths: { allow: ["/srv/a/**"] }\n');
      writeFileSync(join(copy.dir, "policies/fence-b.yaml"), 'description: B.\ntools:\n  paths: { allow: ["/srv/b/**"] }\n');
      writeFileSync(join(copy.dir, "agents/keeper.yaml"), "name: Keeper\nprompt: ops\ntools: [shell]\npolicies: [fence-a]\nmemory: [notes]\n");
      writeFileSync(join(copy.dir, "agents/fenced.yaml"), "name: Fenced\nprompt: ops\ntools: [shell]\npolicies: [fence-a, fence-b]\nmemory: [notes]\n");
      const { files } = await emitTarget(openclaw, copy.dir);
      expect(file(files, "workspaces/keeper/AGENTS.md")).toContain("- Touch files only under `/srv/a/**` and your memory files (below).\n");
      expect(file(files, "workspaces/fenced/AGENTS.md")).toContain("- Touch no files but your memory files (below): no path is allowed.\n");
      expect(file(files, "workspaces/keeper/AGENTS.md")).toContain("## Memory files");
    } finally {
      copy.cleanup();
    }
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

  it("gives an agent with skills `read` (OpenClaw lists skills only when read is visible), confined to the workspace when nothing else needs it", async () => {
    const { files } = await emitTarget(openclaw, fixtureBrain("openclaw-no-persona"));
    const tools = config(files).agents.entries.glossary.tools;
    expect(tools.alsoAllow).toEqual(["exec", "read"]);
    expect(tools.fs).toEqual({ workspaceOnly: true });
    // With memory, read was there already, and the memory paths stay as the policy says.
    const monitor = config((await emitTarget(openclaw, exampleBrain)).files).agents.entries["uptime-monitor"].tools;
    expect(monitor.alsoAllow).toContain("read");
    expect(monitor.fs).toBeUndefined();
  });

  it("names MCP tools as OpenClaw registers them: unsafe characters to -, server part at most 30 characters", async () => {
    const copy = tempCopy(fixtureBrain("openclaw-mcp-tools"));
    try {
      const tool = join(copy.dir, "tools/search-tickets.yaml");
      writeFileSync(tool, readFileSync(tool, "utf8").replace("tool: search }", "tool: search.all }"));
      const brainYaml = join(copy.dir, "brain.yaml");
      writeFileSync(brainYaml, readFileSync(brainYaml, "utf8").replace(/\btickets:/, "acme-ticket-system-production-eu:").replace(/server: tickets\b/g, "server: acme-ticket-system-production-eu"));
      for (const t of ["tools/search-tickets.yaml", "tools/close-ticket.yaml"]) writeFileSync(join(copy.dir, t), readFileSync(join(copy.dir, t), "utf8").replace("server: tickets", "server: acme-ticket-system-production-eu"));
      const { files } = await emitTarget(openclaw, copy.dir);
      expect(config(files).agents.entries.support.tools.alsoAllow).toEqual(["acme-ticket-system-production-__close", "acme-ticket-system-production-__search-all", "files__read_text_file", "notes__read_note"]);
      expect(file(files, "workspaces/support/AGENTS.md")).toContain("the OpenClaw tool `acme-ticket-system-production-__search-all`");
    } finally {
      copy.cleanup();
    }
  });

  it("runs heartbeats internally (target none), since the brain names no destination and OpenClaw's default 'owner' skips without an owner route", async () => {
    const { files } = await emitTarget(openclaw, exampleBrain);
    expect(config(files).agents.entries["uptime-monitor"].heartbeat).toMatchObject({ every: "30m", target: "none" });
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

  it("creates cron jobs without runner delivery and without stagger (OpenClaw's defaults announce to 'last' and jitter top-of-hour crons)", async () => {
    const { files } = await emitTarget(openclaw, exampleBrain);
    const { jobs } = JSON.parse(file(files, "cron.json")) as { jobs: { args: string[] }[] };
    expect(jobs.length).toBeGreaterThan(0);
    for (const { args } of jobs) {
      expect(args).toContain("--no-deliver");
      expect(args).not.toContain("--announce");
      expect(args.includes("--exact")).toBe(args.includes("--cron"));
    }
    expect(jobs.some(({ args }) => args.includes("--every"))).toBe(true);
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

describe("Skill Workshop (targets.openclaw.skillWorkshop)", () => {
  it("is off unless the brain asks, since the skills OpenClaw learns live outside the brain; the README says what the mode does", async () => {
    const brain = await compileOk(fixtureBrain("openclaw-one-agent"));
    const mode = (options: Parameters<typeof plan>[1]) => JSON.parse(buildConfig(plan(brain, options))).skills;
    expect(mode({})).toEqual({ workshop: { autonomous: { mode: "off" } } });
    expect(mode({ skillWorkshop: "auto" })).toEqual({ workshop: { autonomous: { mode: "auto" } } });
    const { files } = await emitTarget(openclaw, fixtureBrain("openclaw-one-agent"));
    expect(file(files, "README.md")).toContain("Its Skill Workshop setting (`skills.workshop.autonomous.mode`, from `targets.openclaw.skillWorkshop`) is `off`: the agents' skills are the brain's.");
  });
});

describe("the README's cron step", () => {
  it("removes the jobs whose declaration key is the brain's but not cron.json's, and no other", () => {
    const dir = mkdtempSync(join(tmpdir(), "brainc-cron-"));
    try {
      writeFileSync(join(dir, "cron.json"), JSON.stringify({ jobs: [{ declarationKey: "acme/watcher/1" }] }));
      const jobs = [
        { id: "j1", declarationKey: "acme/watcher/1" }, // declared
        { id: "j2", declarationKey: "acme/watcher/2" }, // an earlier build's
        { id: "j3", declarationKey: "acme/gone/1" }, // a removed agent's
        { id: "j4", declarationKey: "acme-2/watcher/2" }, // another brain's
        { id: "j5", declarationKey: "heartbeat:watcher" }, // OpenClaw's own
        { id: "j6" }, // made by hand
      ];
      // A stand-in for the openclaw CLI: `cron list --all --json` prints the jobs; `cron rm <id>` is logged.
      writeFileSync(join(dir, "openclaw"), `#!/bin/sh\nif [ "$2" = list ]; then echo '${JSON.stringify({ jobs })}'; else echo "$@" >> removed.log; fi\n`, { mode: 0o755 });
      execSync(staleCronJobsCommand("acme"), { cwd: dir, env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, shell: "/bin/sh" });
      expect(readFileSync(join(dir, "removed.log"), "utf8")).toBe("cron rm j2\ncron rm j3\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
