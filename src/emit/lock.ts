import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { LOCK } from "../load/places.js";

/** How long a build waits for another build that is writing the same output folder, in ms. */
export const LOCK_WAIT_MS = 3000;

/**
 * Runs `work` holding the output folder's lock, `<out>/.brainc-lock` (created exclusively, holding this
 * process's pid), so that two builds never write one output folder at once (`build --watch` and a
 * `build` in another terminal, say). Waits up to {@link LOCK_WAIT_MS} for a build that holds it, and
 * takes over a lock whose process is gone (a killed build). Throws when the lock stays held (naming the
 * holder's pid) or cannot be created. `out` must exist.
 */
export function withOutputLock<T>(out: string, work: () => T): T {
  const path = join(out, LOCK);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = holderOf(path);
      if (holder !== undefined && !isRunning(holder)) rmSync(path, { force: true });
      else if (Date.now() > deadline) throw new Error(`another brainc build (pid ${holder ?? "unknown"}) is writing this output folder; wait for it to finish, or delete ${LOCK} if no build is running`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    return work();
  } finally {
    rmSync(path, { force: true });
  }
}

/** The pid in a lock file; undefined while its creator has not written it yet. */
function holderOf(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, "utf8"));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether process `pid` runs (a lock of this very process is stale: a process never takes it twice). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
