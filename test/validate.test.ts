/**
 * Validation (src/validate/, src/link/): did-you-mean hints on unknown keys, values and references, and
 * overlay locations: after an overlay is applied, a diagnostic points into the overlay file when the
 * overlay introduced the value, and into the base file otherwise.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileBrain } from "../src/compile.js";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { didYouMean, didYouMeanHint } from "../src/validate/did-you-mean.js";
import { looksLikeSecret } from "../src/validate/secrets.js";
import { invalidCase } from "./corpus.js";
import { diagnosticsAfterEdit, patchFile, repoRoot, tempCopy } from "./helpers.js";

const minimal = join(repoRoot, "test/fixtures/valid/minimal");
const invalid = (name: string) => join(repoRoot, invalidCase(name));
const errors = async (root: string, env?: string): Promise<Diagnostic[]> => (await compileBrain(root, { env })).diagnostics.filter((d) => d.severity === "error");
const where = (d: Diagnostic) => `${d.file}:${d.range?.start.line}:${d.range?.start.column}`;

/** Compiles a copy of the minimal brain after `edit`; returns its errors. */
const editedErrors = async (edit: (dir: string) => void, env?: string): Promise<Diagnostic[]> => (await diagnosticsAfterEdit(minimal, edit, env)).filter((d) => d.severity === "error");
const patch = patchFile;

describe("references name the brain's own ids, never a JavaScript object's", () => {
  it("task, tool and policy `constructor` (an id, and a property of every JavaScript object) are unknown", async () => {
    const errs = await editedErrors((dir) => {
      patch(dir, "agents/watcher.yaml", "task: status_polling", "task: constructor");
      patch(dir, "agents/watcher.yaml", "tools: [http-check, search]", "tools: [http-check, search, constructor]");
      patch(dir, "agents/watcher.yaml", "policies: [tight]", "policies: [tight, constructor]");
    });
    expect(errs.map((d) => [d.code, d.message]).sort()).toEqual([
      ["BRN204", 'unknown tool "constructor"'],
      ["BRN205", 'unknown policy "constructor"'],
      ["BRN210", 'unknown task class "constructor"'],
    ]);
  });
});

describe("did you mean", () => {
  it("suggests the closest candidate within a third of the name's length (at least 2 edits)", () => {
    expect(didYouMean("slak-alert", ["slack-alert", "http-check"])).toBe("slack-alert");
    expect(didYouMean("toolz", ["tools", "policies"])).toBe("tools");
    expect(didYouMean("xyz", ["tools", "policies"])).toBeUndefined();
    expect(didYouMean("anything", [])).toBeUndefined();
    expect(didYouMeanHint("tigth", ["tight", "baseline"])).toBe('did you mean "tight"?');
  });

  const hints: [string, string, string][] = [
    ["BRN101-unknown-key-typo", "BRN101", 'did you mean "tools"?'],
    ["BRN101-unknown-nested-key", "BRN101", 'did you mean "maxSteps"?'],
    ["BRN204-unknown-tool", "BRN204", 'did you mean "search"?'],
    ["BRN205-unknown-policy", "BRN205", 'did you mean "tight"?'],
    ["BRN205-unknown-default-policy", "BRN205", 'did you mean "baseline"?'],
    ["BRN201-unknown-prompt", "BRN201", 'did you mean "watcher"?'],
    ["BRN209-unknown-tier", "BRN209", 'did you mean "cheap"?'],
    ["BRN211-unknown-mcp-server", "BRN211", 'did you mean "search"?'],
    ["BRN213-name-matches-no-tool", "BRN213", 'did you mean "search"?'],
    ["BRN326-unknown-placeholder", "BRN326", 'did you mean "url"?'],
  ];
  for (const [name, code, hint] of hints) {
    it(`${code} in ${name}: ${hint}`, async () => {
      const found = (await errors(invalid(name))).filter((d) => d.code === code);
      expect(found.map((d) => d.hint)).toEqual([hint]);
    });
  }

  it("an unknown key with no close match lists the known keys", async () => {
    const errs = await editedErrors((dir) => patch(dir, "policies/tight.yaml", "checkpoint:", "zzzzzz: 1\ncheckpoint:"));
    expect(errs.map((d) => [d.code, where(d)])).toEqual([["BRN101", "policies/tight.yaml:6:1"]]);
    expect(errs[0].hint).toMatch(/^known keys: description, loop, context, tools, /);
  });

  it("a placeholder with a hyphen is checked like any other (contract placeholders may hold `-`)", async () => {
    const errs = await editedErrors((dir) => patch(dir, "tools/http-check.yaml", 'url: "{{url}}"', 'url: "https://x.example/{{repo-nmae}}"'));
    expect(errs.map((d) => [d.code, d.message])).toEqual([["BRN326", "placeholder {{repo-nmae}} is not a property of the tool's input"]]);
  });

  it("a misspelled enum value gets a hint", async () => {
    const errs = await editedErrors((dir) => patch(dir, "tools/http-check.yaml", "approval: never", "approval: alwys"));
    expect(errs.map((d) => [d.code, where(d), d.hint])).toEqual([["BRN103", "tools/http-check.yaml:12:11", 'did you mean "always"?']]);
  });
});

