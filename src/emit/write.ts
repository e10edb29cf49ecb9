import { sha256Hex } from "./canonical.js";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import { ID_PATTERN, JOURNAL, LOCK, MANIFEST } from "../load/places.js";
import { withOutputLock } from "./lock.js";
import type { OutputFile } from "./target.js";

/** The list of files brainc wrote into an output folder, so that it only ever deletes its own files. */
export { MANIFEST };
const STAGING = ".brainc-staging";

/**
 * Whether `path` is a file path inside the folder it is relative to, written one way only: relative,
 * "/"-separated, without empty, "." or ".." segments, backslashes or NUL bytes. Checked for the paths
 * targets emit and for every path read back from a manifest or journal (files in the output folder that
 * anyone can edit or commit).
 */
export function isSafeRelativePath(path: string): boolean {
  return /^(?!\/)(?!.*\/(\/|$))(?!.*(^|\/)\.\.?(\/|$))[^\\\0]+$/.test(path);
}

/** brainc's own files in an output folder, which no build output may land on. */
const OWN_FILES = [MANIFEST, JOURNAL, `${JOURNAL}.tmp`, STAGING, LOCK];
/** brainc's own files, the lock's (`.brainc-lock.<pid>`, `.brainc-lock.takeover`: src/runtime/pid-lock.ts) included. */
const isOwnFile = (path: string) => OWN_FILES.includes(path.split("/")[0]) || path.startsWith(`${LOCK}.`);
/** An output-relative path that a build may write or delete: safe, and not one of brainc's own files. */
const isOutputFile = (path: string) => isSafeRelativePath(path) && !isOwnFile(path);

/**
 * `<out>/.brainc-manifest.json`: output-relative path → sha256 of the contents brainc wrote, and the cache
 * keys targets gave some of them ({@link OutputFile.key}).
 */
interface Manifest {
  brainc: 1;
  files: Record<string, string>;
  keys?: Record<string, string>;
}

/** Output-root-relative path and cache key → the contents an earlier build wrote there with that key (see EmitContext.previous). */
export type PreviousOutput = (path: string, key: string) => string | undefined;

/**
 * What earlier builds left in `out` for {@link EmitContext.previous}: the file at `path` when the manifest
 * recorded `key` for it and the file's bytes still have the sha256 recorded beside it (so a file edited
 * by hand, or one that an interrupted build did not finish, is never reused). The manifest is read once.
 */
export function previousOutputs(out: string): PreviousOutput {
  let manifest: Manifest | undefined;
  return (path, key) => {
    manifest ??= readManifest(out);
    if (manifest.keys?.[path] !== key) return undefined;
    const onDisk = readIfExists(join(out, path));
    if (!onDisk || sha256Hex(onDisk) !== manifest.files[path]) return undefined;
    return onDisk.toString("utf8");
  };
}

/**
 * The scopes (`<env>/<target>/`) of environments whose overlay is gone, for a build of every environment:
 * first folders of the manifest's files that are ids but neither one of `targets` nor one of
 * `environments`, holding a folder named like one of `targets`. Planned with these scopes, the files
 * brainc wrote there are stale like any other (removed by a build, drift for `--check`).
 */
export function goneEnvironmentScopes(out: string, environments: readonly string[], targets: readonly string[]): string[] {
  const scopes = new Set<string>();
  for (const path of Object.keys(readManifest(out).files)) {
    const [env, target, ...rest] = path.split("/");
    if (rest.length && ID_PATTERN.test(env) && !targets.includes(env) && !environments.includes(env) && targets.includes(target)) scopes.add(`${env}/${target}/`);
  }
  return [...scopes].sort();
}

/** What a build would do to the output folder. Paths are relative to the output folder, sorted. */
export interface Plan {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
  /** Files brainc wrote earlier that someone edited since; they are left alone, not removed. */
  keptEdited: string[];
}

/**
 * The output folder's manifest. Entries whose path leaves the folder (`../x`, `/etc/x`) or lies on one
 * of brainc's own files, or whose value is not a string, were not written by brainc: they are left out,
 * so that brainc never deletes or adopts anything through them. No manifest, or one that is not JSON, is
 * an empty one. After a build interrupted past its commit point, it is that build's (from its journal).
 */
