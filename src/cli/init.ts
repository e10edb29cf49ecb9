import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { diagnostic } from "../diagnostics/codes.js";
import { packageRoot } from "../package-root.js";
import { BRAIN_FILES, SCHEMA_DIR, SCHEMA_GLOBS } from "./init-template/files.js";
import { cannotWrite } from "../emit/write.js";
import { EXIT, printDiagnostics, type Io } from "./report.js";
import { schemaFiles } from "./schema.js";

/** Whether `npx brainc` in `dir` finds a brainc (installed in it or a folder above, or brainc's own checkout). */
function installedIn(dir: string): boolean {
  try {
    createRequire(join(dir, "index.js")).resolve("brainc/package.json");
    return true;
  } catch {
    return false;
  }
}

/** What `npm install` takes to install the running brainc: its name when it came from a registry, else its folder. */
const installSpec = () => (/[\\/]node_modules[\\/]/.test(packageRoot()) ? "brainc" : JSON.stringify(packageRoot()));

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
    // One diagnostic for all of them: a second `brainc init` in the same folder finds every file.
    const named = existing.slice(0, 3).map((p) => relative(io.cwd, join(root, p)));
    const which = existing.length === 1 ? `${named[0]} already exists` : `${existing.length} of the files it writes already exist (${named.join(", ")}${existing.length > 3 ? ", …" : ""})`;
    const hint = existing.length === 1 ? "run brainc init in an empty folder, or move the file away" : "run brainc init in an empty folder, or move the files away";
    return printDiagnostics(io, [diagnostic("BRN508", `${which}; brainc init never overwrites files and wrote nothing`, { severity: "error", hint })], { format: "text" });
  }
  try {
    for (const [path, contents] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), contents, { flag: "wx" });
    }
  } catch (e) {
    return printDiagnostics(io, [cannotWrite(relative(io.cwd, root) || ".", e)], { format: "text" });
  }
  const shown = relative(io.cwd, root) || ".";
  io.stderr(`brainc: created a brain in ${join(shown, "brain")} (${Object.keys(files).length} files, with .vscode/settings.json and .github/workflows/brain.yml)\n`);
  const spec = installedIn(root) ? undefined : installSpec();
  io.stderr(`next: cd ${shown} && ${spec ? `npm install --save-dev ${spec} && ` : ""}npx brainc validate --brain brain && npx brainc build\n`);
  if (spec?.startsWith('"')) {
    // `npm ci` in the workflow installs what package.json pins, and a folder of this machine is not in CI.
    io.stderr("note: that pins brainc to a folder of this machine; for .github/workflows/brain.yml (npm ci), pin a place CI reaches instead, such as brainc's git URL (npm install --save-dev git+https://…)\n");
  }
  return EXIT.ok;
}
