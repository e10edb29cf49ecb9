import { execSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emitTarget, fixtureBrain, formatForTest, tempCopy } from "../../test/helpers.js";
import n8n from "./index.js";
import { retiredWorkflowsCommand } from "./readme.js";

/** Emits the n8n target for a copy of a fixture brain whose brain.yaml `targets.n8n` line is replaced. */
async function emitWith(fixture: string, n8nOptions: string) {
  const { dir, cleanup } = tempCopy(fixtureBrain(fixture));
  try {
    const manifest = join(dir, "brain.yaml");
    const text = readFileSync(manifest, "utf8");
    writeFileSync(manifest, /^ {2}n8n: .*$/m.test(text) ? text.replace(/^ {2}n8n: .*$/m, `  n8n: ${n8nOptions}`) : `${text}targets:\n  n8n: ${n8nOptions}\n`);
    return await emitTarget(n8n, dir);
  } finally {
    cleanup();
  }
}

describe("n8n target options", () => {
  it("requires memoryCredential with postgres or redis memory (BRN503), and emits nothing then", async () => {
    const { files, diagnostics } = await emitWith("n8n-memory-redis", "{ memory: postgres }");
    expect(files).toEqual([]);
    expect(formatForTest(diagnostics.filter((d) => d.severity === "error"))).toBe(
      "brain.yaml:0:0 error BRN503 targets.n8n.memoryCredential is required when targets.n8n.memory is postgres: name the n8n Postgres credential",
    );
  });

  it("is deterministic: two builds give byte-identical files", async () => {
    const a = await emitTarget(n8n, fixtureBrain("n8n-conformance"));
    const b = await emitTarget(n8n, fixtureBrain("n8n-conformance"));
    expect(b.files).toEqual(a.files);
    for (const f of a.files.filter((f) => f.path.endsWith(".json"))) expect(f.contents.endsWith("}\n") || f.contents.endsWith("]\n")).toBe(true);
  });
});

