import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** Absolute path of brainc's own package root (the folder of its package.json), from sources or dist/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("brainc: cannot find its package root");
    dir = up;
  }
  root = dir;
  return root;
}

/** A path inside brainc's package ("schemas/agent.schema.json"). */
export function packagePath(rel: string): string {
  return join(packageRoot(), rel);
}
