import { resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import type { Format } from "../diagnostics/format.js";
import { compileEnv, environments, loadAndValidate, overlayDiagnostics } from "../compile.js";
import { printDiagnostics, type Io } from "./report.js";

/** The options of `brainc validate` (see `brainc validate --help`). */
export interface ValidateOptions {
  brain: string;
  env?: string;
  format: Format;
  strict?: boolean;
  verbose?: boolean;
}

/**
 * `brainc validate`: the whole front half of the pipeline (load, schemas, secrets, overlays,
 * references, templates checked by shape) for the base brain and every overlay (or only `--env`).
 * Writes nothing, renders nothing (build renders every prompt strictly), loads no target.
 */
export async function validateCommand(options: ValidateOptions, io: Io): Promise<number> {
  const root = resolve(io.cwd, options.brain);
  const loaded = await loadAndValidate(root);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  if (loaded.sources && !hasErrors(loaded.diagnostics)) {
    const base: Diagnostic[] = [];
    for (const env of options.env ? [options.env] : environments(loaded.sources)) {
      const found = (await compileEnv(loaded.sources, env, { render: false })).diagnostics;
      if (env === "default") base.push(...found);
      diagnostics.push(...overlayDiagnostics(env, found, base));
    }
  }
  const code = printDiagnostics(io, diagnostics, { format: options.format, brainRoot: root, strict: options.strict, verbose: options.verbose });
  if (options.format === "text" && code === 0) io.stderr(`brainc: ${options.brain} is valid\n`);
  return code;
}
