import mergePatch from "json-merge-patch";
import type { Diagnostic, Range } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import { isMapping, type SourceFile, type SourceSet } from "../load/load.js";
import type { FileKind } from "../load/places.js";
import { escapePointer, rangeAt, unescapePointer } from "../load/yaml.js";
import type { Agent, BrainManifest, MemoryFile, ModelsFile, Overlay, Policy, PromptFrontmatter, RoutingFile, ToolContract } from "../types/index.js";
import { readSchema, validators, type SchemaKind } from "./ajv.js";
import { didYouMean } from "./did-you-mean.js";
import { CREATED_BY_OVERLAY, validateEmbeddedSchemas, validateValue, type ErrorContext } from "./schema.js";

/** Where a JSON pointer of a document was written: its file and range (1-based). */
export interface Location {
  file: string;
  range: Range;
  /** True when an overlay deleted the value (a `null` in its merge patch): `file` and `range` are that null's key. */
  removed?: boolean;
}

/** One schema-valid brain document, after overlays, with a way back to its source positions. */
export interface Document<T> {
  id: string;
  /** The file the document comes from (the overlay, for documents an overlay created). */
  file: string;
  value: T;
  /**
   * The source location of a JSON pointer into `value` ("key" part: the key; "value": its value). A
   * pointer to a missing key is located at the `null` that deleted it, else at its parent.
   */
  locate(pointer: string, part?: "key" | "value"): Location;
  /** The file that set the value at a JSON pointer into `value`: the overlay's for what the overlay set, else `file` (cheap: no positions). */
  fileOf(pointer: string): string;
  /** The overlay file that patched this document, when one did (then `fileOf` may name it). */
  overlay?: string;
  /** The value before the overlay patched it (absent for a document the overlay created, or none patched). */
  base?: T;
}

/** A prompt template or partial. */
export interface TemplateDocument {
  id: string;
  file: string;
  frontmatter: PromptFrontmatter;
  body: string;
  /** 1-based line of the file on which `body` starts. */
  bodyLine: number;
  /** Locates a pointer into the frontmatter. */
  locate(pointer: string, part?: "key" | "value"): Location;
}

/** The schema-valid documents of a brain, keyed by id and sorted; the input of `link`. */
export interface Documents {
  /** The overlay applied ("default" when none). */
  env: string;
  manifest: Document<BrainManifest>;
  models: Document<ModelsFile>;
  routing: Document<RoutingFile>;
  memory?: Document<MemoryFile>;
  agents: Record<string, Document<Agent>>;
  tools: Record<string, Document<ToolContract>>;
  policies: Record<string, Document<Policy>>;
  prompts: Record<string, TemplateDocument>;
  partials: Record<string, TemplateDocument>;
  /** The overlays present, by env name (their names are needed even without --env). */
  overlays: string[];
  /**
   * Where the applied overlay deletes the value at `pointer` (an overlay pointer such as `/tools/search`):
   * the key of its `null`; undefined when it does not, or without an overlay. For hints on references
   * to what an overlay deleted.
   */
  deletedBy?: (pointer: string) => Location | undefined;
}

const fromFile = <T>(file: SourceFile): Document<T> => ({
  id: file.id,
  file: file.path,
  value: file.yaml!.value as T,
  locate: (pointer, part = "value") => ({ file: file.path, range: rangeAt(file.yaml!, pointer, part) }),
  fileOf: () => file.path,
});