describe("printing objects (BRN220)", () => {
  it("an object, a list of objects or an object item is BRN220; a list of strings and a field are fine", async () => {
    const cases: [string, string[]][] = [
      ["{{agent.policy.loop}}", ["BRN220 prompts/watcher.md:7:30"]],
      ["{{agent.tools}}", ["BRN220 prompts/watcher.md:7:30"]],
      ["{{#each agent.tools}}{{this}}{{/each}}", ["BRN220 prompts/watcher.md:7:51"]],
      ["{{agent.model.fallbacks}} {{agent.policy.loop.maxSteps}} {{json agent.policy.loop}}", []],
    ];
    for (const [text, want] of cases) {
      const errs = await editedErrors((dir) => patch(dir, "prompts/watcher.md", "Check {{input.url}} with:", `Check {{input.url}} within ${text} with:`));
      expect(errs.map((d) => `${d.code} ${where(d)}`), text).toEqual(want);
    }
  });
});

describe("a prompt that names a tool the agent does not have (BRN221, when rendering)", () => {
  it("warns at the prompt's own mention; a tool the agent has is fine", async () => {
    const ds = await diagnosticsAfterEdit(minimal, (dir) => {
      patch(dir, "agents/watcher.yaml", "tools: [http-check, search]", "tools: [http-check]");
      patch(dir, "prompts/watcher.md", "Check {{input.url}} with:", "Check {{input.url}} with `http-check`, never `search`, and:");
    });
    expect(ds.filter((d) => d.code === "BRN221").map((d) => `${d.severity} ${where(d)} ${d.message}`)).toEqual([
      'warning prompts/watcher.md:7:46 the prompt of agent "watcher" names tool "search", which the agent does not have',
    ]);
  });
});

describe("programs in allowBins that run code of their own (BRN327)", () => {
  it("warns once per policy and program, at the policy's list item, for agents that can run commands; a program given by path counts by its name", async () => {
    const ds = await diagnosticsAfterEdit(minimal, (dir) => {
      writeFileSync(join(dir, "tools/shell.yaml"), "description: Run a shell command.\ninput: { type: object, required: [command], properties: { command: { type: string } } }\nrisk: [exec]\nimplementation: { builtin: { supervisor: exec } }\n");
      patch(dir, "agents/watcher.yaml", "tools: [http-check, search]", "tools: [http-check, search, shell]");
      patch(dir, "policies/tight.yaml", "  requireApproval: [search]\n", "  requireApproval: [search]\n  exec: { allowBins: [grep, /usr/bin/python3, wc, bash] }\n");
      // A second agent with the same policy, and one that runs no commands under a policy that allows perl.
      writeFileSync(join(dir, "agents/sweeper.yaml"), "name: Sweeper\ndescription: Sweeps.\nprompt: watcher\ntask: status_polling\ntools: [shell]\npolicies: [tight]\n");
      writeFileSync(join(dir, "policies/loose.yaml"), "description: Loose.\ntools:\n  exec: { allowBins: [perl] }\n");
      writeFileSync(join(dir, "agents/reader.yaml"), "name: Reader\ndescription: Reads.\nprompt: watcher\ntask: status_polling\ntools: [http-check]\npolicies: [loose]\n");
    });
    expect(ds.filter((d) => d.severity === "error")).toEqual([]);
    expect(ds.filter((d) => d.code === "BRN327").map((d) => `${where(d)} ${d.message.replace(/ \(.*\)/, "")}`)).toEqual([
      'policies/tight.yaml:6:29 tools.exec.allowBins lets agent "sweeper" run "/usr/bin/python3", which runs code of its own, so the allow list does not confine what the agent runs',
      'policies/tight.yaml:6:51 tools.exec.allowBins lets agent "sweeper" run "bash", which runs code of its own, so the allow list does not confine what the agent runs',
    ]);
  });
});

