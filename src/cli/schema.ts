import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { packagePath } from "../package-root.js";
import { plural } from "../diagnostics/format.js";
import { cannotWrite } from "../emit/write.js";
import { EXIT, printDiagnostics, type Io } from "./report.js";

/** brainc's JSON Schemas (draft-07), one per brain file kind: file name → contents. */
export function schemaFiles(): Record<string, string> {
  const dir = packagePath("schemas");
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith(".schema.json"))
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );
}

/**
 * Writes the schemas into `outDir` (absolute), skipping files already up to date. Returns the names
 * written. Throws on I/O errors.
 */
export function writeSchemas(outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, contents] of Object.entries(schemaFiles())) {
    let current: string | undefined;
    try {
      current = readFileSync(join(outDir, name), "utf8");
    } catch {
      // not there yet
    }
    if (current === contents) continue;
    writeFileSync(join(outDir, name), contents);
    written.push(name);
  }
  return written;
}

/**
 * `brainc schema [--out dir]`: writes brainc's JSON Schemas (one per brain file kind) for editors, e.g.
 * VS Code's YAML extension (`yaml.schemas`). Rewrites only files whose contents differ (upgrading brainc
 * updates them). I/O errors: BRN506, exit 1.
 */
export async function schemaCommand(options: { out: string }, io: Io): Promise<number> {
  const out = resolve(io.cwd, options.out);
  const shown = relative(io.cwd, out) || ".";
  try {
    const written = writeSchemas(out);
    io.stderr(`brainc: ${written.length ? `wrote ${plural(written.length, "schema")}` : "schemas up to date"} in ${shown} (${Object.keys(schemaFiles()).length} schemas)\n`);
    return EXIT.ok;
  } catch (e) {
    return printDiagnostics(io, [cannotWrite(shown, e)], { format: "text" });
  }
}
