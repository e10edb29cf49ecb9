/**
 * Where each brain file kind lives (brain-format.md, "General rules"): a file's kind comes from its
 * place, its id from its file name.
 */
export type FileKind = "manifest" | "models" | "routing" | "memory" | "agent" | "tool" | "policy" | "overlay" | "prompt" | "partial";

/** The kinds whose files are YAML documents validated by one schema each (schemas/<kind>.schema.json). */
export const SCHEMA_OF_KIND: Record<Exclude<FileKind, "partial">, string> = {
  manifest: "brain",
  models: "models",
  routing: "routing",
  memory: "memory",
  agent: "agent",
  tool: "tool",
  policy: "policy",
  overlay: "overlay",
  prompt: "prompt",
};

export const ID_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
export const PROMPT_ID_PATTERN = /^[a-z][a-z0-9-]{0,62}(\/[a-z][a-z0-9-]{0,62})*$/;

const TOP_FILES: Record<string, FileKind> = { brain: "manifest", models: "models", routing: "routing", memory: "memory" };
const FOLDERS: Record<string, FileKind> = { agents: "agent", tools: "tool", policies: "policy", overlays: "overlay" };
const YAML_EXT = /\.ya?ml$/;

/**
 * Whether a folder at brain-relative `path` ("" for the brain folder itself) is one where brain files
 * live: an output folder there would mix brainc's output with the brain (and, once it holds a manifest,
 * hide the brain files in it, as brainc skips its own output folders).
 */
export function isBrainPlace(path: string): boolean {
  const top = path.split("/")[0];
  return path === "" || Object.hasOwn(FOLDERS, top) || top === "prompts";
}

/** What a brain-relative path ("agents/x.yaml") is, or undefined when no kind lives there. */
export function classify(path: string): { kind: FileKind; id: string } | undefined {
  const parts = path.split("/");
  const name = parts[parts.length - 1];
  if (parts.length === 1 && YAML_EXT.test(name)) {
    const kind = TOP_FILES[name.replace(YAML_EXT, "")];
    return kind ? { kind, id: name.replace(YAML_EXT, "") } : undefined;
  }
  if (parts.length === 2 && FOLDERS[parts[0]] && YAML_EXT.test(name)) {
    return { kind: FOLDERS[parts[0]], id: name.replace(YAML_EXT, "") };
  }
  if (parts[0] === "prompts" && parts.length >= 2 && name.endsWith(".md")) {
    const stem = name.slice(0, -3);
    if (stem.startsWith("_")) return { kind: "partial", id: stem.slice(1) };
    return { kind: "prompt", id: [...parts.slice(1, -1), stem].join("/") };
  }
  return undefined;
}

/** The list of files brainc wrote into an output folder (written by src/emit/write.ts). */
export const MANIFEST = ".brainc-manifest.json";
/** The commit record of a build in an output folder, present while it is carried out (src/emit/write.ts). */
export const JOURNAL = ".brainc-journal.json";
/** Held by the build that writes an output folder, so that two builds never write it at once (src/emit/lock.ts). */
export const LOCK = ".brainc-lock";

/**
 * Whether a folder holding these names is brainc's output, never brain input (`generated/` of a brain
 * kept at the repository root): it holds a manifest, or the journal of a first build that was killed
 * before its manifest was in place.
 */
export const isOutputFolder = (names: readonly string[]) => names.includes(MANIFEST) || names.includes(JOURNAL);

/** Files that are never part of the brain: dotfiles (and dot-folders) and README.md anywhere. */
export function isSkipped(name: string): boolean {
  return name.startsWith(".") || name.toLowerCase() === "readme.md";
}
