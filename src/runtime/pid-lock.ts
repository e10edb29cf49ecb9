import { linkSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** The pid in a lock file, or undefined when it is gone or holds no pid. */
export function lockHolder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether process `pid` runs on this machine (one of another user counts). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Tries once to take the lock file `path` (brainc's writers: the output folder's `.brainc-lock`, a run
 * store's `writer.lock`) for this process. The lock is written under a name of its own first
 * (`<path>.<pid>`) and then hard-linked into place (the link fails when the name exists), so that it never
 * exists without its pid. A lock whose holder is `stale` (default: its process is gone; a lock without a
 * pid, too) is cleared only by the process that holds `<path>.takeover` (taken the same way), and only
 * while it still names that holder: two processes that find the same stale lock cannot both clear it and
 * both win. A takeover lock left by a process that died in that instant is cleared by the next one.
 * Returns undefined when this process holds the lock, else the pid of the live holder. Throws the file
 * system's error when the lock cannot be written.
 */
export function tryLock(path: string, stale: (pid: number) => boolean = (pid) => !isAlive(pid)): number | undefined {
  const takeover = `${path}.takeover`;
  const mine = `${path}.${process.pid}`;
  const live = (holder: number | undefined): holder is number => holder !== undefined && !stale(holder);
  writeFileSync(mine, `${process.pid}\n`);
  const link = (to: string): boolean => {
    try {
      linkSync(mine, to);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      return false;
    }
  };
  try {
    for (let tries = 0; tries < 3; tries++) {
      if (link(path)) {
        removeLeftovers(path);
        return undefined;
      }
      const holder = lockHolder(path);
      if (live(holder)) return holder;
      if (!link(takeover)) {
        const taking = lockHolder(takeover);
        if (live(taking)) return taking;
        rmSync(takeover, { force: true });
        continue;
      }
      try {
        if (lockHolder(path) === holder) rmSync(path, { force: true });
      } finally {
        rmSync(takeover, { force: true });
      }
    }
    return lockHolder(path) ?? 0;
  } finally {
    rmSync(mine, { force: true });
  }
}

/** Removes the lock file `path` when this process holds it. */
export function unlock(path: string): void {
  if (lockHolder(path) === process.pid) rmSync(path, { force: true });
}

/** The `<path>.<pid>` files of processes killed between writing one and linking it into place. */
function removeLeftovers(path: string): void {
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) ? Number(name.slice(prefix.length)) : NaN;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid)) rmSync(join(dirname(path), name), { force: true });
  }
}
