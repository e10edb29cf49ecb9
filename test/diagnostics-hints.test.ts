/**
 * Hints that tell a new user how to fix a problem in plain words: did-you-mean for time zones, overlay
 * ids and targets; the 5-field form of cron macros; the brain spelling of a malformed duration; where
 * an agent's budget and models live; one diagnostic (with a hint) per tab used as indentation; shell-style
 * env references in credential fields; `--brain .` when brainc runs inside the brain folder.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileBrain } from "../src/compile.js";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { durationSuggestion } from "../src/link/durations.js";
import { diagnosticsAfterEdit, patchFile, repoRoot, runCli, tempCopy } from "./helpers.js";

const minimal = join(repoRoot, "test/fixtures/valid/minimal");
const where = (d: Diagnostic) => `${d.file}:${d.range?.start.line}:${d.range?.start.column}`;

/** Compiles a copy of the minimal brain after `edit`; returns its errors and warnings. */
const edited = async (edit: (dir: string) => void, env?: string): Promise<Diagnostic[]> => (await diagnosticsAfterEdit(minimal, edit, env)).filter((d) => d.severity !== "info");
const patch = patchFile;
const brief = (ds: Diagnostic[]) => ds.map((d) => [d.code, d.message, d.hint]);

describe("BRN322 unknown time zone: did you mean", () => {
  const cases: [string, string][] = [
    ["Europe/Londn", 'did you mean "Europe/London"?'],
    ["europe/londn", 'did you mean "Europe/London"?'],
    ["London", 'did you mean "Europe/London"?'],
    ["new york", 'did you mean "America/New_York"?'],
    ["Berlinn", 'did you mean "Europe/Berlin"?'],
    ["Mars/Olympus_Mons", 'use an IANA name such as "Europe/Berlin", "America/New_York" or "UTC"'],
  ];
  for (const [tz, hint] of cases) {
    it(`${tz}: ${hint}`, async () => {
      const ds = await edited((dir) => patch(dir, "agents/watcher.yaml", "timezone: Europe/Berlin", `timezone: ${JSON.stringify(tz)}`));
      expect(brief(ds)).toEqual([["BRN322", `unknown time zone ${JSON.stringify(tz)}`, hint]]);
    });
  }
});

describe("BRN321 cron: macros, the field count, dates that never come", () => {
  const cases: [string, string, string | undefined][] = [
    ["@daily", 'cron macro "@daily" is not supported; brains use 5-field cron expressions', 'write "0 0 * * *"'],
    ["@hourly", 'cron macro "@hourly" is not supported; brains use 5-field cron expressions', 'write "0 * * * *"'],
    ["@weekly", 'cron macro "@weekly" is not supported; brains use 5-field cron expressions', 'write "0 0 * * 0"'],
    ["@monthly", 'cron macro "@monthly" is not supported; brains use 5-field cron expressions', 'write "0 0 1 * *"'],
    ["@yearly", 'cron macro "@yearly" is not supported; brains use 5-field cron expressions', 'write "0 0 1 1 *"'],
    ["@annually", 'cron macro "@annually" is not supported; brains use 5-field cron expressions', 'write "0 0 1 1 *"'],
    ["@midnight", 'cron macro "@midnight" is not supported; brains use 5-field cron expressions', 'write "0 0 * * *"'],
    ["@reboot", 'cron macro "@reboot" is not supported; brains use 5-field cron expressions', "@reboot (run at start-up) has no 5-field form; a schedule runs at times (cron) or at intervals (every)"],
    ["daily", 'cron expression "daily" has 1 field; brains use 5 (minute hour day-of-month month day-of-week)', undefined],
    ["0 9 * *", 'cron expression "0 9 * *" has 4 fields; brains use 5 (minute hour day-of-month month day-of-week)', undefined],
    ["0 9 31 2 *", 'cron expression "0 9 31 2 *" never fires: no month has the day of the month it names', "February has at most 29 days; April, June, September and November have 30"],
    ["0 9 31 4,6,9,11 *", 'cron expression "0 9 31 4,6,9,11 *" never fires: no month has the day of the month it names', "February has at most 29 days; April, June, September and November have 30"],
  ];
  for (const [cron, message, hint] of cases) {
    it(cron, async () => {
      const ds = await edited((dir) => patch(dir, "agents/watcher.yaml", '"0 9 * * 1-5"', JSON.stringify(cron)));
      expect(brief(ds)).toEqual([["BRN321", message, hint]]);
    });
  }
  // 29 February comes every four years; with both day fields set, cron fires on either (31 February or a Monday).
  for (const cron of ["0 9 29 2 *", "0 9 31 2 1"]) {
    it(`${cron} fires, if rarely`, async () => {
      expect(await edited((dir) => patch(dir, "agents/watcher.yaml", '"0 9 * * 1-5"', JSON.stringify(cron)))).toEqual([]);
    });
  }
});