const templateOf = (file: SourceFile): TemplateDocument => ({
  id: file.id,
  file: file.path,
  frontmatter: (file.yaml?.value ?? {}) as PromptFrontmatter,
  body: file.body!.text,
  bodyLine: file.body!.line,
  locate: (pointer, part = "value") => ({
    file: file.path,
    range: file.yaml ? rangeAt(file.yaml, pointer, part) : { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
  }),
});

const sortedRecord = <T>(entries: [string, T][]): Record<string, T> =>
  Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * Collects the (schema-valid) files of a brain into Documents, applying `overlays/<env>.yaml` as a JSON
 * Merge Patch (RFC 7396) when `env` is given and validating the merged documents again, with
 * diagnostics pointing into the overlay where the overlay introduced the value.
 * Errors: BRN012 (models.yaml or routing.yaml missing), BRN402 (unknown env), BRN403 (an overlay with a
 * reserved name, whatever `env` is), BRN401 (overlay creates an entity), schema codes for merged documents.
 */
export async function collectDocuments(sources: SourceSet, env?: string): Promise<{ documents?: Documents; diagnostics: Diagnostic[] }> {
  const byKind = (kind: FileKind) => sources.files.filter((f) => f.kind === kind);
  const single = (kind: FileKind) => byKind(kind)[0];
  const diagnostics: Diagnostic[] = [];
  for (const [kind, name] of [["models", "models.yaml"], ["routing", "routing.yaml"]] as const) {
    if (!single(kind)) diagnostics.push(diagnostic("BRN012", `the brain has no ${name}`, { file: name, hint: `every brain declares its ${kind === "models" ? "providers, models and tiers" : "task classes and fallback rules"} in ${name}` }));
  }
  const manifestFile = single("manifest");
  if (diagnostics.length || !manifestFile) return { diagnostics };
  const memoryFile = single("memory");
  const documents: Documents = {
    env: "default",
    manifest: fromFile(manifestFile),
    models: fromFile(single("models")!),
    routing: fromFile(single("routing")!),
    memory: memoryFile ? fromFile(memoryFile) : undefined,
    agents: sortedRecord(byKind("agent").map((f) => [f.id, fromFile<Agent>(f)])),
    tools: sortedRecord(byKind("tool").map((f) => [f.id, fromFile<ToolContract>(f)])),
    policies: sortedRecord(byKind("policy").map((f) => [f.id, fromFile<Policy>(f)])),
    prompts: sortedRecord(byKind("prompt").map((f) => [f.id, templateOf(f)])),
    partials: sortedRecord(byKind("partial").map((f) => [f.id, templateOf(f)])),
    overlays: byKind("overlay").map((f) => f.id).sort(),
  };
  diagnostics.push(...reservedOverlayNames(byKind("overlay"), documents.manifest.value));
  if (env === undefined || env === "default") return { documents, diagnostics };
  const overlayFile = byKind("overlay").find((f) => f.id === env);
  if (!overlayFile) {
    const hint = documents.overlays.length ? `overlays in this brain: ${documents.overlays.join(", ")}` : "this brain has no overlays/ folder";
    return { diagnostics: [...diagnostics, diagnostic("BRN402", `no overlay ${JSON.stringify(env)} (overlays/${env}.yaml)`, { hint })] };
  }
  const applied = await applyOverlay(documents, overlayFile, env);
  return { ...applied, diagnostics: [...diagnostics, ...applied.diagnostics] };
}

let builtinTargets: string[] | undefined;

/**
 * BRN403 for each overlay whose name is reserved: "default" (the base brain's environment) or a target's
 * name (a built-in one, from schemas/brain.schema.json `targets`, or a brain.yaml `targets.<name>` key),
 * since generated/<env>/… and generated/<target>/… share one folder. The build checks the names of the
 * targets it loads as well (a module given on the command line).
 */
function reservedOverlayNames(overlays: readonly SourceFile[], manifest: BrainManifest): Diagnostic[] {
  builtinTargets ??= Object.keys((readSchema("brain").properties as { targets: { properties: object } }).targets.properties);
  const targets = new Set([...builtinTargets, ...Object.keys(manifest.targets ?? {})]);
  return overlays.flatMap((f) => {
    if (f.id === "default") return [diagnostic("BRN403", `overlay ${JSON.stringify(f.path)} is named "default", the reserved name of the base brain's environment (\`--env default\`)`, { file: f.path, hint: "rename the overlay file" })];
    return targets.has(f.id) ? [overlayNamedLikeTarget(f)] : [];
  });
}

/** BRN403 for an overlay file that has a target's name (see {@link reservedOverlayNames}). */
export function overlayNamedLikeTarget(overlay: SourceFile): Diagnostic {
  return diagnostic("BRN403", `overlay ${JSON.stringify(overlay.path)} has the name of target ${JSON.stringify(overlay.id)}: its output ${overlay.id}/<target>/ would land in that target's output folder ${overlay.id}/`, { file: overlay.path, hint: "rename the overlay file or the target; environment and target names share the output folder" });
}

/** The section of an overlay that patches each single document, and the schema that validates the result. */
const SINGLES = [
  ["brain", "manifest", "brain"],
  ["models", "models", "models"],
  ["routing", "routing", "routing"],
  ["memory", "memory", "memory"],
] as const;
const MAPS = [
  ["agents", "agent"],
  ["tools", "tool"],
  ["policies", "policy"],
] as const;

async function applyOverlay(base: Documents, overlayFile: SourceFile, env: string): Promise<{ documents?: Documents; diagnostics: Diagnostic[] }> {
  const v = await validators();
  const overlay = overlayFile.yaml!.value as Overlay;
  const parsed = overlayFile.yaml!;
  const diagnostics: Diagnostic[] = [];
  const merged: Documents = {
    ...base,
    env,
    agents: { ...base.agents },
    tools: { ...base.tools },
    policies: { ...base.policies },
    deletedBy: (pointer) => (patchedAt(overlay, pointer) === "deleted" && has(overlay, pointer) ? { file: overlayFile.path, range: rangeAt(parsed, pointer, "key"), removed: true } : undefined),
  };

  const patchDoc = <T>(doc: Document<T> | undefined, id: string, patch: unknown, overlayPointer: string, kind: SchemaKind, context: Omit<ErrorContext, "kind" | "id"> = {}): Document<T> | undefined => {
    if (patch === undefined) return doc;
    const value = mergePatch.apply(structuredClone(doc?.value ?? {}), structuredClone(patch)) as T;
    const byOverlay = (pointer: string) => !doc || (pointer !== "" && patchedAt(patch, pointer) !== undefined);
    const result: Document<T> = {
      id,
      file: doc?.file ?? overlayFile.path,
      value,
      locate: (pointer, part = "value") => {
        if (byOverlay(pointer)) {
          const location: Location = { file: overlayFile.path, range: rangeAt(parsed, overlayPointer + pointer, part) };
          return patchedAt(patch, pointer) === "deleted" ? { ...location, removed: true } : location;
        }
        // A key in neither the patch nor the base document: where its parent was written.
        if (!has(doc!.value, pointer)) return result.locate(pointer.slice(0, pointer.lastIndexOf("/")), part);
        return doc!.locate(pointer, part);
      },
      fileOf: (pointer) => (byOverlay(pointer) ? overlayFile.path : doc!.fileOf(pointer)),
      overlay: overlayFile.path,
      ...(doc && { base: doc.value }),
    };
    const errors = validateValue(v, kind, value, result.locate, { ...context, id });
    diagnostics.push(...(errors.length ? errors : validateEmbeddedSchemas(v, kind, value, result.locate)));
    return result;
  };

  for (const [section, key, kind] of SINGLES) {
    const patched = patchDoc(base[key] as Document<unknown> | undefined, key, overlay[section], `/${section}`, kind);
    if (patched) (merged as any)[key] = patched;
  }
  diagnostics.push(...changedTargetModules(base.manifest.value, merged.manifest.value, overlayFile));
  for (const [section, kind] of MAPS) {
    const patches = (overlay[section] ?? {}) as Record<string, unknown>;
    const target = merged[section] as Record<string, Document<unknown>>;
    for (const id of Object.keys(patches).sort()) {
      const pointer = `/${section}/${id}`;
      if (patches[id] === null) {
        delete target[id];
        continue;
      }
      if (target[id]) {
        target[id] = patchDoc(target[id], id, patches[id], pointer, kind)!;
        continue;
      }
      // Often a misspelt id: the closest id of the base brain. An entity missing required keys gets one BRN102
      // that says so (schema.ts missingFromCreated); else the overlay may well mean to create it (BRN401).
      const suggestion = didYouMean(id, Object.keys(base[section]));
      const before = diagnostics.length;
      target[id] = patchDoc(undefined, id, patches[id], pointer, kind, { createdByOverlay: { suggestion } })!;
      if (!diagnostics.slice(before).some((d) => d.code === "BRN102" && d.message.endsWith(CREATED_BY_OVERLAY))) {
        const hint = suggestion === undefined ? undefined : `did you mean ${JSON.stringify(suggestion)}?`;
        diagnostics.push(diagnostic("BRN401", `overlay ${JSON.stringify(env)} creates ${kind} ${JSON.stringify(id)}, which the base brain does not have`, { file: overlayFile.path, range: rangeAt(parsed, pointer, "key"), hint }));
      }
    }
    (merged as any)[section] = sortedRecord(Object.entries(target));
  }
  return { documents: merged, diagnostics };
}


/**
 * BRN404 for each brain.yaml `targets.<name>.module` that an overlay adds, changes or removes: a build
 * runs the same targets in every environment (an overlay sets their options), so the change would be
 * ignored. Located at the deepest part of the patch that made it.
 */
function changedTargetModules(base: BrainManifest, merged: BrainManifest, overlayFile: SourceFile): Diagnostic[] {
  const module = (m: BrainManifest, name: string) => (m.targets?.[name] as { module?: unknown } | undefined)?.module;
  const names = [...new Set([...Object.keys(base.targets ?? {}), ...Object.keys(merged.targets ?? {})])].sort();
  return names
    .filter((name) => module(base, name) !== module(merged, name))
    .map((name) => {
      const pointers = [`/brain/targets/${escapePointer(name)}/module`, `/brain/targets/${escapePointer(name)}`, "/brain/targets", "/brain"];
      const pointer = pointers.find((p) => has(overlayFile.yaml!.value, p))!;
      const [was, is] = [module(base, name), module(merged, name)].map((m) => (m === undefined ? "none" : JSON.stringify(m)));
      return diagnostic("BRN404", `the overlay changes the module of target ${JSON.stringify(name)} (brain.yaml: ${was}; overlay: ${is}); every environment runs the targets of brain.yaml`, {
        file: overlayFile.path,
        range: rangeAt(overlayFile.yaml!, pointer, pointer.endsWith("/module") ? "value" : "key"),
        hint: "declare the module in brain.yaml; an overlay may change a target's options, not its module",
      });
    });
}

/**
 * What a merge patch does at `pointer` (not ""): "deleted" when it sets the value or one of its ancestors
 * to null, "set" when it sets or merges into the value or replaces one of its ancestors, undefined when it
 * leaves the value alone.
 */
function patchedAt(patch: unknown, pointer: string): "set" | "deleted" | undefined {
  let node = patch;
  for (const raw of pointer.split("/").slice(1)) {
    if (!isMapping(node)) break;
    const key = unescapePointer(raw);
    if (!Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node === null ? "deleted" : "set";
}

/** Whether a value has something at `pointer`. */
function has(value: unknown, pointer: string): boolean {
  let node = value;
  for (const raw of pointer.split("/").slice(1)) {
    const key = unescapePointer(raw);
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}