describe("agent ids the target's own files take (BRN513)", () => {
  it("an agent named credentials or error-handler is an error at its file, and nothing is emitted", async () => {
    const { dir, cleanup } = tempCopy(fixtureBrain("n8n-minimal"));
    try {
      for (const id of ["credentials", "error-handler"]) writeFileSync(join(dir, `agents/${id}.yaml`), readFileSync(join(dir, "agents/helper.yaml"), "utf8"));
      const { files, diagnostics } = await emitTarget(n8n, dir);
      expect(files).toEqual([]);
      expect(diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.file} ${d.message}`)).toEqual([
        'BRN513 agents/credentials.yaml n8n: agent "credentials" would be written to credentials.json, which is the n8n target\'s own credentials template',
        'BRN513 agents/error-handler.yaml n8n: agent "error-handler" would be written to error-handler.json, which is the n8n target\'s own error workflow',
      ]);
    } finally {
      cleanup();
    }
  });
});

describe("README.md", () => {
  it("says how to deploy this output (variables, import order, ids) and lists what the workflows do not run: the target's infos and warnings", async () => {
    const { files, diagnostics } = await emitTarget(n8n, fixtureBrain("n8n-http-tools"));
    const readme = files.find((f) => f.path === "README.md")!.contents;
    const workflows = files.filter((f) => f.path.endsWith(".json") && f.path !== "credentials.json");
    const reads = [...new Set(files.flatMap((f) => [...f.contents.matchAll(/\$env\.(\w+)/g)].map((m) => m[1])))].sort();
    expect(reads.length).toBeGreaterThan(0);
    expect(readme).toContain(`in n8n's environment: ${reads.map((n) => `\`${n}\``).join(", ")}. n8n 2.x resolves \`$env\` expressions only when it runs with \`N8N_BLOCK_ENV_ACCESS_IN_NODE=false\``);
    expect(readme).toContain(`for f in error-handler.json ${workflows.filter((f) => f.path !== "error-handler.json").map((f) => f.path).join(" ")}; do n8n import:workflow`);
    for (const f of workflows) expect(readme).toContain(JSON.parse(f.contents).id);
    const notes = diagnostics.filter((d) => d.severity !== "error").map((d) => `- ${d.message.replace(/^n8n: /, "")}`);
    expect(notes.length).toBeGreaterThan(0);
    expect(readme.slice(readme.indexOf("## What the workflows do not run")).split("\n").filter((l) => l.startsWith("- "))).toEqual(notes);
  });
});

describe("what an n8n workflow cannot express (BRN509)", () => {
  /** The BRN509 messages of a copy of a fixture brain after `edit`. */
  async function limitsOf(fixture: string, edit: (dir: string) => void): Promise<string[]> {
    const { dir, cleanup } = tempCopy(fixtureBrain(fixture));
    try {
      edit(dir);
      const { diagnostics } = await emitTarget(n8n, dir);
      return diagnostics.filter((d) => d.code === "BRN509").map((d) => d.message);
    } finally {
      cleanup();
    }
  }

  it("reports a heartbeat interval the Schedule Trigger can only approximate, as it does for schedules", async () => {
    const messages = await limitsOf("n8n-schedules", (dir) => {
      const agent = join(dir, "agents/ticker.yaml");
      writeFileSync(agent, readFileSync(agent, "utf8").replace("heartbeat: { every: 30m,", "heartbeat: { every: 1500ms,"));
    });
    expect(messages).toContain('n8n: agent "ticker": a Schedule Trigger cannot fire every 1500ms; the heartbeat fires at the nearest interval n8n can express ({"interval":[{"field":"seconds","secondsInterval":2}]})');
    expect(messages.filter((m) => m.includes("cannot fire every"))).toHaveLength(3); // and the 90m and 45s schedules
  });

  it("reports path and host fences whose allow lists intersect to nothing (nothing allowed, not unset)", async () => {
    const messages = await limitsOf("n8n-minimal", (dir) => {
      mkdirSync(join(dir, "policies"));
      writeFileSync(join(dir, "policies/a.yaml"), 'description: A.\ntools:\n  paths: { allow: ["/srv/a/**"] }\n  network: { allow: [a.example] }\n');
      writeFileSync(join(dir, "policies/b.yaml"), 'description: B.\ntools:\n  paths: { allow: ["/srv/b/**"] }\n  network: { allow: [b.example] }\n');
      writeFileSync(join(dir, "agents/helper.yaml"), "name: Helper\ndescription: Answers questions.\nprompt: helper\npolicies: [a, b]\n");
    });
    const unenforced = messages.find((m) => m.includes("an n8n workflow cannot enforce"));
    expect(unenforced).toContain("tools.network, tools.paths;");
  });
});

/** Emits the n8n target for a copy of a fixture brain after `edit`: its files by path and its diagnostics. */
async function emitEdited(fixture: string, edit: (dir: string) => void) {
  const { dir, cleanup } = tempCopy(fixtureBrain(fixture));
  try {
    edit(dir);
    const { files, diagnostics } = await emitTarget(n8n, dir);
    return { files: Object.fromEntries(files.map((f) => [f.path, f.contents])), diagnostics };
  } finally {
    cleanup();
  }
}
const replaceIn = (dir: string, file: string, from: string | RegExp, to: string) => {
  const text = readFileSync(join(dir, file), "utf8");
  if (!text.match(from)) throw new Error(`${file}: ${from} not found`);
  writeFileSync(join(dir, file), text.replace(from, to));
};
type Node = { name: string; type: string; parameters: Record<string, any>; credentials?: Record<string, unknown> };
const nodesOf = (json: string): Node[] => JSON.parse(json).nodes;

describe("through the gateway", () => {
  it("calls the route's model group (the model_name the litellm target serves), once, with the correlation contract", async () => {
    const { files } = await emitEdited("n8n-conformance", () => {});
    const workflows = Object.entries(files).filter(([p]) => p.endsWith(".json") && p !== "credentials.json" && p !== "error-handler.json");
    expect(workflows.length).toBeGreaterThan(0);
    for (const [, json] of workflows) {
      const models = nodesOf(json).filter((n) => n.type.includes("lmChat"));
      const agents = nodesOf(json).filter((n) => n.type.endsWith(".agent"));
      expect(models.length).toBe(agents.length); // no n8n-side fallback: the gateway runs the chain
      for (const m of models) {
        expect(m.parameters.model.value).toMatch(/^n8n-conformance-(task-)?[a-z_]+$/);
        expect(m.parameters.options).toMatchObject({ maxRetries: 0, timeout: expect.any(Number) });
        expect(m.parameters.options.extraBody).toMatch(/^=\{\{ JSON\.stringify\(\{ litellm_session_id: \$execution\.id, metadata: \{ tags: \["job:" \+ \$execution\.id, "task:[a-z_]+", "agent:[a-z0-9-]+"\], spend_logs_metadata: /);
      }
      for (const a of agents) expect(a.parameters.needsFallback).toBeUndefined();
    }
  });
});

describe("what n8n would reject or run differently (BRN511, BRN512)", () => {
  const codes = (diagnostics: { code: string; message: string }[], code: string) => diagnostics.filter((d) => d.code === code).map((d) => d.message);

  it("a cron expression n8n's scheduler cannot parse (L, W, #, ?) is BRN511; month and weekday names are fine", async () => {
    const { diagnostics } = await emitEdited("n8n-schedules", (dir) => replaceIn(dir, "agents/ticker.yaml", /cron: "[^"]*"/, 'cron: "0 9 L * *"'));
    expect(codes(diagnostics, "BRN511")).toEqual(['n8n: agent "ticker": n8n\'s Schedule Trigger cannot run the cron expression "0 9 L * *": it has no "L" (last day, nearest weekday, nth weekday, no specific value); n8n would refuse to activate the workflow']);
    const named = await emitEdited("n8n-schedules", (dir) => replaceIn(dir, "agents/ticker.yaml", /cron: "[^"]*"/, 'cron: "0 9 * JUL WED"'));
    expect(codes(named.diagnostics, "BRN511")).toEqual([]);
  });

  it("two webhook channels on one path (an explicit path or the agent-id default) are BRN511", async () => {
    const { diagnostics } = await emitEdited("n8n-channels", (dir) => replaceIn(dir, "agents/concierge.yaml", "path: concierge/inbound", "path: concierge"));
    expect(codes(diagnostics, "BRN511")).toEqual(['n8n: the webhook path "concierge" of agent "concierge" is taken by another of its webhook channels; n8n activates only one workflow per webhook path']);
  });

  it("cron schedules in two time zones are BRN512 (all run in the first)", async () => {
    const { diagnostics } = await emitEdited("n8n-schedules", () => {});
    expect(codes(diagnostics, "BRN512")).toEqual([
      'n8n: agent "two-zones": n8n evaluates every cron schedule of a workflow in the workflow\'s one timezone; the schedules use Europe/Berlin, America/New_York, so all run in Europe/Berlin and the others fire at other times than the brain says; split the agent, or use the openclaw or supervisor target',
    ]);
  });

  it("two providers mapped to one credential name is BRN511 (n8n would use the first's key and URL for both)", async () => {
    const { diagnostics } = await emitEdited("n8n-direct-providers", (dir) => replaceIn(dir, "brain.yaml", /^ {2}n8n: .*$/m, "  n8n: { providerCredentials: { openai: shared, zai: shared } }"));
    expect(codes(diagnostics, "BRN511")).toEqual(['n8n: two credentials of type openAiApi are both named "shared" with different settings (targets.n8n providerCredentials or memoryCredential); n8n would use the first for both']);
  });
});

describe("direct provider nodes", () => {
  it("Anthropic and Gemini primaries with a fallback report their missing retry setting; maxOutputTokens lifts the nodes' caps", async () => {
    const { files, diagnostics } = await emitEdited("n8n-direct-providers", (dir) => {
      replaceIn(dir, "models.yaml", "claude-sonnet-4-6: { provider: anthropic, id: claude-sonnet-4-6, contextWindow: 200000,", "claude-sonnet-4-6: { provider: anthropic, id: claude-sonnet-4-6, contextWindow: 200000, maxOutputTokens: 64000,");
    });
    const retries = diagnostics.filter((d) => d.code === "BRN509" && d.message.includes("no retry setting")).map((d) => d.message.split(",")[0]);
    expect(new Set(retries)).toEqual(new Set(["n8n: the Anthropic chat-model node has no retry setting", "n8n: the Google Gemini chat-model node has no retry setting"]));
    const anthropic = Object.values(files).flatMap((json) => (json.startsWith("{") ? nodesOf(json) : [])).filter((n) => n.type.endsWith("lmChatAnthropic"));
    expect(anthropic.length).toBeGreaterThan(0);
    for (const n of anthropic) expect(n.parameters.options).toEqual({ maxTokensToSample: 64000 });
  });
});

describe("execution timeout", () => {
  it("reports a maxDuration above n8n's default EXECUTIONS_TIMEOUT_MAX (1 h), which n8n would cap", async () => {
    const { diagnostics } = await emitEdited("n8n-minimal", (dir) => {
      mkdirSync(join(dir, "policies"));
      writeFileSync(join(dir, "policies/long.yaml"), "description: Long runs.\nloop: { maxDuration: 2h }\n");
      replaceIn(dir, "agents/helper.yaml", /^prompt: helper$/m, "prompt: helper\npolicies: [long]");
    });
    expect(diagnostics.filter((d) => d.message.includes("EXECUTIONS_TIMEOUT_MAX")).map((d) => d.message)).toEqual([
      'n8n: agent "helper": n8n caps a workflow\'s executionTimeout at EXECUTIONS_TIMEOUT_MAX (3600 s unless the instance sets it), so loop.maxDuration 2h ends runs after 3600 s; raise EXECUTIONS_TIMEOUT_MAX on the n8n instance',
    ]);
  });
});

describe("options that do not apply", () => {
  it("llmCredential without a gateway is reported (the models call their providers directly)", async () => {
    const { diagnostics } = await emitEdited("n8n-direct-providers", (dir) => replaceIn(dir, "brain.yaml", /^ {2}n8n: .*$/m, '  n8n: { llmCredential: "LiteLLM proxy" }'));
    expect(diagnostics.filter((d) => d.message.includes("llmCredential")).map((d) => d.code)).toEqual(["BRN509"]);
  });
});

describe("webhook authentication (targets.n8n.webhookAuth)", () => {
  const webhooks = (json: string) => nodesOf(json).filter((n) => n.type === "n8n-nodes-base.webhook");

  it("a header token: every Webhook trigger checks it with one Header Auth credential whose token n8n reads from its environment", async () => {
    const { files, diagnostics } = await emitWith("n8n-channels", '{ webhookAuth: { token: "${env:HOOK_TOKEN}" } }');
    const byPath = Object.fromEntries(files.map((f) => [f.path, f.contents]));
    const triggers = webhooks(byPath["concierge.json"]);
    expect(triggers.map((n) => n.parameters.path)).toEqual(["concierge/inbound", "concierge"]);
    const credential = JSON.parse(byPath["credentials.json"]).find((c: { type: string }) => c.type === "httpHeaderAuth");
    expect(credential).toMatchObject({ name: "n8n-channels webhook", data: { name: "X-Webhook-Token", value: "={{ $env.HOOK_TOKEN }}" } });
    for (const n of triggers) {
      expect(n.parameters.authentication).toBe("headerAuth");
      expect(n.credentials).toEqual({ httpHeaderAuth: { id: credential.id, name: "n8n-channels webhook" } });
    }
    expect(diagnostics.filter((d) => d.code === "BRN514")).toEqual([]);
    const readme = byPath["README.md"];
    expect(readme).toContain("| `/webhook/concierge/inbound` | concierge |\n| `/webhook/concierge` | concierge |");
    expect(readme).toContain("n8n answers only calls that send the `X-Webhook-Token` header with the token in `HOOK_TOKEN` (credential `n8n-channels webhook`): 403 without it");
    expect(readme).toContain(`curl -X POST "http://localhost:5678/webhook/concierge/inbound" -H "X-Webhook-Token: $HOOK_TOKEN"`);
  });

  it("names the header the brain asks for", async () => {
    const { files } = await emitWith("n8n-channels", '{ webhookAuth: { header: X-Hook-Key, token: "${env:HOOK_TOKEN}" } }');
    const credentials = JSON.parse(files.find((f) => f.path === "credentials.json")!.contents);
    expect(credentials.find((c: { type: string }) => c.type === "httpHeaderAuth").data.name).toBe("X-Hook-Key");
  });

  it("unset while agents have webhook channels: one BRN514 warning naming them, and triggers without authentication", async () => {
    const { files, diagnostics } = await emitTarget(n8n, fixtureBrain("n8n-channels"));
    expect(formatForTest(diagnostics.filter((d) => d.code === "BRN514"))).toBe(
      'brain.yaml:0:0 warning BRN514 n8n: targets.n8n.webhookAuth is not set, so the webhook triggers /webhook/concierge/inbound (agent "concierge"), /webhook/concierge (agent "concierge") run the agents for anyone who can reach n8n',
    );
    for (const n of webhooks(files.find((f) => f.path === "concierge.json")!.contents)) {
      expect(n.parameters.authentication).toBeUndefined();
      expect(n.credentials).toBeUndefined();
    }
    expect(files.find((f) => f.path === "credentials.json")!.contents).not.toContain("httpHeaderAuth");
    expect(files.find((f) => f.path === "README.md")!.contents).toContain("They take calls without authentication: anyone who can reach n8n runs the agents and spends their budgets (BRN514).");
  });

  it("none: no warning, triggers without authentication, and the README says so; no webhook channels: no warning and no README section", async () => {
    const open = await emitWith("n8n-channels", "{ webhookAuth: none }");
    expect(open.diagnostics.filter((d) => d.code === "BRN514")).toEqual([]);
    for (const n of webhooks(open.files.find((f) => f.path === "concierge.json")!.contents)) expect(n.parameters.authentication).toBeUndefined();
    expect(open.files.find((f) => f.path === "README.md")!.contents).toContain("They take calls without authentication (`targets.n8n.webhookAuth: none`)");
    const none = await emitTarget(n8n, fixtureBrain("n8n-minimal"));
    expect(none.diagnostics.filter((d) => d.code === "BRN514")).toEqual([]);
    expect(none.files.find((f) => f.path === "README.md")!.contents).not.toContain("## Calling the webhooks");
  });
});

describe("failure alerts (targets.n8n.errorAlertUrl)", () => {
  const errorHandler = (files: { path: string; contents: string }[]) => JSON.parse(files.find((f) => f.path === "error-handler.json")!.contents);

  it("the error workflow posts {text} with the failed workflow, node, error and execution URL to the URL n8n reads from its environment", async () => {
    const { files } = await emitWith("n8n-minimal", '{ errorAlertUrl: "${env:ALERT_URL}" }');
    const workflow = errorHandler(files);
    const alert = workflow.nodes.find((n: { name: string }) => n.name === "Alert");
    expect(alert).toMatchObject({ type: "n8n-nodes-base.httpRequest", typeVersion: 4.5, parameters: { method: "POST", url: "={{ $env.ALERT_URL }}", sendBody: true, contentType: "json", specifyBody: "json" } });
    expect(workflow.connections.Summarize.main).toEqual([[{ node: "Alert", type: "main", index: 0 }]]);
    // The body expression, run as the JavaScript it is, on what the Summarize node outputs.
    const body = (json: Record<string, string | undefined>) => new Function("$json", `return ${alert.parameters.jsonBody.replace(/^=\{\{ /, "").replace(/ \}\}$/, "")};`)(json);
    expect(JSON.parse(body({ failedWorkflow: "acme: Watcher", lastNode: "Agent", error: "model down", executionUrl: "https://n8n.example/workflow/w1/executions/7" }))).toEqual({ text: "acme: Watcher failed in Agent: model down\nhttps://n8n.example/workflow/w1/executions/7" });
    expect(JSON.parse(body({ failedWorkflow: "acme: Watcher" }))).toEqual({ text: "acme: Watcher failed: unknown error" });
    // From what the Error Trigger gives (n8n 2.41 execute-error-workflow.js) through the Summarize node: a failed
    // run has `execution`, a trigger that failed to start has `trigger` and no execution.
    const assignments = workflow.nodes.find((n: { name: string }) => n.name === "Summarize").parameters.assignments.assignments as { name: string; value: string }[];
    const summarize = ($json: object) => Object.fromEntries(assignments.map((a) => [a.name, new Function("$json", `return ${a.value.replace(/^=\{\{ /, "").replace(/ \}\}$/, "")};`)($json)]));
    const failedRun = { execution: { id: "7", url: "https://n8n.example/workflow/w1/executions/7", error: { message: "model down" }, lastNodeExecuted: "Agent" }, workflow: { id: "w1", name: "acme: Watcher" } };
    expect(JSON.parse(body(summarize(failedRun))).text).toBe("acme: Watcher failed in Agent: model down\nhttps://n8n.example/workflow/w1/executions/7");
    const failedTrigger = { trigger: { error: { message: "could not activate" }, mode: "trigger" }, workflow: { id: "w1", name: "acme: Watcher" } };
    expect(JSON.parse(body(summarize(failedTrigger))).text).toBe("acme: Watcher failed: could not activate");
    const readme = files.find((f) => f.path === "README.md")!.contents;
    expect(readme).toContain("It posts each failure to the URL in `ALERT_URL` (`targets.n8n.errorAlertUrl`)");
    expect(readme).toMatch(/environment: [^\n]*`ALERT_URL`/);
  });

  it("unset: the error workflow only summarizes, and the README says that failures alert no one", async () => {
    const { files } = await emitTarget(n8n, fixtureBrain("n8n-minimal"));
    expect(errorHandler(files).nodes.map((n: { name: string }) => n.name)).toEqual(["On error", "Summarize"]);
    expect(files.find((f) => f.path === "README.md")!.contents).toContain("It alerts no one: failed runs show only in n8n's executions list. To be told, set `targets.n8n.errorAlertUrl");
  });
});

describe("retiring workflows (README step 5)", () => {
  it("lists the published workflows of the brain that the build does not have, and no others", () => {
    const dir = mkdtempSync(join(tmpdir(), "brainc-retire-"));
    try {
      const exported = [
        { id: "keepkeepkeep0001", active: true, meta: { brainc: { brain: "acme" } } }, // in the build
        { id: "retiredretired01", active: true, meta: { brainc: { brain: "acme" } } }, // an earlier build's
        { id: "retiredretired02", active: false, meta: { brainc: { brain: "acme" } } }, // not published
        { id: "otherbrain000001", active: true, meta: { brainc: { brain: "acme-2" } } }, // another brain's
        { id: "handmade00000001", active: true }, // not brainc's
      ];
      writeFileSync(join(dir, "n8n-workflows.json"), JSON.stringify(exported));
      const printed = execSync(retiredWorkflowsCommand("acme", ["keepkeepkeep0001"]), { cwd: dir, encoding: "utf8", shell: "/bin/sh" });
      expect(printed).toBe("retiredretired01\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the README runs it with this build's workflow ids", async () => {
    const { files } = await emitTarget(n8n, fixtureBrain("n8n-minimal"));
    const readme = files.find((f) => f.path === "README.md")!.contents;
    const ids = files.filter((f) => f.path.endsWith(".json") && f.path !== "credentials.json").map((f) => JSON.parse(f.contents).id as string);
    expect(readme).toContain(`   for id in $(${retiredWorkflowsCommand("n8n-minimal", ids)}); do n8n unpublish:workflow --id="$id"; done\n   rm n8n-workflows.json\n`);
  });
});