function readManifest(out: string): Manifest {
  let m: Partial<Manifest> | undefined;
  try {
    m = JSON.parse(readFileSync(join(out, MANIFEST), "utf8")) as Partial<Manifest>;
  } catch {
    // no manifest yet
  }
  // A build interrupted after its commit point owns what its journal's manifest says, moved into place or not.
  const journal = readIfExists(join(out, JOURNAL));
  if (journal) {
    try {
      m = readJournal(journal.toString("utf8")).manifest;
    } catch {
      // not a journal brainc wrote: applyPlan refuses it
    }
  }
  const own = (record: unknown): Record<string, string> =>
    Object.fromEntries(Object.entries(isRecord(record) ? record : {}).filter((e): e is [string, string] => isOutputFile(e[0]) && typeof e[1] === "string"));
  const keys = own(m?.keys);
  return { brainc: 1, files: own(m?.files), ...(Object.keys(keys).length > 0 && { keys }) };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A file's bytes, or undefined when it cannot be read. */
export function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Compares the desired files with the output folder. `scopes` are the folder prefixes this build owns
 * (for example ["supervisor/"], or ["prod/openclaw/"]): files brainc wrote earlier under them that the
 * build no longer produces are removed. A desired file that exists but was not written by brainc is a
 * BRN508 error (brainc never overwrites files it did not write), unless its contents are already right.
 * A desired file on one of brainc's own files (the manifest, the journal, the staging folder) is BRN504;
 * targets cannot emit those (their files lie under their scopes), but library callers pass any paths.
 */
export function planOutput(out: string, files: readonly OutputFile[], scopes: readonly string[]): { plan: Plan; diagnostics: Diagnostic[] } {
  const manifest = readManifest(out);
  const plan: Plan = { added: [], changed: [], removed: [], unchanged: [], keptEdited: [] };
  const diagnostics: Diagnostic[] = [];
  const desired = new Set(files.map((f) => f.path));
  for (const file of files) {
    if (isOwnFile(file.path)) {
      diagnostics.push(diagnostic("BRN504", `${file.path} would overwrite one of brainc's own files in ${out}; the build writes nothing`));
      continue;
    }
    let onDisk: Buffer | undefined;
    try {
      onDisk = readFileSync(join(out, file.path));
    } catch (e) {
      // A file where a folder of the path belongs (ENOTDIR), or a folder where the file belongs (EISDIR),
      // would make the build fail after its commit point: it is a foreign file in the way, found before
      // anything is written. ENOENT (the usual case) needs no look at the folders: none of them is a file.
      const blocker = (e as NodeJS.ErrnoException).code === "ENOENT" ? undefined : inTheWay(out, file.path);
      if (blocker) {
        diagnostics.push(diagnostic("BRN508", `${join(out, blocker)} is in the way of ${file.path} and was not written by brainc; it is left as it is and the build writes nothing`, { hint: "move it away, then build again" }));
        continue;
      }
    }
    if (onDisk === undefined) plan.added.push(file.path);
    else if (onDisk.equals(Buffer.from(file.contents))) plan.unchanged.push(file.path);
    else if (!(file.path in manifest.files)) {
      diagnostics.push(diagnostic("BRN508", `${join(out, file.path)} exists and was not written by brainc; it is left as it is and the build writes nothing`, { hint: "move the file away (or delete it if it is an old copy of brainc's output), then build again" }));
    } else plan.changed.push(file.path);
  }
  for (const [path, hash] of Object.entries(manifest.files)) {
    if (desired.has(path) || !scopes.some((s) => path.startsWith(s))) continue;
    const onDisk = readIfExists(join(out, path));
    if (onDisk === undefined) continue;
    if (sha256Hex(onDisk) === hash) plan.removed.push(path);
    else plan.keptEdited.push(path);
  }
  for (const list of Object.values(plan)) list.sort();
  return { plan, diagnostics };
}

/** The output-relative path that blocks writing `path`: an ancestor that is not a folder, or a folder at `path` itself. */
function inTheWay(out: string, path: string): string | undefined {
  const parts = path.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join("/");
    let isDirectory: boolean;
    try {
      isDirectory = statSync(join(out, prefix)).isDirectory();
    } catch {
      return undefined; // does not exist: nothing below it exists either
    }
    if (isDirectory !== (i < parts.length)) return prefix;
  }
  return undefined;
}

/** Whether a plan adds, changes or removes any file. */
export const hasChanges = (plan: Plan) => plan.added.length + plan.changed.length + plan.removed.length > 0;

