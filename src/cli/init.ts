import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { diagnostic } from "../diagnostics/codes.js";
import { BRAIN_FILES, SCHEMA_DIR, SCHEMA_GLOBS } from "./init-template/files.js";
import { EXIT, printDiagnostics, type Io } from "./report.js";
import { schemaFiles } from "./schema.js";

/** `.vscode/settings.json`: each schema file mapped to the brain files it validates (VS Code YAML extension). */
export function vscodeSettings(): string {
  const schemas = Object.fromEntries(Object.entries(SCHEMA_GLOBS).map(([file, globs]) => [`./${SCHEMA_DIR}/${file}`, globs]));
  return JSON.stringify({ "yaml.schemas": schemas, "files.associations": { "**/brain/prompts/**/*.md": "markdown" } }, null, 2) + "\n";
}

/** Every file `brainc init` writes, project-relative path → contents. */
export function initFiles(): Record<string, string> {
  const schemas = Object.fromEntries(Object.entries(schemaFiles()).map(([name, text]) => [`${SCHEMA_DIR}/${name}`, text]));
  return { ...BRAIN_FILES, ...schemas, ".vscode/settings.json": vscodeSettings() };
}

/**
 * `brainc init [dir]`: scaffolds a small valid brain (`brain/`) with comments, the JSON Schemas
 * (`.brainc/schemas/`), `.vscode/settings.json` mapping them to the brain's files, and a GitHub Actions
 * workflow (`.github/workflows/brain.yml`). Never overwrites: when any of these files exists, it writes
 * nothing and reports each one (BRN508, exit 1).
 */
export async function initCommand(dir: string, io: Io): Promise<number> {
  const root = resolve(io.cwd, dir);
  const files = initFiles();
  const existing = Object.keys(files).filter((p) => existsSync(join(root, p)));
  if (existing.length) {
    return printDiagnostics(
      io,
      existing.map((p) => diagnostic("BRN508", `${relative(io.cwd, join(root, p))} already exists; brainc init never overwrites files and wrote nothing`, { severity: "error", hint: "run brainc init in an empty folder, or move the file away" })),
      { format: "text" },
    );
  }
  try {
    for (const [path, contents] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), contents, { flag: "wx" });
    }
  } catch (e) {
    return printDiagnostics(io, [diagnostic("BRN506", `cannot write ${relative(io.cwd, root) || "."}: ${(e as Error).message}`)], { format: "text" });
  }
  const shown = relative(io.cwd, root) || ".";
  io.stderr(`brainc: created a brain in ${join(shown, "brain")} (${Object.keys(files).length} files, with .vscode/settings.json and .github/workflows/brain.yml)\n`);
  io.stderr(`next: cd ${shown} && npx brainc validate --brain brain && npx brainc build\n`);
  return EXIT.ok;
}
