import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../../test/helpers.js";

/**
 * Makes sure n8n's node descriptions are cached (`npm run n8n:nodes`, a no-op once done), so the target's
 * check() runs its full validation in tests. Network: the npm registry only, on the first run.
 */
export function fetchDescriptions(): void {
  execFileSync("bash", [join(repoRoot, "scripts/fetch-n8n-nodes.sh")], { stdio: ["ignore", "ignore", "inherit"] });
}
