import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { FORMATS, type Format } from "../diagnostics/format.js";
import { VERSION } from "../version.js";
import type { DiffOptions } from "./diff.js";
import type { ExplainOptions } from "./explain.js";
import type { RenderOptions } from "./render.js";
import { DIFF_FORMATS } from "../diff/format.js";
import { internalError } from "../diagnostics/codes.js";
import { EXIT, printDiagnostics, processIo, type Io } from "./report.js";
import { registerRuns } from "./runs.js";

// Each command's module (and what it needs: targets, chokidar, git, the runtime) is loaded only when that
// command runs, so that `brainc validate` starts fast.

/** Refuses an empty value (`--out "$UNSET"`, say), which would otherwise mean the current folder, or all. */
const nonEmpty = (value: string): string => {
  if (!value.trim()) throw new InvalidArgumentError("It is empty.");
  return value;
};
const brainOption = () => new Option("--brain <dir>", "brain directory (holds brain.yaml)").default("brain").argParser(nonEmpty);
const envOption = (description: string) => new Option("--env <name>", description).argParser(nonEmpty);
const outOption = (fallback: string) => new Option("--out <dir>", "output directory").default(fallback).argParser(nonEmpty);
/** `-t a -t b` and `-t a,b` both give ["a", "b"]. */
const targetOption = (description: string) =>
  new Option("-t, --target <name...>", description).default([], "all").argParser((value: string, previous: string[] = []) => {
    const names = value.split(",").filter(Boolean);
    nonEmpty(names.join(","));
    return [...previous, ...names];
  });
const formatOption = () => new Option("--format <format>", "diagnostics format").choices(FORMATS).default("text");

/** The diagnostics format `argv` asks for (`--format x` or `--format=x`), when it is one; else text. */
function formatIn(argv: readonly string[]): Format {
  const i = argv.indexOf("--format");
  const value = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith("--format="))?.slice("--format=".length);
  return (FORMATS as readonly string[]).includes(value ?? "") ? (value as Format) : "text";
}