describe("one mistake, one diagnostic, with what was meant", () => {
  it("a misspelt required key is the unknown key with its did-you-mean, not also the missing key", async () => {
    const ds = await edited((dir) => patch(dir, "agents/watcher.yaml", "prompt: watcher", "promt: watcher"));
    expect(ds.map((d) => [d.code, where(d), d.message, d.hint])).toEqual([["BRN101", "agents/watcher.yaml:3:1", 'unknown key "promt"', 'did you mean "prompt"?']]);
  });

  it("an unknown id with no close match lists the ids there are", async () => {
    const ds = await edited((dir) => patch(dir, "agents/watcher.yaml", "task: status_polling", "task: heartbeat"));
    expect(brief(ds)).toEqual([["BRN210", 'unknown task class "heartbeat"', "known task classes: daily_report, heartbeat_check, status_polling"]]);
  });

  it("an id that misses its pattern by a common slip gets the spelling that matches", async () => {
    const task = await edited((dir) => patch(dir, "agents/watcher.yaml", "task: status_polling", "task: status-polling"));
    expect(task.map((d) => [d.code, d.hint])).toEqual([["BRN104", 'did you mean "status_polling"?']]);
    const model = await edited((dir) => patch(dir, "models.yaml", "strong: [big]", "strong: [openai/big]"));
    expect(model.map((d) => [d.code, d.hint])).toEqual([["BRN104", 'did you mean "big"?']]);
  });
});

describe("BRN104 malformed durations: the brain spelling", () => {
  const cases: [string, string][] = [
    ["15M", 'did you mean "15m"? units are ms, s, m, h and d, lower case, right after the number'],
    ["15 min", 'did you mean "15m"? units are ms, s, m, h and d, lower case, right after the number'],
    ["15mins", 'did you mean "15m"? units are ms, s, m, h and d, lower case, right after the number'],
    ["0.25h", 'did you mean "15m"? a duration is a whole number; use a smaller unit'],
    ["1w", 'did you mean "7d"? there is no week unit; write days'],
    ["2 weeks", 'did you mean "14d"? there is no week unit; write days'],
    ["1h 30m", 'did you mean "90m"? a duration is one number and one unit'],
    ["soon", 'for example "30s", "5m", "1h", "7d"'],
  ];
  for (const [every, hint] of cases) {
    it(`${every}: ${hint}`, async () => {
      const ds = await edited((dir) => patch(dir, "agents/watcher.yaml", "heartbeat: { every: 30m", `heartbeat: { every: ${JSON.stringify(every)}`));
      expect(ds.map((d) => [d.code, where(d), d.hint])).toEqual([["BRN104", "agents/watcher.yaml:12:21", hint]]);
    });
  }

  it("durations in other files and patterns (a policy's checkpoint, brain.yaml's litellm timeout) get the hint too", async () => {
    const ds = await edited((dir) => {
      patch(dir, "policies/tight.yaml", "checkpoint:", "checkpoint: { every: 5 min }\nx-checkpoint:");
      patch(dir, "brain.yaml", "targets:", "targets:\n  litellm: { timeout: 2 minutes }\nx-targets:");
    });
    const hints = ds.filter((d) => d.code === "BRN104").map((d) => [d.file, d.hint]);
    expect(hints).toContainEqual(["policies/tight.yaml", 'did you mean "5m"? units are ms, s, m, h and d, lower case, right after the number']);
    expect(hints).toContainEqual(["brain.yaml", 'did you mean "2m"? units are ms, s, m, h and d, lower case, right after the number']);
  });

  it("durationSuggestion leaves alone what has no exact brain spelling", () => {
    expect(durationSuggestion("0.5ms")).toBeUndefined();
    expect(durationSuggestion("300")).toBeUndefined();
    expect(durationSuggestion("5m")).toBeUndefined();
    expect(durationSuggestion("soon")).toBeUndefined();
    expect(durationSuggestion("2.5s")?.duration).toBe("2500ms");
  });
});

