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
import { HELPERS } from "../src/render/helpers.js";
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

  it("gives no access to prototypes (constructor, __proto__)", async () => {
    for (const body of ["{{agent.constructor}}\n", "{{agent.__proto__}}\n", '{{lookup agent "constructor"}}\n', "{{#with agent.constructor}}{{name}}{{/with}}\n"]) {
      const r = await withPrompt(body);
      const text = r.brain?.agents.watcher.instructions ?? "";
      expect(text, body).not.toMatch(/function|Object|\[native code\]/);
      if (r.brain) expect(text.trim(), body).toBe("");
    }
  });

  it("only the documented helpers exist (BRN216 for others, e.g. Handlebars' own `log` is fine)", async () => {
    expect(Object.keys(HELPERS).sort()).toEqual(["default", "eq", "join", "json"]);
    expect(codes(await withPrompt("{{upper agent.name}}\n"))).toEqual(["BRN216"]);
    expect(codes(await withPrompt('{{#each agent.tools}}{{this.id}}{{/each}}{{log "x" level="debug"}}\n'))).toEqual([]);
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
