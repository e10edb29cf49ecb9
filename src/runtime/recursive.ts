/**
 * Commands that read or change every file under a directory operand (`grep -r`, `rg`, `tar`, `cp -r` …),
 * and the walk the tool guard makes of such a directory to check what lies under it. Options are read
 * from GNU coreutils/grep/tar/rsync and ripgrep's manuals; the table is deliberately small and errs
 * towards "recursive", which only adds checks.
 */
import { readdirSync, realpathSync } from "node:fs";
import { join } from "node:path";

/** How a command goes through a directory operand. */
export interface Recursion {
  /** The program, for messages. */
  program: string;
  /** Whether symlinks met under the directory are followed (their targets read too). */
  follow: boolean;
}

interface Rule {
  /** Recursive whatever the options (`rg`, `tar`); else only with one of `flags`. */
  always?: boolean;
  /** Short option letters (also inside clusters such as `-rn`) and long options that make it recursive. */
  flags?: { short: string; long: string[] };
  /** Options that make it follow symlinks under the directory. */
  follow?: { short: string; long: string[] };
  /** Options that stop it following them, for programs that follow by default (zip, scp). */
  noFollow?: { short: string; long: string[] };
  /** Follows symlinks unless told not to. */
  followsByDefault?: boolean;
  /** Searches the directory it runs in when given no file operand (`grep -r x`, `rg x`). */
  defaultsToCwd?: boolean;
}

const GREP: Rule = { flags: { short: "rR", long: ["--recursive", "--dereference-recursive"] }, follow: { short: "R", long: ["--dereference-recursive"] }, defaultsToCwd: true };
const RULES: Record<string, Rule> = {
  grep: GREP,
  egrep: GREP,
  fgrep: GREP,
  rgrep: { always: true, defaultsToCwd: true },
  rg: { always: true, follow: { short: "L", long: ["--follow"] }, defaultsToCwd: true },
  ag: { always: true, follow: { short: "f", long: ["--follow"] }, defaultsToCwd: true },
  tar: { always: true, follow: { short: "h", long: ["--dereference"] } },
  zip: { flags: { short: "rR", long: ["--recurse-paths", "--recurse-patterns"] }, followsByDefault: true, noFollow: { short: "y", long: ["--symlinks"] } },
  cp: { flags: { short: "rRa", long: ["--recursive", "--archive"] }, follow: { short: "L", long: ["--dereference"] } },
  rsync: { flags: { short: "ra", long: ["--recursive", "--archive"] }, follow: { short: "L", long: ["--copy-links"] } },
  scp: { flags: { short: "r", long: [] }, followsByDefault: true },
  rm: { flags: { short: "rR", long: ["--recursive"] } },
  chmod: { flags: { short: "R", long: ["--recursive"] }, follow: { short: "L", long: [] } },
  chown: { flags: { short: "R", long: ["--recursive"] }, follow: { short: "L", long: [] } },
  chgrp: { flags: { short: "R", long: ["--recursive"] }, follow: { short: "L", long: [] } },
  diff: { flags: { short: "r", long: ["--recursive"] } },
};

/** Whether `args` hold one of `options`: a long option (also as `--opt=value`) or a short letter in a `-abc` cluster. */
function given(args: readonly string[], options: { short: string; long: string[] } | undefined, program: string): boolean {
  if (!options) return false;
  return args.some((a, i) => {
    if (a.startsWith("--")) return options.long.some((l) => a === l || a.startsWith(`${l}=`));
    // tar's old style: the first word is a cluster without a dash (`tar czhf out.tgz dir`)
    const cluster = a.startsWith("-") ? a.slice(1) : program === "tar" && i === 0 ? a : "";
    return /^[A-Za-z]+$/.test(cluster) && [...options.short].some((letter) => cluster.includes(letter));
  });
}

/** How command `program` with arguments `args` goes through directory operands; undefined when it does not. */
export function recursionOf(program: string, args: readonly string[]): (Recursion & { defaultsToCwd: boolean }) | undefined {
  const rule = Object.hasOwn(RULES, program) ? RULES[program] : undefined;
  if (!rule || !(rule.always || given(args, rule.flags, program))) return undefined;
  const follow = rule.followsByDefault ? !given(args, rule.noFollow, program) : given(args, rule.follow, program);
  return { program, follow, defaultsToCwd: rule.defaultsToCwd ?? false };
}

/** One entry found under a directory: its path (through the directory as given) and whether it is a symlink. */
export interface TreeEntry {
  path: string;
  link: boolean;
}

/**
 * Every entry under directory `dir`, depth first, at most `limit` of them (undefined past that: too many
 * to check). Symlinks are listed; with `follow`, symlinked directories are entered too (each real
 * directory once, so link cycles end). Unreadable directories are skipped (the command cannot read them either).
 */
export function walkTree(dir: string, follow: boolean, limit: number): TreeEntry[] | undefined {
  const out: TreeEntry[] = [];
  const seen = new Set<string>();
  const stack = [dir];
  while (stack.length) {
    const at = stack.pop()!;
    if (follow) {
      let real: string;
      try {
        real = realpathSync(at);
      } catch {
        continue;
      }
      if (seen.has(real)) continue;
      seen.add(real);
    }
    let entries;
    try {
      entries = readdirSync(at, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const path = join(at, e.name);
      const link = e.isSymbolicLink();
      out.push({ path, link });
      if (out.length > limit) return undefined;
      if (e.isDirectory() || (link && follow)) stack.push(path);
    }
  }
  return out;
}