describe("BRN101 keys that live in another file", () => {
  const cases: [string, string][] = [
    ["budget: { dailyUsd: 1 }", "budgets live in routing.yaml under budgets.agents.watcher"],
    ["budgets: { dailyUsd: 1 }", "budgets live in routing.yaml under budgets.agents.watcher"],
    ["model: big", "an agent names no model: it picks a task class with task:, and routing.yaml routes each task class to models"],
    ["models: [big]", "an agent names no model: it picks a task class with task:, and routing.yaml routes each task class to models"],
  ];
  for (const [line, hint] of cases) {
    it(`an agent's ${line.split(":")[0]}`, async () => {
      const ds = await edited((dir) => patch(dir, "agents/watcher.yaml", "task: status_polling\n", `task: status_polling\n${line}\n`));
      expect(ds.map((d) => [d.code, where(d), d.hint])).toEqual([["BRN101", "agents/watcher.yaml:6:1", hint]]);
    });
  }

  it("in an overlay's agent patch too", async () => {
    const ds = await edited((dir) => patch(dir, "overlays/prod.yaml", "  watcher:\n", "  watcher:\n    budget: { dailyUsd: 1 }\n"), "prod");
    expect(ds.map((d) => [d.code, where(d), d.hint])).toEqual([["BRN101", "overlays/prod.yaml:6:5", "budgets live in routing.yaml under budgets.agents.watcher"]]);
  });

  it("any other unknown key keeps its list of known keys", async () => {
    const ds = await edited((dir) => patch(dir, "agents/watcher.yaml", "task: status_polling\n", "task: status_polling\nbudgett: 1\n"));
    expect(ds.map((d) => d.hint)).toEqual([expect.stringMatching(/^known keys: /)]);
  });
});

describe("BRN002 a tab as indentation", () => {
  it("one tab: one diagnostic, at the tab, with a hint (not the errors that follow from it: a misplaced, duplicate key, a column)", async () => {
    const ds = await edited((dir) => patch(dir, "agents/watcher.yaml", "heartbeat: { every: 30m, task: heartbeat_check }", "heartbeat:\n    every: 30m\n\ttask: heartbeat_check\n    x: 1"));
    expect(ds.map((d) => [d.code, where(d), d.message, d.hint])).toEqual([["BRN002", "agents/watcher.yaml:14:1", "YAML syntax error: Tabs are not allowed as indentation", "replace the tab with spaces (YAML indents with spaces only)"]]);
  });

  it("two tabs: one diagnostic each; a duplicate key after a tab is still reported", async () => {
    const ds = await edited((dir) => patch(dir, "agents/watcher.yaml", "heartbeat: { every: 30m, task: heartbeat_check }", "heartbeat:\n\tevery: 30m\n\ttask: heartbeat_check\nname: Again"));
    expect(ds.map((d) => [d.code, where(d)])).toEqual([
      ["BRN002", "agents/watcher.yaml:13:1"],
      ["BRN002", "agents/watcher.yaml:14:1"],
      ["BRN003", "agents/watcher.yaml:15:1"],
    ]);
  });
});

