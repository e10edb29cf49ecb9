import { Command, CommanderError, Option } from "commander";
import { FORMATS, type Format } from "../diagnostics/format.js";
import { VERSION } from "../version.js";
import { buildCommand } from "./build.js";
import { EXIT, internalError, printDiagnostics, processIo, type Io } from "./report.js";
import { validateCommand } from "./validate.js";
import { watchCommand } from "./watch.js";

const formatOption = () => new Option("--format <format>", "diagnostics format").choices(FORMATS).default("text");

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
    .option("--brain <dir>", "brain directory (holds brain.yaml)", "brain")
    .option("--env <name>", "validate only this overlay (overlays/<name>.yaml); 'default' for none")
    .addOption(formatOption())
    .option("--strict", "fail on warnings too")
    .action(async (o: { brain: string; env?: string; format: Format; strict?: boolean }) => {
      result.code = await validateCommand(o, io);
    });

  cmd
    .command("build")
    .description("compile the brain into generated/<target>/ (and generated/<env>/<target>/ per overlay)")
    .option("--brain <dir>", "brain directory (holds brain.yaml)", "brain")
    .option("-t, --target <name...>", "built-in target name, module path (./my-target.js), or 'all'", [])
    .option("--out <dir>", "output directory", "generated")
    .option("--env <name>", "build only this overlay; 'default' for the base brain only")
    .option("--check", "write nothing; exit 1 when the output on disk differs from the build")
    .option("--dry-run", "write nothing; list what would be added, changed and removed")
    .option("-w, --watch", "build, then rebuild on every change under the brain (Ctrl-C to stop)")
    .addOption(formatOption())
    .option("--strict", "fail on warnings too")
    .action(async (o: { brain: string; target: string[]; out: string; env?: string; check?: boolean; dryRun?: boolean; watch?: boolean; format: Format; strict?: boolean }) => {
      const options = { ...o, target: o.target.flatMap((t) => t.split(",")).filter(Boolean) };
      result.code = o.watch ? await watchCommand(options, io) : await buildCommand(options, io);
    });

  return cmd;
}

/**
 * Runs brainc with command-line arguments (without `node brainc`) and returns the exit code:
 * 0 clean, 1 errors (warnings too with --strict), 2 usage or internal error. Never throws.
 */
export async function run(argv: string[], io: Io = processIo()): Promise<number> {
  const result = { code: EXIT.ok as number };
  try {
    await program(io, result).parseAsync(argv, { from: "user" });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return printDiagnostics(io, [internalError(e)], { format: "text" });
  }
}

