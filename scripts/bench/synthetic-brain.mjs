// Writes a deterministic synthetic brain for benchmarks: by default 200 agents, 2,000 prompt files
// (200 agent prompts, 200 personas, 1,600 partials), 1,000 tools and 100 policies.
// Usage: node scripts/bench/synthetic-brain.mjs <dir> [agents=200]
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function writeSyntheticBrain(dir, agents = 200) {
  const tools = agents * 5;
  const policies = Math.max(2, agents / 2);
  const partialsPerAgent = 8;
  rmSync(dir, { recursive: true, force: true });
  for (const d of ["agents", "tools", "policies", "prompts/agents", "prompts/personas", "prompts/parts"]) mkdirSync(join(dir, d), { recursive: true });
  const w = (p, s) => writeFileSync(join(dir, p), s);
  w("brain.yaml", `brainVersion: 1\nname: synthetic\ndescription: Synthetic brain for benchmarks.\ngateway: { baseUrl: "\${env:LITELLM_BASE_URL:-http://127.0.0.1:4000/v1}", apiKey: "\${env:LITELLM_API_KEY}" }\nmcpServers:\n  files: { command: npx, args: ["-y", "@modelcontextprotocol/server-filesystem", "/srv"] }\ndefaults: { policies: [policy-0] }\n`);
  w("models.yaml", `providers:\n  openai: { api: openai, apiKey: "\${env:OPENAI_API_KEY}" }\n  anthropic: { api: anthropic, apiKey: "\${env:ANTHROPIC_API_KEY}" }\n  zai: { api: openai-compatible, baseUrl: "https://api.z.ai/api/paas/v4", apiKey: "\${env:ZAI_API_KEY}" }\nmodels:\n  glm-5.1: { provider: zai, id: glm-5.1, contextWindow: 200000, costPerMTokUsd: { input: 0.6, output: 2.2 } }\n  gpt-5-mini: { provider: openai, id: gpt-5-mini, contextWindow: 400000, costPerMTokUsd: { input: 0.25, output: 2 } }\n  claude-sonnet-4-6: { provider: anthropic, id: claude-sonnet-4-6, contextWindow: 200000, costPerMTokUsd: { input: 3, output: 15 } }\ntiers:\n  cheap: [glm-5.1, gpt-5-mini]\n  mid: [gpt-5-mini, claude-sonnet-4-6]\n  strong: [claude-sonnet-4-6, gpt-5-mini]\n`);
  const tasks = Array.from({ length: 20 }, (_, i) => `task_${i}`);
  w("routing.yaml", `tasks:\n${tasks.map((t, i) => `  ${t}: { tier: ${["cheap", "mid", "strong"][i % 3]} }`).join("\n")}\ndefault: mid\nfallback: { on: [rate_limit, timeout, server_error], retriesPerModel: 1 }\nbudgets:\n  global: { dailyUsd: 1000, monthlyUsd: 20000 }\n  onExceeded: block\n`);
  w("memory.yaml", `namespaces:\n${Array.from({ length: 50 }, (_, i) => `  ns-${i}:\n    description: Namespace ${i}.\n    scope: agent\n    record: { type: object, properties: { key: { type: string }, value: { type: number } } }`).join("\n")}\n`);
  for (let t = 0; t < tools; t++) {
    const mcp = t % 4 === 0;
    w(`tools/tool-${t}.yaml`, `description: Synthetic tool ${t} that looks something up.\ninput:\n  type: object\n  required: [query]\n  properties:\n    query: { type: string, description: What to look up. }\n    option${t}: { type: string, enum: [a${t}, b${t}], description: Option of tool ${t}. }\n    limit: { type: integer, minimum: 1, maximum: 100, default: 10 }\n    tags: { type: array, items: { type: string } }\noutput:\n  type: object\n  properties:\n    results: { type: array, items: { type: object, properties: { id: { type: string }, score: { type: number }, field${t}: { type: boolean } } } }\nrisk: [read, network]\napproval: never\ntimeout: 10s\nimplementation:\n${mcp ? `  mcp: { server: files, tool: read_${t} }` : `  http: { method: GET, url: "https://api.example.com/tool-${t}?q={{query}}&limit={{limit}}" }`}\n`);
  }
  for (let p = 0; p < policies; p++) {
    w(`policies/policy-${p}.yaml`, `description: Synthetic policy ${p}.\nloop: { maxSteps: ${20 + (p % 10)}, maxToolCalls: ${40 + p}, maxTokens: 200000, maxCostUsd: ${1 + (p % 5)}, maxDuration: ${10 + p}m }\ncontext: { compactAtPercent: ${70 + (p % 20)}, keepRecentTokens: 20000 }\ntools:\n  allow: ["*"]\n  requireApproval: ["tool-${p}"]\n  exec: { denyPatterns: ["rm -rf /"] }\n  paths: { deny: ["~/.ssh/**"], workspaceOnly: true }\ncheckpoint: { every: step, keep: 10 }\n`);
  }
  for (let a = 0; a < agents; a++) {
    const myTools = Array.from({ length: 5 }, (_, i) => `tool-${(a * 5 + i) % tools}`);
    const parts = Array.from({ length: partialsPerAgent }, (_, i) => `part-${a}-${i}`);
    w(`agents/agent-${a}.yaml`, `name: Agent ${a}\ndescription: Synthetic agent ${a}.\nprompt: agents/agent-${a}\npersona: personas/persona-${a}\ntask: ${tasks[a % tasks.length]}\ntools: [${myTools.join(", ")}]\npolicies: [policy-${(a % (policies - 1)) + 1}]\nmemory: [ns-${a % 50}]\nschedules:\n  - { every: ${5 + (a % 55)}m, task: ${tasks[(a + 1) % tasks.length]}, message: "Run." }\nheartbeat: { every: 30m, task: ${tasks[0]} }\nchannels:\n  - { channel: webhook, path: agent-${a} }\n`);
    w(`prompts/agents/agent-${a}.md`, `---\ndescription: Instructions of agent ${a}\ninput:\n  team: { type: string, default: "#ops" }\n---\nYou are {{agent.name}}, part of {{brain.name}}. {{agent.description}}\n\nTools:\n{{#each agent.tools}}\n- \`{{this.id}}\`: {{this.description}}\n{{/each}}\n\nStop after {{agent.policy.loop.maxSteps}} steps. Escalate to {{input.team}}.\n\n${parts.map((p) => `{{> ${p}}}`).join("\n")}\n`);
    w(`prompts/personas/persona-${a}.md`, `Calm, precise and brief. You work for {{brain.name}}.\n`);
    parts.forEach((p, i) => w(`prompts/parts/_${p}.md`, `## Rule ${i}\n\nFollow rule ${i} of agent ${a}: keep records in {{#each agent.memory}}\`{{this.id}}\`{{/each}}.\n`));
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const [dir, agents] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node scripts/bench/synthetic-brain.mjs <dir> [agents=200]");
    process.exit(2);
  }
  writeSyntheticBrain(dir, Number(agents ?? 200));
}
