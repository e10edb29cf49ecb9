/**
 * The command line: exit codes (0 clean, 1 errors, 2 usage or internal error), usage errors, --strict,
 * --format, --env, and no stack trace on any input. Most tests run the CLI in-process (`run` with a
 * captured Io); a few spawn the real `bin/brainc.js` (from dist/).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { invalidCase } from "./corpus.js";
import { repoRoot, runCli, tempCopy } from "./helpers.js";

const minimal = "test/fixtures/valid/minimal";
const invalid = invalidCase;
const targets = (name: string) => join(repoRoot, "test/fixtures/targets", name);
const STACK_LINE = /^\s+at .+[:(]\d+:\d+\)?$/m;
const cli = (...argv: string[]) => runCli(argv, repoRoot);

describe("exit codes", () => {
  it("0 for a clean brain", async () => {
    const { code, stdout, stderr } = await cli("validate", "--brain", minimal);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toBe(`brainc: ${minimal} is valid\n`);
  });

  it("1 for a brain with errors, with tsc-like text diagnostics and a summary", async () => {
    const { code, stdout, stderr } = await cli("validate", "--brain", invalid("BRN204-unknown-tool"));
    expect(code).toBe(1);
    expect(stdout).toContain(`${invalid("BRN204-unknown-tool")}/agents/watcher.yaml:6:21 - error BRN204: unknown tool "serch"\n  hint: did you mean "search"?\n`);
    expect(stderr).toBe("Found 1 error.\n");
  });

  it("warnings alone exit 0, and 1 with --strict (validate and build)", async () => {
    const brain = invalid("BRN218-unused-tool");
    expect((await cli("validate", "--brain", brain)).code).toBe(0);
    expect((await cli("validate", "--brain", brain, "--strict")).code).toBe(1);
    const { dir, cleanup } = tempCopy(join(repoRoot, brain));
    try {
      expect((await runCli(["build", "--brain", ".", "--out", ".out", "--target", "supervisor", "--strict"], dir)).code).toBe(1);
      expect((await runCli(["build", "--brain", ".", "--out", ".out", "--target", "supervisor"], dir)).code).toBe(0);
    } finally {
      cleanup();
    }
  });

  it("info diagnostics are listed with --verbose (counted otherwise) and never fail a build, even with --strict", async () => {
    const { dir, cleanup } = tempCopy(join(repoRoot, minimal));
    try {
      const info = await runCli(["build", "--brain", ".", "--out", ".out", "--target", targets("info-target.mjs"), "--strict", "--verbose"], dir);
      expect(info.code).toBe(0);
      expect(info.stdout).toBe("brainc - info BRN509: info cannot express policies; enforce them with target supervisor\n");
      const quiet = await runCli(["build", "--brain", ".", "--out", ".out", "--target", targets("info-target.mjs"), "--strict"], dir);
      expect(quiet.code).toBe(0);
      expect(quiet.stdout).toBe("");
      expect(quiet.stderr).toContain("1 info diagnostic about what targets cannot express: --verbose lists them");

      // The checked fixture target reports BRN509 (info) and its check() BRN510 (error), in each env;
      // identical diagnostics of the two envs are printed once.
      const { code, stdout } = await runCli(["build", "--brain", ".", "--out", ".out", "--target", targets("checked-target.mjs"), "--format", "json", "--strict"], dir);
      expect(code).toBe(1);
      const diagnostics = JSON.parse(stdout) as { code: string; severity: string }[];
      expect(diagnostics.map((d) => [d.code, d.severity]).sort()).toEqual([
        ["BRN509", "info"],
        ["BRN510", "error"],
      ]);
    } finally {
      cleanup();
    }
  });

  it("2 for usage errors: unknown command, unknown flag, bad --format value, missing option value", async () => {
    for (const argv of [["frobnicate"], ["validate", "--no-such-flag"], ["validate", "--format", "xml"], ["build", "--out"]]) {
      const { code, stderr } = await cli(...argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(stderr, argv.join(" ")).toMatch(/error|unknown|invalid|argument/i);
      expect(stderr).not.toMatch(STACK_LINE);
    }
  });

  it("2 for incompatible flags (BRN901)", async () => {
    const { code, stdout } = await cli("build", "--brain", minimal, "--check", "--dry-run");
    expect(code).toBe(2);
    expect(stdout).toMatch(/brainc - error BRN901: --check and --dry-run cannot be combined/);
  });

  it("2 for an empty --out, --brain, --env or --target (an unset shell variable would mean the current folder, or all)", async () => {
    for (const argv of [["build", "--out", ""], ["schema", "--out", " "], ["validate", "--brain", ""], ["build", "--env", ""], ["build", "--target", ","]]) {
      const { code, stderr } = await cli(...argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(stderr, argv.join(" ")).toMatch(/argument .* is invalid\. It is empty\./);
    }
  });

  it("2 for an output folder among the brain's files (BRN901): the brain folder, or one of its places", async () => {
    for (const out of [minimal, join(minimal, "prompts/out")]) {
      for (const watch of [[], ["--watch"]]) {
        const { code, stdout } = await cli("build", "--brain", minimal, "--out", out, ...watch);
        expect(code).toBe(2);
        expect(stdout).toMatch(/BRN901: --out .* is (the brain folder|a folder of the brain's files): brainc's output would land among the brain's files/);
      }
    }
  });

  it("--help and --version exit 0", async () => {
    const help = await cli("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: brainc/);
    const version = await cli("--version");
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("1 for a folder without brain.yaml (BRN007)", async () => {
    const { code, stdout } = await cli("validate", "--brain", "test/fixtures/does-not-exist");
    expect(code).toBe(1);
    expect(stdout).toMatch(/BRN007/);
  });
});

describe("--env", () => {
  it("validates one overlay", async () => {
    expect((await cli("validate", "--brain", minimal, "--env", "prod")).code).toBe(0);
    expect((await cli("validate", "--brain", minimal, "--env", "default")).code).toBe(0);
  });

  it("BRN402: an overlay that does not exist", async () => {
    const { code, stdout } = await cli("validate", "--brain", minimal, "--env", "staging", "--format", "json");
    expect(code).toBe(1);
    const [d] = JSON.parse(stdout) as { code: string; message: string; hint: string }[];
    expect(d.code).toBe("BRN402");
    expect(d.message).toBe('no overlay "staging" (overlays/staging.yaml)'); // not also "(with overlay "staging")"
    expect(d.hint).toBe("overlays in this brain: prod");
  });

  it("only the overlay asked for is checked", async () => {
    // 084's defect lives in the prod overlay only: the base brain alone is clean.
    expect((await cli("validate", "--brain", invalid("BRN210-overlay-undeclared-task"), "--env", "default")).code).toBe(0);
    expect((await cli("validate", "--brain", invalid("BRN210-overlay-undeclared-task"), "--env", "prod")).code).toBe(1);
  });
});

describe("--format", () => {
  const brain = invalid("BRN204-unknown-tool");

  it("json: the diagnostics as data, paths relative to the working directory", async () => {
    const { code, stdout, stderr } = await cli("validate", "--brain", brain, "--format", "json");
    expect(code).toBe(1);
    expect(stderr).toBe("");
    expect(JSON.parse(stdout)).toEqual([
      {
        code: "BRN204",
        severity: "error",
        message: 'unknown tool "serch"',
        file: `${brain}/agents/watcher.yaml`,
        range: { start: { line: 6, column: 21 }, end: { line: 6, column: 26 } },
        hint: 'did you mean "search"?',
      },
    ]);
  });

  it("json prints [] for a clean brain", async () => {
    const { code, stdout } = await cli("validate", "--brain", minimal, "--format", "json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([]);
  });

  it("github: one Actions annotation per diagnostic", async () => {
    const { code, stdout } = await cli("validate", "--brain", brain, "--format", "github");
    expect(code).toBe(1);
    expect(stdout.split("\n")).toEqual([
      `::error file=${brain}/agents/watcher.yaml,line=6,col=21,endLine=6,endColumn=26,title=BRN204 unknown-tool::unknown tool "serch" (hint: did you mean "search"?)`,
      "",
    ]);
  });

  it("sarif: a SARIF 2.1.0 log", async () => {
    const { stdout } = await cli("validate", "--brain", brain, "--format", "sarif");
    const log = JSON.parse(stdout);
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0].results[0]).toMatchObject({ ruleId: "BRN204", level: "error", locations: [{ physicalLocation: { artifactLocation: { uri: `${brain}/agents/watcher.yaml` }, region: { startLine: 6, startColumn: 21 } } }] });
  });
});

describe("targets on the command line", () => {
  let work: { dir: string; cleanup: () => void };
  beforeEach(() => void (work = tempCopy(join(repoRoot, minimal))));
  afterEach(() => work.cleanup());
  const build = (...argv: string[]) => runCli(["build", "--brain", ".", "--out", ".out", ...argv, "--format", "json"], work.dir);
  const codes = (stdout: string) => (JSON.parse(stdout) as { code: string }[]).map((d) => d.code);

  it("BRN501: an unknown target name", async () => {
    const { code, stdout } = await build("--target", "no-such-target");
    expect(code).toBe(1);
    expect(codes(stdout)).toEqual(["BRN501"]);
  });

  it("BRN502: a module that does not load, and one without a Target default export", async () => {
    const missing = await build("--target", "./nowhere/target.mjs");
    expect(missing.code).toBe(1);
    expect(codes(missing.stdout)).toEqual(["BRN502"]);
    const notTarget = await build("--target", targets("not-a-target.mjs"));
    expect(codes(notTarget.stdout)).toEqual(["BRN502"]);
  });
});

describe("the real binary", () => {
  const cliEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "BRAINC_DEBUG"));
  const spawnCli = (argv: string[], nodeArgs: string[] = []) => spawnSync(process.execPath, [...nodeArgs, join(repoRoot, "bin/brainc.js"), ...argv], { cwd: repoRoot, encoding: "utf8", env: cliEnv });

  it("exits 1 on a broken brain and 2 on a usage error, without a stack trace", () => {
    const broken = spawnCli(["validate", "--brain", invalid("BRN002-unclosed-flow-sequence")]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/BRN002/);
    expect(broken.stdout + broken.stderr).not.toMatch(STACK_LINE);
    const usage = spawnCli(["validate", "--format", "yaml"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).not.toMatch(STACK_LINE);
  });

  it("BRN900: an unexpected exception is an internal error with exit 2, a 'please report' hint and no stack trace", () => {
    const failing = spawnCli(["validate", "--brain", minimal], ["--import", join(repoRoot, "test/fixtures/fail-schema-read.mjs")]);
    expect(failing.status).toBe(2);
    expect(failing.stdout).toMatch(/^brainc - error BRN900: internal error: EIO: i\/o error, read/);
    expect(failing.stdout).toMatch(/hint: this is a bug in brainc; please report it/);
    expect(failing.stdout + failing.stderr).not.toMatch(STACK_LINE);
    // In the format asked for, so that tools reading --format json still get JSON.
    const json = spawnCli(["validate", "--brain", minimal, "--format", "json"], ["--import", join(repoRoot, "test/fixtures/fail-schema-read.mjs")]);
    expect(json.status).toBe(2);
    expect((JSON.parse(json.stdout) as { code: string }[]).map((d) => d.code)).toEqual(["BRN900"]);
  });
});
