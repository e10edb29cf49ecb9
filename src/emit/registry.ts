import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import { packagePath } from "../package-root.js";
import type { Target } from "./target.js";

/** The built-in targets, in the order `--target all` runs them. */
export const BUILTIN_TARGETS = ["supervisor", "openclaw", "n8n", "litellm"] as const;

/** Built-in targets that exist in this build (a target folder may not be there yet). */
export function availableBuiltins(): string[] {
  return BUILTIN_TARGETS.filter((name) => existsSync(packagePath(`dist/targets/${name}/index.js`)) || existsSync(packagePath(`targets/${name}/index.ts`)));
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
  let url: string;
  if (isPath) {
    url = pathToFileURL(resolve(cwd, spec)).href;
  } else if ((BUILTIN_TARGETS as readonly string[]).includes(spec) && availableBuiltins().includes(spec)) {
    const compiled = packagePath(`dist/targets/${spec}/index.js`);
    url = pathToFileURL(existsSync(compiled) && !process.env.VITEST ? compiled : packagePath(`targets/${spec}/index.ts`)).href;
  } else {
    return { diagnostics: [diagnostic("BRN501", `unknown target ${JSON.stringify(spec)}`, { hint: `built-in targets: ${availableBuiltins().join(", ")}; or give a module path such as ./my-target.js` })] };
  }
  try {
    const mod = await import(url);
    const target = mod.default ?? mod.target;
    if (!isTarget(target)) return { diagnostics: [diagnostic("BRN502", `${JSON.stringify(spec)} does not export a Target as its default export`, { hint: "export default { name, optionsSchema, emit(brain, options) { return [{ path, contents }] } }" })] };
    return { target, diagnostics: [] };
  } catch (e) {
    return { diagnostics: [diagnostic("BRN502", `cannot load target ${JSON.stringify(spec)}: ${(e as Error).message.split("\n")[0]}`)] };
  }
}
