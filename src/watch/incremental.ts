import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import type { LoadResult } from "../compile.js";
import { assembleSources, listFiles, loadFile, type LoadedFile, type SourceFile } from "../load/load.js";
import { validateSchemas } from "../validate/schema.js";
import { checkSecrets } from "../validate/secrets.js";

/**
 * A brain kept in memory between rebuilds (what `brainc build --watch` holds): every file is read, parsed
 * and checked (schema, secrets) once, and afterwards only the files that changed are read again. The
 * result of {@link IncrementalBrain.load} equals `loadAndValidate(root)` on the same files.
 */
export class IncrementalBrain {
  private readonly files = new Map<string, LoadedFile>();
  private readonly checks = new WeakMap<SourceFile, Diagnostic[]>();
  private scanned = false;

  /** `root`: absolute path of the brain root (the folder holding brain.yaml). */
  constructor(readonly root: string) {}

  /**
   * Brings the brain up to date and returns it loaded and validated. `changed` are brain-relative paths
   * that may have been written, created or deleted since the last call (files or folders). The folder
   * tree is listed again on every call (a few ms even for thousands of files), so files that appeared or
   * vanished without an event are noticed too; only new files and the `changed` ones are read again.
   * Returns `reread`: the brain-relative paths whose contents changed, appeared or vanished, sorted (a
   * file read again with the same text is not listed, so a repeated event makes no rebuild).
   */
  async load(changed: Iterable<string> = []): Promise<LoadResult & { reread: string[] }> {
    if (!isFile(join(this.root, "brain.yaml"))) {
      this.files.clear();
      this.scanned = false;
      return { reread: [], diagnostics: [diagnostic("BRN007", `no brain.yaml in ${JSON.stringify(this.root)}`, { hint: "point --brain at the folder that holds brain.yaml, or run `brainc init`" })] };
    }
    const listed = new Set(listFiles(this.root));
    const stale = new Set(this.scanned ? changed : listed);
    for (const path of this.files.keys()) if (!listed.has(path)) stale.add(path);
    for (const path of listed) if (!this.files.has(path)) stale.add(path);
    const reread: string[] = [];
    for (const path of stale) {
      const before = this.files.get(path);
      if (!listed.has(path)) {
        if (before) reread.push(path); // deleted
        this.files.delete(path);
        continue; // else a folder, a skipped file, or gone already
      }
      let after: LoadedFile;
      try {
        after = loadFile(this.root, path);
      } catch {
        this.files.delete(path); // vanished between listing and reading: the next event brings it back
        if (before) reread.push(path);
        continue;
      }
      // Editors and file systems often report one save several times: the same text is no change.
      if (before?.file && after.file && before.file.text === after.file.text) continue;
      this.files.set(path, after);
      reread.push(path);
    }
    this.scanned = true;
    const { sources, diagnostics } = assembleSources(this.root, this.files.values());
    for (const file of sources.files) {
      let checked = this.checks.get(file);
      if (!checked) {
        const one = { root: this.root, files: [file] };
        checked = [...(await validateSchemas(one)), ...checkSecrets(one)];
        this.checks.set(file, checked);
      }
      diagnostics.push(...checked);
    }
    return { sources, diagnostics, reread: reread.sort() };
  }
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
