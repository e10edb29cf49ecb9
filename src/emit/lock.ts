import { join } from "node:path";
import { LOCK } from "../load/places.js";
import { isAlive, tryLock, unlock } from "../runtime/pid-lock.js";

/** How long a build waits for another build that is writing the same output folder, in ms. */
export const LOCK_WAIT_MS = 3000;

/**
 * Runs `work` holding the output folder's lock, `<out>/.brainc-lock` (see {@link tryLock}: it never exists
 * without its pid, and a dead holder's lock is taken over by one process only), so that two builds never
 * write one output folder at once (`build --watch` and a `build` in another terminal, say). Waits up to
 * {@link LOCK_WAIT_MS} for a build that holds it. A lock naming this process is stale too: a process
 * never takes it twice, so it is a killed build's whose pid was reused. Throws when the lock stays held
 * (naming the holder's pid) or cannot be created. `out` must exist.
 */
export function withOutputLock<T>(out: string, work: () => T): T {
  const path = join(out, LOCK);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const holder = tryLock(path, (pid) => pid === process.pid || !isAlive(pid));
    if (holder === undefined) break;
    if (Date.now() > deadline) throw new Error(`another brainc build (pid ${holder || "unknown"}) is writing this output folder; wait for it to finish, or delete ${LOCK} if no build is running`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  try {
    return work();
  } finally {
    unlock(path);
  }
}
