import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
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
 * BRN502 module that fails to load or whose default export is not a Target.
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
    return { diagnostics: [diagnostic("BRN501", `unknown target ${JSON.stringify(spec)}`, { hint: `built-in targets: ${availableBuiltins().join(", ")}; or give a module path such as ./my-target.js` })] };
  }
  try {
    const mod = await load();
    const target = mod.default ?? mod.target;
    if (!isTarget(target)) return { diagnostics: [diagnostic("BRN502", `${JSON.stringify(spec)} does not export a Target as its default export`, { hint: "export default { name, optionsSchema, emit(brain, options) { return [{ path, contents }] } }" })] };
    return { target, diagnostics: [] };
  } catch (e) {
    return { diagnostics: [diagnostic("BRN502", `cannot load target ${JSON.stringify(spec)}: ${(e as Error).message.split("\n")[0]}`)] };
  }
}