describe("BRN301 a shell-style reference in a credential field", () => {
  const cases: [string, string][] = [
    ["$OPENAI_API_KEY", 'did you mean "${env:OPENAI_API_KEY}"?'],
    ["$env:OPENAI_API_KEY", 'did you mean "${env:OPENAI_API_KEY}"?'],
    ["%OPENAI_API_KEY%", 'did you mean "${env:OPENAI_API_KEY}"?'],
    ["OPENAI_API_KEY", 'did you mean "${env:OPENAI_API_KEY}"?'],
  ];
  for (const [value, hint] of cases) {
    it(value, async () => {
      const ds = await edited((dir) => patch(dir, "models.yaml", 'apiKey: "${env:OPENAI_API_KEY}"', `apiKey: ${JSON.stringify(value)}`));
      expect(brief(ds)).toEqual([["BRN301", 'credential field "apiKey" must be exactly one ${env:NAME} reference', hint]]);
    });
  }

  it("${NAME} without env: is one diagnostic, the malformed reference (BRN303), not also BRN301", async () => {
    const ds = await edited((dir) => patch(dir, "models.yaml", 'apiKey: "${env:OPENAI_API_KEY}"', 'apiKey: "${OPENAI_API_KEY}"'));
    expect(brief(ds)).toEqual([["BRN303", 'malformed reference "${OPENAI_API_KEY}"', 'did you mean "${env:OPENAI_API_KEY}"?']]);
  });

  it("a literal keeps the general hint", async () => {
    const ds = await edited((dir) => patch(dir, "models.yaml", 'apiKey: "${env:OPENAI_API_KEY}"', 'apiKey: "hunter2"'));
    expect(ds.map((d) => d.hint)).toEqual([expect.stringMatching(/^put the secret into the runtime's environment/)]);
  });
});

describe("an overlay creates an entity: did you mean, and one BRN102 for the keys it misses (else BRN401)", () => {
  it("a misspelt agent id: one BRN102 that names the new agent, its missing keys and the id meant", async () => {
    const ds = await edited((dir) => patch(dir, "overlays/prod.yaml", "  watcher:\n", "  watcer:\n"), "prod");
    const hint = 'did you mean "watcher"? a misspelt id creates a new agent instead of patching the base brain\'s';
    expect(ds.map((d) => [d.code, d.severity, where(d), d.message, d.hint])).toEqual([
      ["BRN102", "error", "overlays/prod.yaml:5:3", 'missing required keys "name" and "prompt" in agent "watcer", which the overlay creates', hint],
    ]);
  });

  it("a misspelt tool and policy id get did-you-mean too; other errors of the new entity stay", async () => {
    const ds = await edited((dir) => patch(dir, "overlays/prod.yaml", "agents:\n", "tools:\n  serch: { risk: [bogus] }\npolicies:\n  tigth: { description: x }\nagents:\n"), "prod");
    const missing = ds.filter((d) => d.code === "BRN102");
    expect(missing.map((d) => [d.message, d.hint])).toEqual([['missing required keys "description", "input" and "implementation" in tool "serch", which the overlay creates', 'did you mean "search"? a misspelt id creates a new tool instead of patching the base brain\'s']]);
    // A policy needs no key: the new one is complete, so the warning says it was created.
    expect(ds.filter((d) => d.code === "BRN401").map((d) => [d.message, d.hint])).toEqual([['overlay "prod" creates policy "tigth", which the base brain does not have', 'did you mean "tight"?']]);
    expect(ds.some((d) => d.code === "BRN103" && d.file === "overlays/prod.yaml")).toBe(true); // risk: [bogus] is a real error of its own
  });

  it("a new agent with no close id: no did-you-mean, and a plain hint on its missing keys", async () => {
    const ds = await edited((dir) => patch(dir, "overlays/prod.yaml", "agents:\n", "agents:\n  release-notes-writer: { description: x }\n"), "prod");
    expect(ds.map((d) => [d.code, d.message, d.hint])).toEqual([
      ["BRN102", 'missing required keys "name" and "prompt" in agent "release-notes-writer", which the overlay creates', "a new agent needs every required key; to patch one of the base brain, use its id"],
    ]);
  });
});

describe("the command line", () => {
  it("BRN501: an unknown target close to a built-in one gets did-you-mean (and exits 1, as every BRN5xx error)", async () => {
    const { dir, cleanup } = tempCopy(minimal);
    try {
      const { code, stdout } = await runCli(["build", "--brain", ".", "--out", ".out", "--target", "opencalw", "--format", "json"], dir);
      expect(code).toBe(1);
      expect((JSON.parse(stdout) as Diagnostic[]).map((d) => [d.code, d.hint])).toEqual([
        ["BRN501", 'did you mean "openclaw"? built-in targets: supervisor, openclaw, n8n, litellm; or give a module path such as ./my-target.js'],
      ]);
    } finally {
      cleanup();
    }
  });

  it("BRN007 inside a brain folder without --brain: use --brain .", async () => {
    const { dir, cleanup } = tempCopy(minimal);
    try {
      const { code, stdout } = await runCli(["validate", "--format", "json"], dir);
      expect(code).toBe(1);
      expect((JSON.parse(stdout) as Diagnostic[]).map((d) => [d.code, d.hint])).toEqual([["BRN007", "this folder holds brain.yaml: use --brain ."]]);
      const below = await runCli(["validate", "--brain", "agents", "--format", "json"], dir);
      expect((JSON.parse(below.stdout) as Diagnostic[]).map((d) => d.hint)).toEqual(["this folder holds brain.yaml: use --brain ."]);
      // From the folder above the brain: the folder above --brain holds brain.yaml.
      const above = await runCli(["validate", "--brain", `${basename(dir)}/agents`, "--format", "json"], dirname(dir));
      expect((JSON.parse(above.stdout) as Diagnostic[]).map((d) => d.hint)).toEqual([`${JSON.stringify(basename(dir))} holds brain.yaml: use --brain ${basename(dir)}`]);
    } finally {
      cleanup();
    }
  });

  it("BRN007 in a subfolder of the brain or of its project: the nearest brain above, as tsc finds tsconfig.json", async () => {
    const { dir, cleanup } = tempCopy(minimal);
    try {
      const inside = await runCli(["validate", "--format", "json"], join(dir, "prompts/personas"));
      expect((JSON.parse(inside.stdout) as Diagnostic[]).map((d) => d.hint)).toEqual(['"../.." holds brain.yaml: use --brain ../..']);
    } finally {
      cleanup();
    }
    // A project with brain/ and docs/, run in docs/ (the project folder's other files do not matter).
    const { dir: project, cleanup: done } = tempCopy(join(minimal, "prompts/personas"));
    try {
      cpSync(minimal, join(project, "brain"), { recursive: true });
      mkdirSync(join(project, "docs"));
      const docs = await runCli(["validate", "--format", "json"], join(project, "docs"));
      expect((JSON.parse(docs.stdout) as Diagnostic[]).map((d) => d.hint)).toEqual(['"../brain" holds brain.yaml: use --brain ../brain']);
    } finally {
      done();
    }
  });

  it("BRN007 elsewhere keeps the general hint", async () => {
    const { dir, cleanup } = tempCopy(join(minimal, "agents"));
    try {
      const { stdout } = await runCli(["validate", "--format", "json"], dir);
      expect((JSON.parse(stdout) as Diagnostic[]).map((d) => d.hint)).toEqual(["point --brain at the folder that holds brain.yaml, or run `brainc init`"]);
    } finally {
      cleanup();
    }
  });
});
