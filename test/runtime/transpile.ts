/**
 * Transpiles src/runtime (types stripped, no type check) into a fresh folder under .cache/, so that child
 * processes of the tests can run the runtime from its sources without a build. Bare imports (ajv,
 * picomatch, shell-quote) resolve through the repository's node_modules.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { repoRoot } from "../helpers.js";

/** Returns the folder that holds `runtime/index.js`; `extra` maps file names to TypeScript sources to transpile beside it. */
export function transpileRuntime(extra: Record<string, string> = {}): string {
  const out = join(repoRoot, ".cache", "runtime-test", `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(join(out, "runtime"), { recursive: true });
  const js = (source: string) => ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const src = join(repoRoot, "src/runtime");
  for (const f of readdirSync(src).filter((f) => f.endsWith(".ts"))) writeFileSync(join(out, "runtime", f.replace(/\.ts$/, ".js")), js(readFileSync(join(src, f), "utf8")));
  for (const [name, source] of Object.entries(extra)) writeFileSync(join(out, name.replace(/\.ts$/, ".js")), name.endsWith(".ts") ? js(source) : source);
  return out;
}
