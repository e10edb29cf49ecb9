import { createRequire } from "node:module";
import { packagePath } from "../package-root.js";

const require = createRequire(import.meta.url);

/**
 * A module that `npm run build` writes into brainc's package (ajv standalone code: loading it beats
 * compiling the schemas), by package-relative `path`; `compile()` instead when it is missing, as when
 * brainc runs from its TypeScript sources.
 */
export async function precompiledOr<T>(path: string, compile: () => Promise<T>): Promise<T> {
  try {
    return require(packagePath(path)) as T;
  } catch {
    return compile();
  }
}
