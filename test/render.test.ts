/**
 * The Handlebars environment (src/render/): strict variables, noEscape, partials from `_name.md`, the
 * documented helper set, no prototype access. Golden files pin the whitespace around standalone
 * partials and `#each` blocks: test/fixtures/render/__golden__/<agent>.md, rendered from
 * test/fixtures/render/brain/ (update with `npx vitest run -u test/render.test.ts` and review the diff).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileBrain } from "../src/compile.js";
import type { Template } from "../src/link/model.js";
import { HELPERS } from "../src/render/helpers.js";
import { checkTemplates, TemplateCache } from "../src/render/render.js";
import { compileOk, repoRoot, tempCopy } from "./helpers.js";

const renderBrain = join(repoRoot, "test/fixtures/render/brain");
const golden = join(repoRoot, "test/fixtures/render/__golden__");

describe("golden renders", () => {
  for (const agent of ["whitespace", "helpers"]) {
    it(agent, async () => {
      const brain = await compileOk(renderBrain);
      await expect(brain.agents[agent].instructions).toMatchFileSnapshot(join(golden, `${agent}.md`));
    });
  }

  it("the example brain's instructions render (each agent, every env)", async () => {
    for (const env of ["default", "prod"]) {
      const brain = await compileOk(join(repoRoot, "brain"), env);
      for (const agent of Object.values(brain.agents)) {
        expect(agent.instructions.length, agent.id).toBeGreaterThan(100);
        expect(agent.instructions, agent.id).not.toMatch(/\{\{|\}\}/);
      }
    }
  });
});

describe("the environment", () => {
  const withPrompt = async (body: string, frontmatter = "") => {
    const { dir, cleanup } = tempCopy(join(repoRoot, "test/fixtures/valid/minimal"));
    try {
      writeFileSync(join(dir, "prompts/watcher.md"), `${frontmatter ? `---\n${frontmatter}---\n` : ""}${body}`);
      return await compileBrain(dir);
    } finally {
      cleanup();
    }
  };
  const codes = (r: { diagnostics: { code: string; severity: string }[] }) => r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.code);

  it("does not HTML-escape (noEscape)", async () => {
    const r = await withPrompt("{{input.x}} & {{{input.x}}}\n", 'input:\n  x: { type: string, default: "<a href=\\"x\\">&amp;</a>" }\n');
    expect(codes(r)).toEqual([]);
    expect(r.brain!.agents.watcher.instructions).toBe('<a href="x">&amp;</a> & <a href="x">&amp;</a>\n');
  });

  it("is strict: a missing variable is an error, not an empty string", async () => {
    expect(codes(await withPrompt("Hi {{agent.nickname}}\n"))).toEqual(["BRN215"]);
    expect(codes(await withPrompt("Hi {{nickname}}\n"))).toEqual(["BRN215"]);
  });

  it("#if guards an optional value without an error", async () => {
    const r = await withPrompt("{{#if agent.description}}[{{agent.description}}]{{/if}}\n");
    expect(codes(r)).toEqual([]);
    expect(r.brain!.agents.watcher.instructions).toBe("[Checks one URL.]\n");
  });

  it("#if, #each and helpers take a path through a missing object as undefined; printing it is BRN215 at its place", async () => {
    // The watcher's effective policy sets no tools.network: strict mode used to throw a TypeError here.
    const r = await withPrompt('{{#if agent.policy.tools.network.allow}}x{{else}}open{{/if}} {{#each agent.policy.tools.network.deny}}{{this}}{{/each}}{{default agent.policy.tools.network.deny "none"}}\n');
    expect(codes(r)).toEqual([]);
    expect(r.brain!.agents.watcher.instructions).toBe("open none\n");
    const printed = await withPrompt("Hosts:\n{{agent.policy.tools.network.allow}}\n");
    // Handlebars names the path's last part; the message names the whole path, as written.
    expect(printed.diagnostics.map((d) => [d.code, d.range?.start.line, d.range?.start.column, d.message, d.hint])).toEqual([
      ["BRN215", 2, 3, '"agent.policy.tools.network.allow" is not defined in the render context (rendering for agent "watcher")', "the value is missing for this agent: guard it with {{#if agent.policy.tools.network.allow}}…{{/if}}, or give it a value"],
    ]);
  });

  it("a field read from a string (an input list of strings) is BRN215, not a JavaScript error", async () => {
    const r = await withPrompt("{{#each input.hosts}}- {{this.port}}\n{{/each}}", 'input:\n  hosts: { type: array, default: ["a.example"] }\n');
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([["BRN215", '"port" is read from "a.example", which is not an object (rendering for agent "watcher")']]);
  });

  it("validate checks {{#name}} sections like #each (a list) or #with (an object), and only own keys", async () => {
    expect(codes(await withPrompt("{{#agent}}{{name}}{{/agent}} {{#agent.tools}}{{id}}{{/agent.tools}}\n"))).toEqual([]);
    expect(codes(await withPrompt("{{#agent}}{{agent.name}}{{/agent}}\n"))).toEqual(["BRN215"]);
    expect(codes(await withPrompt("{{#nothing}}x{{/nothing}}\n"))).toEqual(["BRN215"]);
    expect(codes(await withPrompt("{{#agent.tools}}{{nickname}}{{/agent.tools}}\n"))).toEqual(["BRN215"]);
    for (const body of ["{{constructor}}\n", "{{agent.__proto__}}\n", "{{agent.hasOwnProperty}}\n", "{{#each agent.tools as |t|}}{{t.toString}}{{/each}}\n"]) expect(codes(await withPrompt(body)), body).toEqual(["BRN215"]);
  });

  it("../ above the template's own context is BRN215 in validate (rendering fails there); inside #each and #with it is fine", async () => {
    const bad = await withPrompt("{{../agent.name}} {{#with agent}}{{../../brain.name}}{{/with}}\n");
    expect(bad.diagnostics.map((d) => [d.code, d.range?.start.column, d.message])).toEqual([
      ["BRN215", 3, '"../agent.name" goes one level up with ../, above the template\'s own context'],
      ["BRN215", 36, '"../../brain.name" goes 2 levels up with ../, above the template\'s own context'],
    ]);
    const ok = await withPrompt("{{#with agent}}{{../brain.name}}{{/with}} {{#each agent.tools}}{{../agent.name}}{{/each}}\n");
    expect(codes(ok)).toEqual([]);
    expect(ok.brain!.agents.watcher.instructions).toBe("mini WatcherWatcher\n");
  });

  it("an inline partial is checked where it is called, in that context: inside #each, with hash arguments", async () => {
    const r = await withPrompt('{{#*inline "row"}}- {{id}} ({{x}}){{/inline}}{{#each agent.tools}}{{> row x=../agent.name}}\n{{/each}}');
    expect(codes(r)).toEqual([]);
    expect(r.brain!.agents.watcher.instructions).toBe("- http-check (Watcher)\n- search (Watcher)\n");
    expect(codes(await withPrompt('{{#*inline "row"}}{{id}}{{/inline}}{{> row}}\n'))).toEqual(["BRN215"]);
  });

  it("inline partials ({{#*inline}}) and @partial-block are partials too; a computed partial name is BRN214", async () => {
    const r = await withPrompt('{{#*inline "greet"}}Hi {{agent.name}}{{/inline}}{{> greet}}!\n');
    expect(codes(r)).toEqual([]);
    expect(r.brain!.agents.watcher.instructions).toBe("Hi Watcher!\n");
    expect(codes(await withPrompt('{{#*inline "greet"}}Hi {{agent.nmae}}{{/inline}}\n{{> greet}}\n'))).toEqual(["BRN215"]);
    expect(codes(await withPrompt('{{> (lookup input "which")}}\n', 'input:\n  which: { type: string, default: rules }\n'))).toEqual(["BRN214"]);
    const { dir, cleanup } = tempCopy(join(repoRoot, "test/fixtures/valid/minimal"));
    try {
      writeFileSync(join(dir, "prompts/_frame.md"), "[{{> @partial-block}}]\n");
      writeFileSync(join(dir, "prompts/watcher.md"), "{{#> frame}}{{agent.name}}{{/frame}}");
      const framed = await compileBrain(dir);
      expect(codes(framed)).toEqual([]);
      expect(framed.brain!.agents.watcher.instructions).toBe("[Watcher]\n");
    } finally {
      cleanup();
    }
  });

  it("checks each partial once per context: a chain of partials that each include the next twice is not 2^n walks", async () => {
    const { dir, cleanup } = tempCopy(join(repoRoot, "test/fixtures/valid/minimal"));
    try {
      const levels = 20; // without the memo, 2^20 walks of the last partial: seconds past the test timeout
      for (let i = 0; i < levels; i++) writeFileSync(join(dir, `prompts/_p${i}.md`), `{{#if (eq env "never")}}{{> p${i + 1}}}{{> p${i + 1}}}{{/if}}`);
      writeFileSync(join(dir, `prompts/_p${levels}.md`), "{{agent.nmae}}\n");
      writeFileSync(join(dir, "prompts/watcher.md"), "{{> p0}}\n");
      const r = await compileBrain(dir);
      expect(r.diagnostics.filter((d) => d.code === "BRN215").map((d) => d.file)).toEqual([`prompts/_p${levels}.md`]);
    } finally {
      cleanup();
    }
  });

  it("an input default that breaks its own schema is BRN325 at the offending value, worded like schema errors", async () => {
    const r = await withPrompt("{{input.hosts}}\n", "input:\n  hosts: { type: array, items: { type: string }, default: [a.example, 5] }\n");
    expect(r.diagnostics.map((d) => [d.code, d.range?.start.line, d.message])).toEqual([["BRN325", 3, "input.hosts.default[1] must be a string, not number 5"]]);
  });

  it("gives no access to prototypes (constructor, __proto__)", async () => {
    for (const body of ["{{agent.constructor}}\n", "{{agent.__proto__}}\n", '{{lookup agent "constructor"}}\n', "{{#with agent.constructor}}{{name}}{{/with}}\n"]) {
      const r = await withPrompt(body);
      const text = r.brain?.agents.watcher.instructions ?? "";
      expect(text, body).not.toMatch(/function|Object|\[native code\]/);
      if (r.brain) expect(text.trim(), body).toBe("");
    }
  });

  it("only the documented helpers exist (BRN216 for others, Handlebars' own `log` included: it writes to the console, into --format json output)", async () => {
    expect(Object.keys(HELPERS).sort()).toEqual(["default", "eq", "join", "json"]);
    expect(codes(await withPrompt("{{upper agent.name}}\n"))).toEqual(["BRN216"]);
    expect(codes(await withPrompt("{{#each agent.tools}}{{this.id}}{{/each}}{{lookup agent \"name\"}}\n"))).toEqual([]);
    expect(codes(await withPrompt('{{log "x" level="debug"}}\n'))).toEqual(["BRN216"]);
  });

  it("renders once per agent, with that agent's context", async () => {
    const { dir, cleanup } = tempCopy(join(repoRoot, "test/fixtures/valid/minimal"));
    try {
      writeFileSync(join(dir, "agents/second.yaml"), "name: Second\nprompt: watcher\npersona: personas/calm\ntools: [http-check]\n");
      const brain = await compileOk(dir);
      expect(brain.agents.watcher.instructions).toContain("You are Watcher of mini.");
      expect(brain.agents.second.instructions).toContain("You are Second of mini.");
      expect(brain.agents.second.instructions).toContain("- http-check\n");
      expect(brain.agents.second.instructions).not.toContain("- search");
      expect(brain.agents.watcher.personaText).toBe("Be calm and brief.\n");
    } finally {
      cleanup();
    }
  });

  it("env is the overlay name (default without one)", async () => {
    expect((await compileOk(renderBrain)).agents.whitespace.instructions).toMatch(/Footer: render-check \/ default\n$/);
  });
});

describe("template syntax errors (BRN214) say what is wrong, not which parser tokens were expected", () => {
  const shape = { object: {} } as const;
  const messageOf = (body: string) => {
    const prompt = { id: "p", source: "prompts/p.md", input: {}, body, bodyLine: 1 };
    const found = checkTemplates({ prompts: { p: prompt }, partials: {} }, shape);
    expect(found.map((d) => d.code)).toEqual(["BRN214"]);
    return found[0].message.replace(/^template syntax error: /, "");
  };
  it.each([
    ["Check {{input.url} now", "the mustache is not closed: expected `}}`"],
    ["{{#if agent.name}}text", "a block is not closed: `{{#if}}` has no `{{/if}}` before the template ends"],
    ["text {{/if}}", "`{{/…}}` closes a block that was never opened"],
    ["{{else}}", "`{{else}}` outside an `{{#if}}`, `{{#unless}}`, `{{#each}}` or `{{#with}}` block"],
    ["{{#each agent.tools}}x{{/eahc}}", "`{{/eahc}}` does not close `{{#each}}`: a block ends with its own name"],
    ["{{> }}", "a name or value is missing before `}}`"],
    ["{{{agent.name}}", "`{{{` is closed by `}}`: close it with `}}}`"],
    ["{{!-- unfinished", "unrecognized text: an unfinished comment (`{{!--` without `--}}`) or mustache?"],
    // Handlebars fails on these only when rendering ("Missing decorator"): validate, which does not render, must say so.
    ["{{* log}}hi", 'decorators ({{* name}}) are not supported, except {{#*inline "name"}}…{{/inline}}'],
    ["{{#* frame}}x{{/frame}}", 'decorators ({{* name}}) are not supported, except {{#*inline "name"}}…{{/inline}}'],
  ])("%j", (body, message) => {
    expect(messageOf(body)).toBe(message);
    expect(messageOf(body)).not.toMatch(/Expecting|'[A-Z_]+'/);
  });
});

it("a block left open is reported where it opens, the innermost one (the parser only finds the end of the template)", () => {
  const prompt = { id: "p", source: "prompts/p.md", input: {}, body: "Intro\n{{#each agent.tools}}\n  {{#if this.id}}- {{this.id}}{{/if}}\n{{^agent.tools}}none\n", bodyLine: 3 };
  expect(checkTemplates({ prompts: { p: prompt }, partials: {} }, { object: {} }).map((d) => [d.code, d.range?.start.line, d.range?.start.column, d.message])).toEqual([
    ["BRN214", 6, 1, "template syntax error: a block is not closed: `{{^agent.tools}}` has no `{{/agent.tools}}` before the template ends"],
  ]);
  const outer = { ...prompt, body: "Intro\n{{#each agent.tools}}\n  {{#if this.id}}- {{this.id}}{{/if}}\n" };
  expect(checkTemplates({ prompts: { p: outer }, partials: {} }, { object: {} }).map((d) => [d.range?.start.line, d.range?.start.column, d.message])).toEqual([
    [4, 1, "template syntax error: a block is not closed: `{{#each}}` has no `{{/each}}` before the template ends"],
  ]);
});

it("checks kept in one TemplateCache (what build --watch does) follow every edit: the same findings as a fresh check", () => {
  const cache = new TemplateCache();
  const shape = { object: {} } as const;
  const lines = (found: ReturnType<typeof checkTemplates>) => found.map((d) => `${d.code} ${d.file}:${d.range?.start.line}:${d.range?.start.column} ${d.message}`);
  const check = (prompt: Template, partials: Record<string, Template>) => {
    const kept = lines(checkTemplates({ prompts: { p: prompt }, partials }, shape, cache));
    expect(kept).toEqual(lines(checkTemplates({ prompts: { p: prompt }, partials }, shape)));
    return kept;
  };
  const prompt: Template = { id: "p", source: "prompts/p.md", input: {}, body: "Hello {{> greet}}\n", bodyLine: 3 };
  const greet: Template = { id: "greet", source: "prompts/_greet.md", input: {}, body: "{{> name}}", bodyLine: 1 };
  const name: Template = { id: "name", source: "prompts/_name.md", input: {}, body: "{{agent.name}}", bodyLine: 1 };
  expect(check(prompt, { greet, name })).toEqual([]);
  // A partial two includes away is edited, moved to another file, removed, added again.
  expect(check(prompt, { greet, name: { ...name, body: "{{agent.nmae}}" } })).toEqual(['BRN215 prompts/_name.md:1:3 "agent.nmae" is not in the render context: agent has no "nmae"']);
  expect(check(prompt, { greet, name: { ...name, body: "{{agent.nmae}}", source: "prompts/x/_name.md", bodyLine: 4 } })).toEqual(['BRN215 prompts/x/_name.md:4:3 "agent.nmae" is not in the render context: agent has no "nmae"']);
  expect(check(prompt, { greet })).toEqual(['BRN202 prompts/_greet.md:1:1 unknown partial "name"']);
  expect(check(prompt, { greet: { ...greet, bodyLine: 2 } })).toEqual(['BRN202 prompts/_greet.md:2:1 unknown partial "name"']);
  expect(check(prompt, { greet, name: { ...name, body: "{{#if agent.name}}x" } })).toEqual(["BRN214 prompts/_name.md:1:1 template syntax error: a block is not closed: `{{#if}}` has no `{{/if}}` before the template ends"]);
  expect(check(prompt, { greet, name })).toEqual([]);
  // The prompt's own input and place.
  const url = { ...prompt, body: "Check {{input.url}}\n" };
  expect(check(url, {})).toEqual(['BRN215 prompts/p.md:3:9 "input.url" is not in the render context: input has no "url"']);
  expect(check({ ...url, bodyLine: 5 }, {})).toEqual(['BRN215 prompts/p.md:5:9 "input.url" is not in the render context: input has no "url"']);
  expect(check({ ...url, input: { url: { type: "string" } } }, {})).toEqual([]);
});

it("other parse errors name what came and what could have come instead, in template terms", async () => {
  const { describeSyntaxError } = await import("../src/render/syntax-errors.js");
  expect(describeSyntaxError("Parse error on line 1:\n{{x y=\n----^\nExpecting 'ID', 'STRING', 'EQUALS', got 'EOF'")).toBe("found the end of the template, expected a name or value or `=`");
  expect(describeSyntaxError("something Handlebars says in words")).toBeUndefined();
});

describe("input defaults (BRN325)", () => {
  it("a schema that ajv cannot compile is a diagnostic, not an internal error (validation refuses such schemas first: BRN108)", async () => {
    const { checkInputDefaults } = await import("../src/render/defaults.js");
    const locate = () => ({ file: "prompts/p.md", range: { start: { line: 3, column: 3 }, end: { line: 3, column: 4 } } });
    const prompt = { id: "p", file: "prompts/p.md", body: "", bodyLine: 5, locate, frontmatter: { input: { loop: { $ref: "#", default: 1 }, ok: { type: "integer", default: 1 } } } };
    const found = await checkInputDefaults({ p: prompt as never });
    expect(found.map((d) => [d.code, d.file, d.range?.start.line, d.message.replace(/\(.*\)$/, "(…)")])).toEqual([["BRN325", "prompts/p.md", 3, "the default of input.loop cannot be checked: its schema does not compile (…)"]]);
  });
});