/** The commander program; each action stores its exit code in `result`. */
function program(io: Io, result: { code: number }): Command {
  const cmd = new Command("brainc")
    .description("Compile a portable agent brain into OpenClaw, n8n, LiteLLM and supervisor configs.")
    .version(VERSION, "-v, --version")
    .showHelpAfterError("(run `brainc --help` for usage)")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  cmd
    .command("validate")
    .description("check the brain: schemas, references, templates, secrets, budgets (all overlays unless --env)")
    .addOption(brainOption())
    .addOption(envOption("validate only this overlay (overlays/<name>.yaml); 'default' for none"))
    .addOption(formatOption())
    .option("--strict", "fail on warnings too")
    .option("--verbose", "also list info diagnostics (what each target cannot express, and what brainc did instead)")
    .action(async (o: { brain: string; env?: string; format: Format; strict?: boolean; verbose?: boolean }) => {
      result.code = await (await import("./validate.js")).validateCommand(o, io);
    });

  cmd
    .command("build")
    .description("compile the brain into generated/<target>/ (and generated/<env>/<target>/ per overlay)")
    .addOption(brainOption())
    .addOption(targetOption("built-in target name, module path (./my-target.js), or 'all'"))
    .addOption(outOption("generated"))
    .addOption(envOption("build only this overlay; 'default' for the base brain only"))
    .option("--check", "write nothing; exit 1 when the output on disk differs from the build")
    .option("--dry-run", "write nothing; list what would be added, changed and removed")
    .option("-w, --watch", "build, then rebuild on every change under the brain (Ctrl-C to stop)")
    .addOption(formatOption())
    .option("--strict", "fail on warnings too")
    .option("--verbose", "also list info diagnostics (what each target cannot express, and what brainc did instead)")
    .action(async (o: { brain: string; target: string[]; out: string; env?: string; check?: boolean; dryRun?: boolean; watch?: boolean; format: Format; strict?: boolean; verbose?: boolean }) => {
      result.code = o.watch ? await (await import("./watch.js")).watchCommand(o, io) : await (await import("./build.js")).buildCommand(o, io);
    });

  cmd
    .command("diff")
    .description("compare the brain with its state at a git ref: routing, agents, tools, policies, memory, prompts, generated files")
    .addOption(brainOption())
    .option("--against <ref>", "git branch, tag or commit to compare with", "HEAD")
    .addOption(targetOption("built-in target name, module path, or 'all'"))
    .addOption(envOption("compare only this overlay; 'default' for the base brain only"))
    .addOption(new Option("--format <format>", "output format").choices(DIFF_FORMATS).default("text"))
    .option("--detailed-exitcode", "exit 0 when nothing changed, 2 when something did, 1 on any error (usage errors too)")
    .action(async (o: DiffOptions) => {
      result.code = await (await import("./diff.js")).diffCommand(o, io);
    });

  registerRuns(cmd, result, io);

  const explain = cmd.command("explain").description("explain how the brain resolves a task class or an agent");
  const explainOptions = (c: Command) =>
    c
      .addOption(brainOption())
      .addOption(envOption("explain this overlay's brain; 'default' for the base brain"))
      .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"));
  explainOptions(explain.command("route").argument("<task>", "task class (routing.yaml), or 'default'").description("the model chain, context windows, prices and budgets of a task class")).action(async (task: string, o: ExplainOptions) => {
    result.code = await (await import("./explain.js")).explainRouteCommand(task, { ...o, target: [] }, io);
  });
  explainOptions(explain.command("agent").argument("<id>", "agent id").description("the effective policy (and the file that set each value), tools, model chain, schedules and target limits of an agent"))
    .addOption(targetOption("targets whose limits to report"))
    .action(async (id: string, o: ExplainOptions) => {
      result.code = await (await import("./explain.js")).explainAgentCommand(id, o, io);
    });

  cmd
    .command("render")
    .description("print a prompt rendered for an agent")
    .argument("<prompt>", "prompt id (prompts/<id>.md), or _<name> for a partial")
    .requiredOption("--agent <id>", "the agent to render it for")
    .addOption(brainOption())
    .addOption(envOption("render in this overlay's brain"))
    .action(async (prompt: string, o: RenderOptions) => {
      result.code = await (await import("./render.js")).renderCommand(prompt, o, io);
    });

  cmd
    .command("init")
    .description("scaffold a small brain, editor settings and a GitHub Actions workflow (never overwrites)")
    .argument("[dir]", "project folder", ".")
    .action(async (dir: string) => {
      result.code = await (await import("./init.js")).initCommand(dir, io);
    });

  cmd
    .command("schema")
    .description("write brainc's JSON Schemas for editors")
    .addOption(outOption(".brainc/schemas"))
    .action(async (o: { out: string }) => {
      result.code = await (await import("./schema.js")).schemaCommand(o, io);
    });

  return cmd;
}

/**
 * Runs brainc with command-line arguments (without `node brainc`) and returns the exit code:
 * 0 clean, 1 errors (warnings too with --strict), 2 usage or internal error. Never throws. Under
 * `brainc diff --detailed-exitcode` 2 means "changes" (as in Terraform), so usage and internal errors exit 1.
 */
export async function run(argv: string[], io: Io = processIo()): Promise<number> {
  const result = { code: EXIT.ok as number };
  try {
    await program(io, result).parseAsync(argv, { from: "user" });
    return result.code;
  } catch (e) {
    const code = e instanceof CommanderError ? (e.exitCode === 0 ? EXIT.ok : EXIT.usage) : printDiagnostics(io, [internalError(e)], { format: formatIn(argv) });
    return code === EXIT.usage && argv[0] === "diff" && argv.includes("--detailed-exitcode") ? EXIT.failed : code;
  }
}

