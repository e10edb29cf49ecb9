import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import { ID_PATTERN } from "../load/places.js";
import { didYouMeanHint } from "../validate/did-you-mean.js";
import type { Target } from "./target.js";

/**
 * The built-in targets, in the order `--target all` runs them, each loaded on first use. The specifiers are
 * relative, so they resolve to dist/targets/ when brainc runs compiled and to the sources under a test runner.
 */
const BUILTINS = {
  supervisor: () => import("../../targets/supervisor/index.js"),
  openclaw: () => import("../../targets/openclaw/index.js"),
  n8n: () => import("../../targets/n8n/index.js"),
  litellm: () => import("../../targets/litellm/index.js"),
} as const;

/** The names of the built-in targets, in the order `--target all` runs them. */
export function availableBuiltins(): string[] {
  return Object.keys(BUILTINS);
}

function isTarget(value: unknown): value is Target {
  const t = value as Target;
  return typeof t === "object" && t !== null && typeof t.name === "string" && typeof t.emit === "function" && typeof t.optionsSchema === "object";
}

/**
 * Loads a target by built-in name or module path (relative to `cwd`). Errors: BRN501 unknown name,
 * BRN502 module that fails to load, whose default export is not a Target, or whose target takes a
 * built-in target's name (see {@link checkTargetNames} for the rest of the rules on names).
 */
export async function loadTarget(spec: string, cwd: string): Promise<{ target?: Target; diagnostics: Diagnostic[] }> {
  const isPath = spec.startsWith(".") || isAbsolute(spec) || /\.[cm]?[jt]s$/.test(spec);
  let load: () => Promise<{ default?: unknown; target?: unknown }>;
  if (isPath) {
    const url = pathToFileURL(resolve(cwd, spec)).href;
    load = () => import(url);
  } else if (Object.hasOwn(BUILTINS, spec)) {
    load = BUILTINS[spec as keyof typeof BUILTINS];
  } else {
    const near = didYouMeanHint(spec, availableBuiltins());
    return { diagnostics: [diagnostic("BRN501", `unknown target ${JSON.stringify(spec)}`, { hint: `${near ? `${near} ` : ""}built-in targets: ${availableBuiltins().join(", ")}; or give a module path such as ./my-target.js` })] };
  }
  try {
    const mod = await load();
    const target = mod.default ?? mod.target;
    if (!isTarget(target)) return { diagnostics: [diagnostic("BRN502", `${JSON.stringify(spec)} does not export a Target as its default export`, { hint: "export default { name, optionsSchema, emit(brain, options) { return [{ path, contents }] } }" })] };
    if (isPath && Object.hasOwn(BUILTINS, target.name)) {
      return { diagnostics: [diagnostic("BRN502", `${JSON.stringify(spec)} exports a target named ${JSON.stringify(target.name)}, the name of a built-in target`, { hint: "give the target a name of its own" })] };
    }
    return { target, diagnostics: [] };
  } catch (e) {
    return { diagnostics: [diagnostic("BRN502", `cannot load target ${JSON.stringify(spec)}: ${(e as Error).message.split("\n")[0]}`)] };
  }
}

/**
 * BRN502 for each target whose name cannot be its output folder: a name must be an id
 * (`^[a-z][a-z0-9-]{0,62}$`, like a brain id), so that the folder is one plain name inside the output
 * root (never `..`, `.`, empty, nested, or one of brainc's own dotfiles), and no two targets of one build
 * may share a name (one would overwrite or delete the other's files). Empty when every name is fine.
 */
export function checkTargetNames(targets: readonly Target[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const { name } of targets) {
    if (!ID_PATTERN.test(name)) diagnostics.push(diagnostic("BRN502", `target name ${JSON.stringify(name)} is not an id: a target's name is its output folder, so it must match ^[a-z][a-z0-9-]{0,62}$`, { hint: "rename the target, for example \"my-target\"" }));
    else if (seen.has(name)) diagnostics.push(diagnostic("BRN502", `two targets of this build are named ${JSON.stringify(name)}; each target needs a name (and output folder) of its own`, { hint: "rename one of the targets, or name the module only once" }));
    seen.add(name);
  }
  return diagnostics;
}
