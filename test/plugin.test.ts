/**
 * Targets are plugins: a third-party target is a module whose default export is a Target, named on the
 * command line (`--target ./my-target.mjs`, relative to the working directory) or in brain.yaml
 * (`targets.<name>.module`, relative to the brain root). Fixture targets: test/fixtures/targets/.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadTargets } from "../src/emit/build.js";
import { availableBuiltins } from "../src/emit/registry.js";
import { runTargets } from "../src/emit/run.js";
import type { Target } from "../src/emit/target.js";
import { compileOk, repoRoot, runCli, tempCopy } from "./helpers.js";

const fixtureTargets = join(repoRoot, "test/fixtures/targets");
let work: { dir: string; cleanup: () => void };
beforeEach(() => {
  work = tempCopy(join(repoRoot, "test/fixtures/valid/minimal"));
  cpSync(fixtureTargets, join(work.dir, ".targets"), { recursive: true });
});
afterEach(() => work.cleanup());

const build = (...argv: string[]) => runCli(["build", "--brain", ".", "--out", ".out", ...argv], work.dir);
const json = async (...argv: string[]) => {
  const r = await build(...argv, "--format", "json");
  return { code: r.code, diagnostics: JSON.parse(r.stdout) as { code: string; severity: string; message: string; hint?: string; file?: string; range?: { start: { line: number; column: number } } }[] };
};
const setTargets = (yaml: string) => {
  const manifest = readFileSync(join(work.dir, "brain.yaml"), "utf8").replace(/targets:\n  supervisor: \{\}\n/, `targets:\n${yaml}`);
  writeFileSync(join(work.dir, "brain.yaml"), manifest);
};

describe("a third-party target", () => {
  it("loads from a module path on the command line and writes into its own folder", async () => {
    const { code, stderr } = await build("--target", "./.targets/echo-target.mjs");
    expect(code, stderr).toBe(0);
    expect(readFileSync(join(work.dir, ".out/echo/hello.txt"), "utf8")).toBe("hello from mini (default)\n- watcher: small > big\n");
    expect(readFileSync(join(work.dir, ".out/prod/echo/hello.txt"), "utf8")).toBe("hello from mini (prod)\n- watcher: small > big\n");
    expect(readFileSync(join(work.dir, ".out/echo/agents/watcher.md"), "utf8")).toMatch(/^You are Watcher of mini\./);
  });

  it("loads from brain.yaml targets.<name>.module (relative to the brain root) with its options", async () => {
    setTargets('  supervisor: {}\n  echo: { module: "./.targets/echo-target.mjs", greeting: "hi" }\n');
    const { code, stderr } = await build("--target", "echo");
    expect(code, stderr).toBe(0);
    expect(readFileSync(join(work.dir, ".out/echo/hello.txt"), "utf8")).toMatch(/^hi from mini/);
    expect(existsSync(join(work.dir, ".out/supervisor"))).toBe(false);
  });

  it("is one of the targets of --target all (the default), beside every built-in", async () => {
    setTargets('  supervisor: {}\n  echo: { module: "./.targets/echo-target.mjs" }\n');
    const brain = await compileOk(work.dir);
    // Loading only: running every built-in target is the built-ins' own tests' business.
    const { targets, diagnostics } = await loadTargets(brain, work.dir, [], work.dir);
    expect(diagnostics).toEqual([]);
    expect(targets.map((t) => t.name).sort()).toEqual([...availableBuiltins(), "echo"].sort());
  });

  it("BRN503: options that break the target's optionsSchema, at brain.yaml's key", async () => {
    setTargets('  supervisor: {}\n  echo: { module: "./.targets/echo-target.mjs", greting: "hi" }\n');
    const { code, diagnostics } = await json("--target", "echo");
    expect(code).toBe(1);
    expect(diagnostics.map((d) => [d.code, d.file, d.range?.start.line])).toEqual([["BRN503", "brain.yaml", 19]]);
    // Worded like the brain's own schema errors: the unknown key, with a did-you-mean.
    expect([diagnostics[0].message, diagnostics[0].hint]).toEqual(['unknown key "greting" in targets.echo', 'did you mean "greeting"?']);
  });

  it("BRN504: a path outside its folder, or one emitted twice", async () => {
    const { code, diagnostics } = await json("--target", "./.targets/bad-path-target.mjs");
    expect(code).toBe(1);
    expect(diagnostics.map((d) => d.code)).toEqual(["BRN504", "BRN504"]);
    expect(diagnostics.map((d) => d.message).join("\n")).toMatch(/unsafe path: "\.\.\/escaped\.txt"[\s\S]*twice: "twice\.txt"/);
    expect(existsSync(join(work.dir, ".out"))).toBe(false);
    expect(existsSync(join(work.dir, "escaped.txt"))).toBe(false);
  });

  it("BRN505: a target that throws", async () => {
    const { code, diagnostics } = await json("--target", "./.targets/throwing-target.mjs");
    expect(code).toBe(1);
    expect(diagnostics).toEqual([expect.objectContaining({ code: "BRN505", message: 'target "throwing" failed: the emitter tripped over a wire' })]);
    expect(existsSync(join(work.dir, ".out"))).toBe(false);
  });

  it("BRN509 and BRN510: a target's limits (info) and its own validator's verdict (error)", async () => {
    const { code, diagnostics } = await json("--target", "./.targets/checked-target.mjs");
    expect(code).toBe(1);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([["BRN509", "info"], ["BRN510", "error"]]);
    expect(existsSync(join(work.dir, ".out"))).toBe(false);
  });

  it("BRN502: a module that is not a Target", async () => {
    const { diagnostics } = await json("--target", "./.targets/not-a-target.mjs");
    expect(diagnostics.map((d) => d.code)).toEqual(["BRN502"]);
  });

  it("a broken target is the target's problem, not an internal error of brainc (BRN502, BRN505)", async () => {
    const schema = await json("--target", "./.targets/broken-schema-target.mjs");
    expect(schema.code).toBe(1);
    expect(schema.diagnostics.map((d) => d.code)).toEqual(["BRN502"]);
    expect(schema.diagnostics[0].message).toMatch(/invalid optionsSchema/);
    const output = await json("--target", "./.targets/broken-output-target.mjs");
    expect(output.code).toBe(1);
    expect(output.diagnostics.map((d) => d.code)).toEqual(["BRN505"]);
    expect(existsSync(join(work.dir, ".out"))).toBe(false);
  });
});

describe("target names: each is its own output folder", () => {
  /** Writes `.targets/<file>` exporting a target named `name` that emits `path` (each test its own file: ESM caches modules by URL). */
  const writeTarget = (file: string, name: string, path = "out.txt") =>
    writeFileSync(join(work.dir, ".targets", file), `export default { name: ${JSON.stringify(name)}, optionsSchema: {}, emit() { return [{ path: ${JSON.stringify(path)}, contents: "x\\n" }]; } };\n`);

  it("BRN502: a name that is not an id, and nothing is written inside or outside the output folder", async () => {
    const cases: [string, string, string][] = [["dotdot.mjs", "..", "pwn.txt"], ["empty.mjs", "", ".brainc-manifest.json"], ["nested.mjs", "prod/echo", "hello.txt"], ["upper.mjs", "Mine", "x.txt"]];
    for (const [file, name, path] of cases) {
      writeTarget(file, name, path);
      const { code, diagnostics } = await json("--target", `./.targets/${file}`, "--env", "default");
      expect(code, name).toBe(1);
      expect(diagnostics.map((d) => d.code), name).toEqual(["BRN502"]);
      expect(diagnostics[0].message).toBe(`target name ${JSON.stringify(name)} is not an id: a target's name is its output folder, so it must match ^[a-z][a-z0-9-]{0,62}$`);
    }
    expect(existsSync(join(work.dir, ".out"))).toBe(false);
    expect(existsSync(join(work.dir, "pwn.txt"))).toBe(false);
  });

  it("BRN502: a third-party target cannot take a built-in target's name, alone or beside it", async () => {
    writeTarget("fake-supervisor.mjs", "supervisor");
    for (const argv of [["--target", "./.targets/fake-supervisor.mjs"], ["--target", "supervisor", "--target", "./.targets/fake-supervisor.mjs"]]) {
      const { code, diagnostics } = await json(...argv);
      expect(code).toBe(1);
      expect(diagnostics.map((d) => [d.code, d.message])).toEqual([["BRN502", '"./.targets/fake-supervisor.mjs" exports a target named "supervisor", the name of a built-in target']]);
    }
    expect(existsSync(join(work.dir, ".out"))).toBe(false);
  });

  it("BRN502: two targets of one build with one name; one module named twice is loaded once", async () => {
    writeTarget("twin-a.mjs", "twin");
    writeTarget("twin-b.mjs", "twin");
    const { code, diagnostics } = await json("--target", "./.targets/twin-a.mjs", "--target", "./.targets/twin-b.mjs");
    expect(code).toBe(1);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([["BRN502", 'two targets of this build are named "twin"; each target needs a name (and output folder) of its own']]);
    expect(existsSync(join(work.dir, ".out"))).toBe(false);
    // The same module from the command line and from brain.yaml (two spellings of one file) is one target.
    setTargets('  supervisor: {}\n  echo: { module: ".targets/echo-target.mjs" }\n');
    const { code: once, stderr } = await build("--target", "./.targets/echo-target.mjs", "--target", "echo");
    expect(once, stderr).toBe(0);
  });

  it("BRN502: a module under brain.yaml targets.<name> whose target has another name", async () => {
    setTargets('  supervisor: {}\n  mine: { module: "./.targets/echo-target.mjs" }\n');
    const { code, diagnostics } = await json("--target", "mine");
    expect(code).toBe(1);
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([["BRN502", "brain.yaml"]]);
    expect(diagnostics[0].message).toMatch(/targets\.mine\.module "\.\/\.targets\/echo-target\.mjs" exports a target named "echo"/);
    expect(existsSync(join(work.dir, ".out"))).toBe(false);
  });

  it("validation reserves the built-in targets' names for overlays from brain.schema.json: the same names as the registry's", () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, "schemas/brain.schema.json"), "utf8")) as { properties: { targets: { properties: object } } };
    expect(Object.keys(schema.properties.targets.properties).sort()).toEqual(availableBuiltins().sort());
  });

  it("BRN403: a target module named like an overlay, even when the build is of another environment", async () => {
    writeTarget("prod-target.mjs", "prod");
    for (const env of [[], ["--env", "default"]]) {
      const { code, diagnostics } = await json("--target", "./.targets/prod-target.mjs", ...env);
      expect(code).toBe(1);
      expect(diagnostics.map((d) => [d.code, d.file])).toEqual([["BRN403", "overlays/prod.yaml"]]);
      expect(diagnostics[0].message).toMatch(/overlay "overlays\/prod\.yaml" has the name of target "prod"/);
    }
    expect(existsSync(join(work.dir, ".out"))).toBe(false);
  });
});