interface Journal {
  renames: [string, string][];
  /** Output-relative path and the sha256 of the contents brainc wrote there: deleted only while it still has them. */
  deletes: [string, string][];
  manifest: Manifest;
}

/**
 * Applies a plan so that a build killed at any moment never leaves the output half-written: new contents
 * are staged in `<out>/.brainc-staging`, then one atomic rename of a journal commits the build, then the
 * journal is carried out (each file moved into place with an atomic rename). An interrupted commit is
 * finished by the next build ({@link recoverInterrupted}). Writes nothing when nothing changes; else works
 * under the output folder's lock ({@link withOutputLock}) and plans again under it, since another build
 * may have written the folder since `plan` was made. Throws on I/O errors, a lock that stays held, or a
 * file in the way found by the new plan (the caller reports BRN506).
 */
export function applyPlan(out: string, plan: Plan, files: readonly OutputFile[], scopes: readonly string[]): void {
  const leftOver = isInterrupted(out) || existsSync(join(out, STAGING));
  if (!hasChanges(plan) && !leftOver && nextManifest(out, files, scopes).text === readIfExists(join(out, MANIFEST))?.toString("utf8")) return;
  mkdirSync(out, { recursive: true });
  withOutputLock(out, () => {
    recoverInterrupted(out);
    const now = planOutput(out, files, scopes);
    const blocked = now.diagnostics.find((d) => d.severity === "error");
    if (blocked) throw new Error(blocked.message);
    commit(out, now.plan, files, scopes);
  });
}

/** The manifest in `out` now, and the one (with its text) after `files` are written for `scopes`. */
function nextManifest(out: string, files: readonly OutputFile[], scopes: readonly string[]): { manifest: Manifest; next: Manifest; text: string } {
  const manifest = readManifest(out);
  const next: Manifest = { brainc: 1, files: { ...manifest.files } };
  const keys = { ...manifest.keys };
  const desired = new Set(files.map((f) => f.path));
  for (const path of Object.keys(next.files)) if (scopes.some((s) => path.startsWith(s)) && !desired.has(path)) delete next.files[path];
  for (const path of Object.keys(keys)) if (!(path in next.files) || desired.has(path)) delete keys[path];
  for (const f of files) {
    next.files[f.path] = sha256Hex(f.contents);
    if (f.key !== undefined) keys[f.path] = f.key;
  }
  const sorted = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
  next.files = sorted(next.files);
  if (Object.keys(keys).length) next.keys = sorted(keys);
  return { manifest, next, text: JSON.stringify(next, null, 2) + "\n" };
}

/** Stages, commits and carries out `plan` (see {@link applyPlan}); the caller holds the lock. */
function commit(out: string, plan: Plan, files: readonly OutputFile[], scopes: readonly string[]): void {
  const { manifest, next, text } = nextManifest(out, files, scopes);
  if (!hasChanges(plan) && readIfExists(join(out, MANIFEST))?.toString("utf8") === text) return;
  const staging = join(out, STAGING);
  const renames: [string, string][] = [];
  const journal: Journal = { renames, deletes: plan.removed.map((path) => [path, manifest.files[path]]), manifest: next };
  try {
    mkdirSync(staging, { recursive: true });
    const byPath = new Map(files.map((f) => [f.path, f.contents]));
    [...plan.added, ...plan.changed].forEach((path, i) => {
      writeFileSync(join(staging, String(i)), byPath.get(path)!);
      renames.push([`${STAGING}/${i}`, path]);
    });
    writeFileSync(join(staging, "manifest"), text);
    renames.push([`${STAGING}/manifest`, MANIFEST]);
    writeFileSync(join(out, `${JOURNAL}.tmp`), JSON.stringify(journal));
    renameSync(join(out, `${JOURNAL}.tmp`), join(out, JOURNAL)); // the commit point
  } catch (e) {
    // Before the commit point: leave the folder as it was (no staged copies filling a full disk, say).
    rmSync(staging, { recursive: true, force: true });
    rmSync(join(out, `${JOURNAL}.tmp`), { force: true });
    throw e;
  }
  rollForward(out, journal);
}