describe("overlay locations", () => {
  it("a value the overlay introduced: the overlay file, at the value", async () => {
    const errs = await errors(invalid("BRN310-overlay-agent-budget"), "prod");
    expect(errs.map((d) => [d.code, where(d)])).toEqual([["BRN310", "overlays/prod.yaml:4:36"]]);
  });

  it("a value of the base brain, checked again under the overlay: the base file", async () => {
    const errs = await errors(invalid("BRN310-agent-budget-above-global"), "prod");
    expect(errs.map((d) => [d.code, where(d)])).toEqual([["BRN310", "routing.yaml:13:26"]]);
    expect(errs[0].message).toMatch(/above the global dailyUsd 20/);
  });

  it("an overlay's reference into the base brain (unknown tool in a replaced list): the overlay", async () => {
    const errs = await errors(invalid("BRN204-overlay-unknown-tool"), "prod");
    expect(errs.map((d) => [d.code, where(d), d.hint])).toEqual([["BRN204", "overlays/prod.yaml:6:25", 'did you mean "search"?']]);
    expect(await errors(invalid("BRN204-overlay-unknown-tool"))).toEqual([]);
  });

  it("a schema error in a merged document: the overlay, at the key it added", async () => {
    const errs = await errors(invalid("BRN101-overlay-unknown-agent-key"), "prod");
    expect(errs.map((d) => [d.code, where(d), d.hint])).toEqual([["BRN101", "overlays/prod.yaml:6:5", 'did you mean "tools"?']]);
  });

  it("a JSON Schema an overlay patches into a tool or a memory record is checked too (BRN108), in the overlay", async () => {
    const errs = await editedErrors((dir) => patch(dir, "overlays/prod.yaml", "agents:\n", "tools:\n  http-check: { input: { properties: { url: 5 } } }\nagents:\n"), "prod");
    expect(errs.map((d) => [d.code, where(d)])).toEqual([["BRN108", "overlays/prod.yaml:5:45"]]);
    expect(errs[0].message).toMatch(/input\.properties\.url must be a mapping or true\/false/);
  });

  it("a whole entity created by an overlay: its errors point into the overlay", async () => {
    const errs = await editedErrors((dir) => patch(dir, "overlays/prod.yaml", "agents:\n", "agents:\n  helper: { name: Helper, prompt: watchr }\n"), "prod");
    expect(errs.map((d) => [d.code, where(d), d.hint])).toEqual([["BRN201", "overlays/prod.yaml:5:35", 'did you mean "watcher"?']]);
  });

  it("null deletes: an overlay may remove an optional key, and the merged brain is validated again", async () => {
    expect(await editedErrors((dir) => patch(dir, "overlays/prod.yaml", "agents:\n  watcher:\n", "agents:\n  watcher:\n    channels: null\n"), "prod")).toEqual([]);
    const errs = await editedErrors((dir) => patch(dir, "overlays/prod.yaml", "agents:\n  watcher:\n", "agents:\n  watcher:\n    prompt: null\n"), "prod");
    expect(errs.map((d) => [d.code, where(d), d.message])).toEqual([["BRN102", "overlays/prod.yaml:6:5", `missing required key "prompt" at the top level: the overlay's null removes it`]]);
    expect(errs[0].hint).toMatch(/null in an overlay deletes the key/);
  });

  it("an empty overlay (or one of comments only) is an environment identical to the base brain", async () => {
    for (const text of ["", "# staging: nothing differs yet\n"]) {
      const { dir, cleanup } = tempCopy(minimal);
      try {
        writeFileSync(join(dir, "overlays/staging.yaml"), text);
        const result = await compileBrain(dir, { env: "staging" });
        expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(result.brain?.env).toBe("staging");
      } finally {
        cleanup();
      }
    }
  });

  it("a reference to what the overlay deleted: the hint names the overlay's null", async () => {
    const errs = await editedErrors((dir) => patch(dir, "overlays/prod.yaml", "agents:\n", "tools:\n  search: null\nmodels:\n  models: { big: null }\nagents:\n"), "prod");
    expect(errs.filter((d) => d.code !== "BRN213").map((d) => `${d.code} ${where(d)} ${d.hint}`)).toEqual([
      'BRN207 models.yaml:18:18 overlay "prod" deletes model "big" at overlays/prod.yaml:7:13',
      'BRN207 models.yaml:19:12 overlay "prod" deletes model "big" at overlays/prod.yaml:7:13',
      'BRN207 routing.yaml:4:28 overlay "prod" deletes model "big" at overlays/prod.yaml:7:13',
      'BRN204 agents/watcher.yaml:6:21 overlay "prod" deletes tool "search" at overlays/prod.yaml:5:3',
    ]);
  });

  it("an overlay may set a target's options, not add, change or remove its module (BRN404)", async () => {
    const withModule = (dir: string) => patch(dir, "brain.yaml", "  supervisor: {}\n", "  supervisor: {}\n  echo: { module: ./echo.mjs }\n");
    const cases: [string, string, string[]][] = [
      ["options only", "brain:\n  targets:\n    echo: { flavour: strong }\n    supervisor: { x: 1 }\nrouting:\n", []],
      ["a changed module, at the value", "brain:\n  targets:\n    echo: { module: ./echo2.mjs }\nrouting:\n", ['overlays/prod.yaml:3:21 the overlay changes the module of target "echo" (brain.yaml: "./echo.mjs"; overlay: "./echo2.mjs"); every environment runs the targets of brain.yaml']],
      ["a removed module, at the null's key", "brain:\n  targets:\n    echo: null\nrouting:\n", ['overlays/prod.yaml:3:5 the overlay changes the module of target "echo" (brain.yaml: "./echo.mjs"; overlay: none); every environment runs the targets of brain.yaml']],
    ];
    for (const [what, overlay, want] of cases) {
      const errs = await editedErrors((dir) => (withModule(dir), patch(dir, "overlays/prod.yaml", "routing:\n", overlay)), "prod");
      expect(errs.filter((d) => d.code === "BRN404").map((d) => `${where(d)} ${d.message}`), what).toEqual(want);
    }
  });

  // [what, overlay section (replaces `from` in the minimal brain's overlays/prod.yaml), the errors]
  const deletions: [string, string, string, string[]][] = [
    ["a top-level key of routing.yaml", "routing:\n", "routing:\n  tasks: null\n", [`BRN102 overlays/prod.yaml:2:3 missing required key "tasks" at the top level: the overlay's null removes it`]],
    ["a nested key of a tool", "agents:\n", "tools:\n  http-check: { implementation: { http: { url: null } } }\nagents:\n", [`BRN102 overlays/prod.yaml:5:43 missing required key "url" in implementation.http: the overlay's null removes it`]],
    ["a key of a model", "agents:\n", "models:\n  models:\n    big:\n      costPerMTokUsd: null\nagents:\n", [`BRN102 overlays/prod.yaml:7:7 missing required key "costPerMTokUsd" in models.big: the overlay's null removes it`]],
    // Not deleted, never there: the model the overlay creates, at its key in the overlay (not models.yaml).
    ["a key missing from a model the overlay creates", "agents:\n", "models:\n  models:\n    huge: { id: huge-1, contextWindow: 1000, costPerMTokUsd: { input: 1, output: 2 } }\nagents:\n", [`BRN102 overlays/prod.yaml:6:5 missing required key "provider" in models.huge`]],
  ];
  for (const [what, from, to, want] of deletions) {
    it(`a required key missing after the overlay (${what}): points into the overlay`, async () => {
      const errs = await editedErrors((dir) => patch(dir, "overlays/prod.yaml", from, to), "prod");
      expect(errs.map((d) => `${d.code} ${where(d)} ${d.message}`)).toEqual(want);
    });
  }

  it("the overlay leaves the base brain alone", async () => {
    expect(await errors(invalid("BRN310-overlay-agent-budget"))).toEqual([]);
  });
});

