import { execFileSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";

/** The brain folder as it is in a git commit, extracted into a temporary folder. */
export interface BrainAtRef {
  /** The brain root inside the temporary folder; absent when the commit has no such folder. */
  root?: string;
  /** The brain's path inside the repository, "/"-separated ("" when the brain is the repository root). */
  repoPath: string;
  /** Removes the temporary folder. */
  cleanup(): void;
}

/** Raised for a folder outside git, a ref that names no commit, or a failing git. The message (and hint) are for users. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

function git(cwd: string, args: string[], input?: Buffer): Buffer {
  try {
    return execFileSync("git", args, { cwd, input, maxBuffer: 1 << 30, stdio: ["pipe", "pipe", "pipe"] });
  } catch (e) {
    const err = e as { code?: string; stderr?: Buffer };
    if (err.code === "ENOENT") throw new GitError("git is not installed (brainc diff reads the brain at --against from git)");
    throw new GitError(err.stderr?.toString("utf8").trim().split("\n")[0] || `git ${args[0]} failed`);
  }
}

/**
 * The nearest existing folder at or above `path` with symbolic links resolved, and the rest of `path`
 * below it (the brain folder may not exist in the work tree any more).
 */
function existingAncestor(path: string): { real: string; rest: string } {
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      return { real: realpathSync(dir), rest: relative(dir, path) };
    } catch {
      if (dirname(dir) === dir) throw new GitError(`${path} does not exist`);
    }
  }
}

/**
 * Extracts the brain folder `brainDir` (absolute, in a git work tree) as it is at `ref` into a fresh
 * temporary folder, from git objects only (`git archive <ref> -- <path> | tar -x`): the work tree and the
 * index are never touched. The brain's path in the repository is `brainDir` relative to
 * `git rev-parse --show-toplevel`. Throws {@link GitError} when `brainDir` is not in a git work tree or
 * `ref` names no commit.
 */
export function brainAtRef(brainDir: string, ref: string): BrainAtRef {
  const { real, rest } = existingAncestor(brainDir);
  const top = realpathSync(git(real, ["rev-parse", "--show-toplevel"]).toString("utf8").trim());
  const repoPath = [relative(top, real), rest].filter(Boolean).join("/").split(sep).join("/");
  if (repoPath.startsWith("..")) throw new GitError(`${brainDir} is outside the git repository at ${top}`);
  try {
    git(top, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    if (!git(top, ["rev-list", "--all", "--max-count=1"]).length) throw new GitError(`the repository at ${top} has no commits yet`, "commit the brain first: brainc diff compares the work tree with a commit");
    throw new GitError(`${JSON.stringify(ref)} names no commit in ${top}`);
  }
  const dir = mkdtempSync(join(tmpdir(), "brainc-diff-"));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const listed = git(top, ["ls-tree", "-r", "--name-only", ref, "--", repoPath || "."]).toString("utf8").trim();
    if (!listed) return { repoPath, cleanup };
    const tar = git(top, ["archive", "--format=tar", ref, "--", repoPath || "."]);
    execFileSync("tar", ["-x", "-C", dir], { input: tar, stdio: ["pipe", "ignore", "pipe"] });
    return { root: join(dir, repoPath), repoPath, cleanup };
  } catch (e) {
    cleanup();
    throw e instanceof GitError ? e : new GitError(`cannot extract ${repoPath || "the repository"} at ${ref}: ${(e as Error).message.split("\n")[0]}`);
  }
}
