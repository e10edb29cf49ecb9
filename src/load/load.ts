import { closeSync, constants, type Dirent, fstatSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import { classify, ID_PATTERN, isOutputFolder, isSkipped, PROMPT_ID_PATTERN, type FileKind } from "./places.js";
import { parseYaml, type ParsedYaml } from "./yaml.js";

/** Largest brain file accepted, in bytes (1 MiB). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** One file of the brain, read and parsed. */
export interface SourceFile {
  /** Path relative to the brain root, "/"-separated. */
  path: string;
  kind: FileKind;
  /** The id the file defines (see brain-format.md): stem, or the prompt path without `.md`. */
  id: string;
  /** The file's text (UTF-8, BOM removed, CRLF line endings turned into LF). */
  text: string;
  /** YAML files: the document. Prompts: the frontmatter, when there is one. */
  yaml?: ParsedYaml;
  /** Prompts and partials: the Handlebars body and the 1-based line it starts on. */
  body?: { text: string; line: number };
}

/** All files of a brain, sorted by path. */
export interface SourceSet {
  /** Absolute path of the brain root (the folder holding brain.yaml). */
  root: string;
  files: SourceFile[];
}

/** Reads a file's bytes as text for the code frame of diagnostics, or undefined when unreadable. */
export type SourceLookup = (path: string) => string | undefined;

/**
 * Lists every file under `root`, brain-relative (links, FIFOs and the like included: reading them reports
 * them). Skipped files ({@link isSkipped}) are left out, and so are brainc's own output folders
 * ({@link isOutputFolder}). A folder that cannot be read is added to `unreadable` with the error's code.
 */
export function listFiles(root: string, dir = "", unreadable: { path: string; error: string }[] = []): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch (e) {
    unreadable.push({ path: dir || ".", error: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    return [];
  }
  if (dir && isOutputFolder(entries.map((entry) => entry.name))) return [];
  const out: string[] = [];
  for (const entry of entries) {
    if (isSkipped(entry.name)) continue;
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    // Anything else (a link, a FIFO, a socket) is listed too: reading it says what it is (BRN013).
    if (entry.isDirectory()) out.push(...listFiles(root, rel, unreadable));
    else out.push(rel);
  }
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const FRONTMATTER = /^---[ \t]*\n/;

/**
 * Discovers and parses a brain. Never throws for bad input: problems come back as diagnostics
 * (BRN001 unknown place, BRN002–BRN006 per-file problems, BRN007 no brain root, BRN008 frontmatter,
 * BRN009 not a mapping, BRN010 bad id, BRN011 duplicate id). Files with problems are left out of `files`.
 */
export function loadBrain(root: string): { sources?: SourceSet; diagnostics: Diagnostic[] } {
  let hasManifest = false;
  try {
    hasManifest = statSync(join(root, "brain.yaml")).isFile();
  } catch {
    // reported below
  }
  if (!hasManifest) {
    return { diagnostics: [diagnostic("BRN007", `no brain.yaml in ${JSON.stringify(root)}`, { hint: "point --brain at the folder that holds brain.yaml, or run `brainc init`" })] };
  }
  const unreadable: { path: string; error: string }[] = [];
  const loaded = listFiles(root, "", unreadable).sort().map((path) => loadFile(root, path));
  const assembled = assembleSources(root, loaded);
  const folderErrors = unreadable.map(({ path, error }) => diagnostic("BRN013", `cannot read the folder ${path}: ${error}`, { file: path }));
  return { ...assembled, diagnostics: [...folderErrors, ...assembled.diagnostics] };
}

/** One brain file as read by {@link loadFile}: its place (kind and id), the parsed file, its diagnostics. */
export interface LoadedFile {
  /** Path relative to the brain root, "/"-separated. */
  path: string;
  /** Absent when no kind lives at the path (BRN001) or the file name is not a valid id (BRN010). */
  place?: { kind: FileKind; id: string };
  /** Absent when the file could not be read or parsed. */
  file?: SourceFile;
  diagnostics: Diagnostic[];
}

/**
 * Reads and parses one brain file (brain-relative `path`) on its own: the unit that `brainc build
 * --watch` re-reads when a file changes. Never throws for bad input (BRN001, BRN002–BRN006, BRN008–BRN010);
 * throws the file system's error (ENOENT) when the file does not exist.
 */
export function loadFile(root: string, path: string): LoadedFile {
  const diagnostics: Diagnostic[] = [];
  const place = classify(path);
  if (!place) {
    diagnostics.push(diagnostic("BRN001", `${JSON.stringify(path)} is not in a place where brain files live`, { file: path, hint: placeHint(path) }));
    return { path, diagnostics };
  }
  const idOk = place.kind === "prompt" ? PROMPT_ID_PATTERN.test(place.id) : place.kind === "manifest" || ID_PATTERN.test(place.id);
  if (!idOk) {
    diagnostics.push(diagnostic("BRN010", `file name ${JSON.stringify(path)} does not make a valid ${place.kind} id`, { file: path, hint: "ids are lower-case kebab-case: ^[a-z][a-z0-9-]{0,62}$" }));
    return { path, diagnostics };
  }
  const file = readSource(root, path, place.kind, place.id, diagnostics);
  return { path, place, file, diagnostics };
}

/**
 * Puts loaded files together into a SourceSet (sorted by path), keeping the first file of each id
 * (BRN011 for the others). `loaded` may come in any order.
 */
export function assembleSources(root: string, loaded: Iterable<LoadedFile>): { sources: SourceSet; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const files: SourceFile[] = [];
  const seen = new Map<string, string>();
  for (const entry of [...loaded].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const place = entry.place;
    if (place) {
      const key = `${place.kind === "partial" ? "partial" : place.kind}:${place.id}`;
      const earlier = seen.get(key);
      if (earlier) {
        diagnostics.push(diagnostic("BRN011", `${place.kind} ${JSON.stringify(place.id)} is defined by both ${JSON.stringify(earlier)} and ${JSON.stringify(entry.path)}`, { file: entry.path }));
        continue;
      }
      seen.set(key, entry.path);
    }
    diagnostics.push(...entry.diagnostics);
    if (entry.file) files.push(entry.file);
  }
  return { sources: { root, files }, diagnostics };
}

function placeHint(path: string): string {
  const top = path.split("/")[0];
  const near: Record<string, string> = { agent: "agents", tool: "tools", policy: "policies", prompt: "prompts", overlay: "overlays", model: "models.yaml" };
  if (near[top]) return `did you mean ${JSON.stringify(near[top])}?`;
  if (/\.json$/i.test(path)) return `brain files are .yaml (JSON syntax is fine inside one): rename it to ${JSON.stringify(path.replace(/\.json$/i, ".yaml"))}`;
  return "brain files live in brain.yaml, models.yaml, routing.yaml, memory.yaml, agents/, tools/, policies/, prompts/ and overlays/";
}

/**
 * A file's bytes, read with one open, fstat and read: `size` instead when it is over
 * {@link MAX_FILE_BYTES}, `error` when it cannot be read (a folder behind a link, no permission).
 */
function readLimited(abs: string): { bytes: Buffer } | { size: number } | { error: string } {
  let fd: number | undefined;
  try {
    // Non-blocking: opening a FIFO (or a link to one) would otherwise wait for a writer forever.
    fd = openSync(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { error: "not a regular file" };
    if (stat.size > MAX_FILE_BYTES) return { size: stat.size };
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, bytes, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { bytes: bytes.subarray(0, read) };
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readSource(root: string, path: string, kind: FileKind, id: string, diagnostics: Diagnostic[]): SourceFile | undefined {
  const read = readLimited(join(root, path));
  if ("error" in read) {
    diagnostics.push(diagnostic("BRN013", `cannot read the file: ${read.error}`, { file: path }));
    return undefined;
  }
  if ("size" in read) {
    diagnostics.push(diagnostic("BRN005", `file is ${read.size} bytes, above the limit of ${MAX_FILE_BYTES} bytes (1 MiB)`, { file: path }));
    return undefined;
  }
  let text: string;
  try {
    text = utf8.decode(read.bytes);
  } catch {
    diagnostics.push(diagnostic("BRN006", "file is not valid UTF-8", { file: path }));
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // CRLF files (a Windows checkout) and CR ones (classic Mac OS) build the same bytes as LF ones: YAML and
  // CommonMark read a CR as a line break too, so line:column positions stay.
  if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
  const file: SourceFile = { path, kind, id, text };
  // Partials have no frontmatter (a leading `---` is a Markdown rule): their whole text is the body.
  if (kind === "partial") return { ...file, body: { text, line: 1 } };
  if (kind === "prompt") return splitFrontmatter(file, diagnostics);
  const { parsed: yaml, diagnostics: errs } = parseYaml(path, text);
  diagnostics.push(...errs);
  if (!yaml) return undefined;
  // An empty overlay (or one of comments only) patches nothing: an environment identical to the base brain.
  const parsed = kind === "overlay" && yaml.value === null ? { ...yaml, value: {} } : yaml;
  if (!isMapping(parsed.value)) {
    diagnostics.push(diagnostic("BRN009", `${kind} file must be a YAML mapping, not ${describe(parsed.value)}`, { file: path, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } }));
    return undefined;
  }
  file.yaml = parsed;
  return file;
}

/** Splits `---` YAML frontmatter (dotprompt convention) from a prompt's Handlebars body. */
function splitFrontmatter(file: SourceFile, diagnostics: Diagnostic[]): SourceFile | undefined {
  const open = FRONTMATTER.exec(file.text);
  if (!open) {
    file.body = { text: file.text, line: 1 };
    return file;
  }
  const close = /^---[ \t]*(\n|$)/m;
  const rest = file.text.slice(open[0].length);
  const m = close.exec(rest);
  if (!m) {
    diagnostics.push(diagnostic("BRN008", "frontmatter is not closed by a `---` line", { file: file.path, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 4 } } }));
    return undefined;
  }
  const yamlText = rest.slice(0, m.index);
  const bodyStart = open[0].length + m.index + m[0].length;
  file.body = { text: file.text.slice(bodyStart), line: countLines(file.text.slice(0, bodyStart)) + 1 };
  if (yamlText.trim() === "") return file;
  const { parsed, diagnostics: errs } = parseYaml(file.path, yamlText, 1);
  diagnostics.push(...errs);
  if (!parsed) return undefined;
  if (!isMapping(parsed.value)) {
    diagnostics.push(diagnostic("BRN009", `prompt frontmatter must be a YAML mapping, not ${describe(parsed.value)}`, { file: file.path, range: { start: { line: 2, column: 1 }, end: { line: 2, column: 1 } } }));
    return undefined;
  }
  file.yaml = parsed;
  return file;
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/** Whether a parsed YAML value is a mapping (a plain object, not a list or scalar). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return "empty";
  if (Array.isArray(v)) return "a list";
  return `a ${typeof v}`;
}