describe("runTargets (the library interface)", () => {
  it("gives each target's files under its scope, sorted, and never touches the disk", async () => {
    const brain = await compileOk(work.dir);
    const target: Target = {
      name: "inline",
      optionsSchema: { type: "object" },
      emit: (b) => [
        { path: "z.txt", contents: "z\n" },
        { path: "a/b.txt", contents: `${b.name}\n` },
      ],
    };
    const { outputs, diagnostics } = await runTargets(brain, [target]);
    expect(diagnostics).toEqual([]);
    expect(outputs).toEqual([{ target: "inline", scope: "inline/", files: [{ path: "inline/a/b.txt", contents: "mini\n" }, { path: "inline/z.txt", contents: "z\n" }] }]);
  });

  it("BRN502: runs no target when a name is not an id or two targets share one", async () => {
    const brain = await compileOk(work.dir);
    const emitted: string[] = [];
    const target = (name: string): Target => ({ name, optionsSchema: {}, emit: () => (emitted.push(name), [{ path: "a.txt", contents: "a\n" }]) });
    for (const targets of [[target("ok"), target("..")], [target(""), target("ok")], [target("ok"), target("ok")]]) {
      const { outputs, diagnostics } = await runTargets(brain, targets);
      expect(diagnostics.map((d) => d.code)).toEqual(["BRN502"]);
      expect(outputs).toEqual([]);
    }
    expect(emitted).toEqual([]);
  });

  it("the linked brain a target receives is frozen", async () => {
    const brain = await compileOk(work.dir);
    let error: unknown;
    const target: Target = {
      name: "mutating",
      optionsSchema: { type: "object" },
      emit: (b) => {
        try {
          (b.agents.watcher as { name: string }).name = "changed";
        } catch (e) {
          error = e;
        }
        return [];
      },
    };
    await runTargets(brain, [target]);
    expect(error).toBeInstanceOf(TypeError);
    expect(brain.agents.watcher.name).toBe("Watcher");
  });
});