describe("secrets", () => {
  const shapes: [string, string | undefined][] = [
    ["sk-ant-api03-Xq7TbV2mLk9RwZp4NcYd8HsF3gJe6UaQ", "an Anthropic API key"],
    ["ghp_0123456789abcdefghijABCDEFGHIJ0123456789", "a GitHub token"],
    ["AKIAQ3EGRB7KXZ5LWN4P", "an AWS access key id"],
    ["xoxb-123456789012-abcdefABCDEF", "a Slack token"],
    ["-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"],
    ["Zx8Qw3Lp9Rt2Vb7Nm4Kd6Hs1Jf5Gc0Ya8Ue3Io", "a high-entropy token"],
    ["${env:OPENAI_API_KEY}", undefined],
    ["https://api.example.com/v1/healthz", undefined],
    ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", undefined],
    ["123e4567-e89b-12d3-a456-426614174000", undefined],
    ["Checks Acme's production endpoints every 5 minutes and alerts.", undefined],
    // The shortest match of each shape, inside prose (pins the one-pass pre-check of looksLikeSecret).
    ["key: sk-abcdefghij0123456789 here", "an OpenAI API key"],
    ["pat github_pat_0123456789abcdefghijkl here", "a GitHub token"],
    ["slack xoxp-0123456789 here", "a Slack token"],
    ["post to https://hooks.slack.com/services/T01/B02/x now", "a Slack webhook URL"],
    ["google AIza0123456789abcdefghijklmnopqrstuvwxy here", "a Google API key"],
    ["jwt eyJ0123456789.eyJ0123456789.0123456789 here", "a JSON Web Token"],
    ["b64 Zx8Qw3Lp9R+t2Vb7Nm4/Kd6Hs1Jf5+Gc0Ya8Ue3Io= here", "a high-entropy token"],
    ["a://u:p@", "a URL with a password"],
    ["db at postgres://app:hunter2@db.internal:5432/ops", "a URL with a password"],
    ["postgres://${env:DB_USER}:${env:DB_PASSWORD}@db/ops", undefined],
    ["https://{{user}}:{{password}}@api.example.com", undefined],
    ["git@github.com:acme/brain.git and https://user@example.com/x", undefined],
    ["${env:DATABASE_URL:-postgres://u:pass@localhost/db}", "a URL with a password"],
    // An env reference's name is never a secret; its :-default is scanned like any literal.
    ["${env:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789}", undefined],
    ["${env:OLLAMA_KEY:-none}", undefined],
    ["${env:GATEWAY_URL:-http://127.0.0.1:4000/v1}", undefined],
    ["${env:OPENAI_API_KEY:-sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD}", "an OpenAI API key"],
    ["Bearer ${env:T:-ghp_0123456789abcdefghijABCDEFGHIJ0123456789}", "a GitHub token"],
    ["${env:A}/${env:B:-Zx8Qw3Lp9Rt2Vb7Nm4Kd6Hs1Jf5Gc0Ya8Ue3Io}", "a high-entropy token"],
  ];
  for (const [text, want] of shapes) it(`${JSON.stringify(text.slice(0, 24))} → ${want ?? "not a secret"}`, () => expect(looksLikeSecret(text)).toBe(want));

  it("credential fields must be exactly one env reference (defaults allowed)", async () => {
    expect(await editedErrors((dir) => patch(dir, "models.yaml", 'apiKey: "${env:OPENAI_API_KEY}"', 'apiKey: "${env:OPENAI_API_KEY:-none}"'))).toEqual([]);
    const twoRefs = await editedErrors((dir) => patch(dir, "models.yaml", 'apiKey: "${env:OPENAI_API_KEY}"', 'apiKey: "${env:A}${env:B}"'));
    expect(twoRefs.map((d) => d.code)).toEqual(["BRN301"]);
  });

  it("targets.n8n.errorAlertUrl is a credential field: an incoming-webhook URL carries its own secret", async () => {
    const alert = (url: string) => editedErrors((dir) => patch(dir, "brain.yaml", "  supervisor: {}", `  supervisor: {}\n  n8n: { errorAlertUrl: "${url}" }`));
    expect(await alert("${env:N8N_ALERT_WEBHOOK_URL}")).toEqual([]);
    expect((await alert("https://chat.example.com/hooks/abc")).map((d) => `${d.code} ${d.message}`)).toEqual(['BRN301 credential field "errorAlertUrl" must be exactly one ${env:NAME} reference']);
  });

  // [file, from, to, the errors (code and where) of the edited minimal brain]
  const defaults: [string, string, string, string[]][] = [
    ["models.yaml", '"${env:OPENAI_API_KEY}"', '"${env:OPENAI_API_KEY:-sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD}"', ["BRN302 models.yaml:2:34"]],
    ["models.yaml", '"${env:LOCAL_KEY}"', '"${env:LOCAL_KEY:-none}"', []],
    ["brain.yaml", "${env:SEARCH_TOKEN}", '"${env:SEARCH_TOKEN:-xoxb-123456789012-abcdefABCDEF}"', ["BRN302 brain.yaml:14:22"]],
    ["brain.yaml", "${env:GATEWAY_URL:-http://127.0.0.1:4000/v1}", '"${env:GATEWAY_URL:-https://AKIAQ3EGRB7KXZ5LWN4P@gw.example.com}"', ["BRN302 brain.yaml:7:12"]],
    ["tools/search.yaml", "Search the web.", '"Search ${env:SEARCH_HINT:-the web}."', []],
    ["tools/search.yaml", "Search the web.", '"Search ${env:SEARCH_HINT:-sk-ant-api03-Xq7TbV2mLk9RwZp4NcYd8HsF3gJe6UaQ}."', ["BRN302 tools/search.yaml:1:14"]],
  ];
  for (const [file, from, to, want] of defaults) {
    it(`${file}: ${to.slice(0, 40)}… → ${want.join(", ") || "valid"}`, async () => {
      const errs = await editedErrors((dir) => patch(dir, file, from, to));
      expect(errs.map((d) => `${d.code} ${where(d)}`)).toEqual(want);
    });
  }

  // A header or query parameter whose name is a credential's may hold env references and input
  // placeholders, but not a literal: [the edited http tool line, the BRN301 messages].
  const named: [string, string[]][] = [
    ['headers: { X-Api-Token: "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c" }', ['header "X-Api-Token" names a credential, and its value is a literal']],
    ['headers: { X-RapidAPI-Key: "9f8e7d6c5bmsh1a2b3c4d5e6f7a8bp1c2" }', ['header "X-RapidAPI-Key" names a credential, and its value is a literal']],
    ['query: { access_token: "3f9a8b7c6d5e4f3a2b" }', ['query parameter "access_token" names a credential, and its value is a literal']],
    ['url: "https://api.example.com/w?q={{url}}&appid=3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"', ['query parameter "appid" of this URL names a credential, and its value is a literal']],
    ['url: "https://api.example.com/w?appid=${env:OWM_KEY}&q={{url}}", headers: { X-Idempotency-Key: "{{url}}", X-Api-Token: "Token ${env:T}" }', []],
    ['url: "https://api.example.com/w?apikey=demo&sort_key=name", query: { page_token: "{{url}}" }', []],
  ];
  for (const [edit, want] of named) {
    it(`http tool ${edit.slice(0, 50)}… → ${want.length ? "BRN301" : "valid"}`, async () => {
      const errs = await editedErrors((dir) => patch(dir, "tools/http-check.yaml", 'url: "{{url}}", headers: { User-Agent: brainc-test }', edit.startsWith("url:") ? edit : `url: "{{url}}", ${edit}`));
      expect(errs.map((d) => `${d.code} ${d.message}`)).toEqual(want.map((m) => `BRN301 ${m}`));
    });
  }

  it("a secret in a default gets a hint that defaults are copied into the output", async () => {
    const errs = await editedErrors((dir) => patch(dir, "models.yaml", '"${env:OPENAI_API_KEY}"', '"${env:OPENAI_API_KEY:-sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD}"'));
    expect(errs[0]?.hint).toMatch(/:-default is copied into the generated output/);
  });

  it("the example brain is clean", async () => {
    expect(await errors(join(repoRoot, "brain"))).toEqual([]);
  });
});