/**
 * Parses a journal left by an interrupted build. Throws when it is not one that {@link applyPlan} wrote:
 * not JSON, or moving anything but staged files (`.brainc-staging/<n>`) to output files inside the
 * folder and to the manifest, or deleting anything but such output files. A journal is a file in the
 * output folder that anyone can edit or commit, and rolling it forward renames and deletes unchecked.
 */
function readJournal(text: string): Journal {
  let journal: Partial<Journal> | undefined;
  try {
    journal = JSON.parse(text) as Partial<Journal>;
  } catch {
    // reported below
  }
  const staged = (from: unknown, to: unknown) => {
    if (typeof from !== "string" || typeof to !== "string" || !from.startsWith(`${STAGING}/`)) return false;
    const name = from.slice(STAGING.length + 1);
    return name === "manifest" ? to === MANIFEST : /^\d+$/.test(name) && isOutputFile(to);
  };
  const valid =
    isRecord(journal) &&
    Array.isArray(journal.renames) &&
    journal.renames.every((r) => Array.isArray(r) && r.length === 2 && staged(r[0], r[1])) &&
    Array.isArray(journal.deletes) &&
    journal.deletes.every((d) => Array.isArray(d) && d.length === 2 && typeof d[0] === "string" && isOutputFile(d[0]) && typeof d[1] === "string") &&
    isRecord(journal.manifest);
  if (!valid) throw new Error(`${JOURNAL} is not one that brainc wrote (it is not JSON, or it names paths outside the output folder), so nothing was changed: delete it, then build again`);
  return journal as Journal;
}

function rollForward(out: string, journal: Journal): void {
  for (const [from, to] of journal.renames) {
    if (!existsSync(join(out, from))) continue; // moved before an interruption
    mkdirSync(dirname(join(out, to)), { recursive: true });
    renameSync(join(out, from), join(out, to));
  }
  for (const [path, hash] of journal.deletes) {
    // Someone may have edited the file between the interruption and this build: then it is theirs now.
    const onDisk = readIfExists(join(out, path));
    if (onDisk && sha256Hex(onDisk) !== hash) continue;
    rmSync(join(out, path), { force: true });
    removeEmptyParents(out, dirname(path));
  }
  rmSync(join(out, STAGING), { recursive: true, force: true });
  unlinkSync(join(out, JOURNAL));
}

function removeEmptyParents(out: string, dir: string): void {
  while (dir !== "." && dir !== "") {
    const abs = join(out, dir);
    try {
      if (readdirSync(abs).length) return;
      rmdirSync(abs);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}

/** What the file system's error codes mean for someone whose output could not be written. */
const WRITE_ERRORS: Record<string, string> = {
  EEXIST: "a file is where a folder must be",
  ENOTDIR: "a file is where a folder must be",
  EISDIR: "a folder is where a file must be",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOSPC: "the disk is full",
  EROFS: "the file system is read-only",
};

/** BRN506 for an error writing `shown` (a path as the user wrote it): what it means, then the system's own words. */
export function cannotWrite(shown: string, e: unknown): Diagnostic {
  const meaning = WRITE_ERRORS[(e as NodeJS.ErrnoException).code ?? ""];
  const message = (e as Error).message;
  return diagnostic("BRN506", `cannot write ${shown}: ${meaning ? `${meaning} (${message})` : message}`);
}

/**
 * {@link applyPlan}, with a failed write (permissions, a full disk) reported as BRN506 rather than thrown;
 * `shownOut` names the folder in the message. Returns the diagnostics (none when it worked).
 */
export function commitPlan(out: string, plan: Plan, files: readonly OutputFile[], scopes: readonly string[], shownOut: string): Diagnostic[] {
  try {
    applyPlan(out, plan, files, scopes);
    return [];
  } catch (e) {
    return [cannotWrite(shownOut, e)];
  }
}

/** Whether an interrupted build left a committed journal in the output folder. */
export function isInterrupted(out: string): boolean {
  return existsSync(join(out, JOURNAL));
}

/**
 * Finishes a build that was killed after its commit point, and removes staging left before it. Throws,
 * having changed nothing, when the journal is not one brainc wrote ({@link readJournal}).
 */
export function recoverInterrupted(out: string): void {
  const journal = readIfExists(join(out, JOURNAL));
  if (journal) rollForward(out, readJournal(journal.toString("utf8")));
  rmSync(join(out, STAGING), { recursive: true, force: true });
  rmSync(join(out, `${JOURNAL}.tmp`), { force: true });
}
