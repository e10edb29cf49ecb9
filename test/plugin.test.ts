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
  return { code: r.code, diagnostics: JSON.parse(r.stdout) as { code: string; severity: string; message: string; file?: string; range?: { start: { line: number; column: number } } }[] };
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
    expect(diagnostics[0].message).toMatch(/greting/);
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
