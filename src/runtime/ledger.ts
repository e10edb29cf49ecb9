/**
 * The ledger: an append-only, crash-safe record of every job's events. The embedded default,
 * {@link FileLedger}, needs no server and no native module: one JSON Lines log per store directory
 * (`ledger.jsonl`), written with group commit (all events appended while a write is under way go out
 * in the next single write + fdatasync) and acknowledged only after that fdatasync, so no acknowledged
 * event is lost when the process is killed (SIGKILL) or the machine loses power. A torn last line (a
 * write cut short by a crash, never acknowledged) is ignored by readers and cut off by the next writer.
 * `index.jsonl` maps jobs to the byte ranges of the batches that hold their events; it is derived data,
 * written without fsync and repaired from the log on open. `writer.lock` holds the pid of the one
 * process that may append (a lock left by a dead process is taken over).
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync, ftruncateSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { LedgerEvent, NewEvent } from "./events.js";

/** Where events are stored. {@link FileLedger} is the embedded default; others may implement this. */
export interface LedgerStore {
  /** Appends events in order and resolves, with their `seq` numbers, once they are durable. */
  append(events: readonly NewEvent[]): Promise<LedgerEvent[]>;
  /** Every event of one job, in ledger order. */
  jobEvents(jobId: string): LedgerEvent[];
  /** Every event in the store, in ledger order. */
  allEvents(): LedgerEvent[];
  /** Waits for pending appends, then releases the store. */
  close(): Promise<void>;
}

/** The store is held by another live process. */
export class LedgerBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`the run store ${dir} is in use by process ${pid}; use another --store or stop that process`);
    this.name = "LedgerBusyError";
  }
}

const LOG = "ledger.jsonl";
const INDEX = "index.jsonl";
const LOCK = "writer.lock";

interface IndexEntry {
  /** Job id. */
  j: string;
  /** Byte offset of the batch in the log. */
  o: number;
  /** Byte length of the batch. */
  n: number;
}

/** Reads a byte range of a file. */
function readRange(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, offset + done);
    if (n === 0) break;
    done += n;
  }
  return buf.subarray(0, done);
}

/** Parses complete JSON lines; a line that does not parse (a torn tail) is skipped. */
function parseLines(text: string, keep?: (e: LedgerEvent) => boolean): LedgerEvent[] {
  const out: LedgerEvent[] = [];
  let start = 0;
  for (;;) {
    const end = text.indexOf("\n", start);
    if (end < 0) break;
    if (end > start) {
      try {
        const e = JSON.parse(text.slice(start, end)) as LedgerEvent;
        if (!keep || keep(e)) out.push(e);
      } catch {
        // only a crash can leave a partial line, and only at the end of a write; it was never acknowledged
      }
    }
    start = end + 1;
  }
  return out;
}

/** The size of the log up to and including its last newline (what readers may trust). */
function completeSize(fd: number): number {
  let size = fstatSync(fd).size;
  const chunk = 4096;
  while (size > 0) {
    const from = Math.max(0, size - chunk);
    const buf = readRange(fd, from, size - from);
    const nl = buf.lastIndexOf(0x0a);
    if (nl >= 0) return from + nl + 1;
    size = from;
  }
  return 0;
}

function readIndex(dir: string, logSize: number): { entries: IndexEntry[]; covered: number; clean: boolean } {
  const path = join(dir, INDEX);
  if (!existsSync(path)) return { entries: [], covered: 0, clean: false };
  const text = readFileSync(path, "utf8");
  const entries: IndexEntry[] = [];
  let covered = 0;
  let clean = text.length === 0 || text.endsWith("\n");
  for (const line of text.split("\n")) {
    if (!line) continue;
    let e: IndexEntry;
    try {
      e = JSON.parse(line) as IndexEntry;
    } catch {
      clean = false;
      continue;
    }
    if (e.o + e.n > logSize) {
      clean = false;
      continue;
    }
    entries.push(e);
    covered = Math.max(covered, e.o + e.n);
  }
  return { entries, covered, clean };
}

/** Reads a store without locking it (what `brainc runs` does); safe while a writer appends. */
export class LedgerReader {
  constructor(readonly dir: string) {}

  /** Every event, in ledger order; a torn last line is ignored. */
  allEvents(): LedgerEvent[] {
    const path = join(this.dir, LOG);
    if (!existsSync(path)) return [];
    const fd = openSync(path, "r");
    try {
      const size = completeSize(fd);
      return parseLines(readRange(fd, 0, size).toString("utf8"));
    } finally {
      closeSync(fd);
    }
  }

  /** One job's events through the index (plus the not yet indexed tail of the log). */
  jobEvents(jobId: string): LedgerEvent[] {
    const path = join(this.dir, LOG);
    if (!existsSync(path)) return [];
    const fd = openSync(path, "r");
    try {
      const size = completeSize(fd);
      const { entries, covered } = readIndex(this.dir, size);
      const ranges: [number, number][] = [];
      for (const e of entries) {
        if (e.j !== jobId) continue;
        const last = ranges[ranges.length - 1];
        if (last && last[1] >= e.o) last[1] = Math.max(last[1], e.o + e.n);
        else ranges.push([e.o, e.o + e.n]);
      }
      if (covered < size) ranges.push([covered, size]);
      const keep = (e: LedgerEvent) => e.job === jobId;
      return ranges.flatMap(([from, to]) => parseLines(readRange(fd, from, to - from).toString("utf8"), keep));
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * The embedded ledger: one JSON Lines log per store directory, group commit, fdatasync before
 * acknowledging. Open it with {@link FileLedger.open}; one process writes a store at a time.
 */
export class FileLedger implements LedgerStore {
  private pending: string[] = [];
  private pendingJobs: string[] = [];
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private flushing: Promise<void> | undefined;
  private failed: Error | undefined;
  private closed = false;
  private readonly reader: LedgerReader;

  private constructor(
    readonly dir: string,
    private readonly log: FileHandle,
    private readonly indexFd: number,
    private size: number,
    private seq: number,
  ) {
    this.reader = new LedgerReader(dir);
  }

  /**
   * Opens (creating it when missing) the store directory for appending: takes `writer.lock`, cuts a
   * torn last line off the log, repairs the index, and continues the sequence.
   * @throws {LedgerBusyError} when another live process holds the store.
   */
  static async open(dir: string): Promise<FileLedger> {
    mkdirSync(dir, { recursive: true });
    lock(dir);
    try {
      const logPath = join(dir, LOG);
      const fd = openSync(logPath, "a+");
      let size: number;
      let seq = 0;
      try {
        size = completeSize(fd);
        if (size < fstatSync(fd).size) ftruncateSync(fd, size);
        if (size > 0) {
          const tail = readRange(fd, Math.max(0, size - 65536), Math.min(size, 65536)).toString("utf8");
          const lines = tail.slice(0, -1).split("\n");
          seq = (JSON.parse(lines[lines.length - 1]) as LedgerEvent).seq;
        }
      } finally {
        closeSync(fd);
      }
      repairIndex(dir, size);
      const log = await open(logPath, "a");
      const indexFd = openSync(join(dir, INDEX), "a");
      return new FileLedger(dir, log, indexFd, size, seq);
    } catch (e) {
      unlock(dir);
      throw e;
    }
  }

  append(events: readonly NewEvent[]): Promise<LedgerEvent[]> {
    if (this.closed) return Promise.reject(new Error(`the run store ${this.dir} is closed`));
    if (this.failed) return Promise.reject(this.failed);
    const numbered = events.map((e) => ({ seq: ++this.seq, ...e }) as LedgerEvent);
    for (const e of numbered) {
      this.pending.push(JSON.stringify(e) + "\n");
      this.pendingJobs.push(e.job);
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve: () => resolve(numbered), reject });
      this.flushing ??= new Promise<void>((r) => setImmediate(r)).then(() => this.flushLoop());
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length) {
      const lines = this.pending;
      const jobs = this.pendingJobs;
      const waiters = this.waiters;
      this.pending = [];
      this.pendingJobs = [];
      this.waiters = [];
      try {
        if (this.failed) throw this.failed;
        const buf = Buffer.from(lines.join(""), "utf8");
        let done = 0;
        while (done < buf.length) done += (await this.log.write(buf, done, buf.length - done)).bytesWritten;
        await this.log.datasync();
        const offset = this.size;
        this.size += buf.length;
        const index = [...new Set(jobs)].map((j) => JSON.stringify({ j, o: offset, n: buf.length }) + "\n").join("");
        writeSync(this.indexFd, index);
        for (const w of waiters) w.resolve();
      } catch (e) {
        this.failed ??= new Error(`the run store ${this.dir} failed to write: ${(e as Error).message}`);
        for (const w of waiters) w.reject(this.failed);
      }
    }
    this.flushing = undefined;
  }

  jobEvents(jobId: string): LedgerEvent[] {
    return this.reader.jobEvents(jobId);
  }

  allEvents(): LedgerEvent[] {
    return this.reader.allEvents();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.log.close();
    closeSync(this.indexFd);
    unlock(this.dir);
  }
}

/** Drops index entries past the log's end and indexes the log's unindexed tail. */
function repairIndex(dir: string, logSize: number): void {
  const { entries, covered, clean } = readIndex(dir, logSize);
  if (!clean) {
    const tmp = join(dir, `${INDEX}.tmp`);
    writeFileSync(tmp, entries.map((e) => JSON.stringify(e) + "\n").join(""));
    renameSync(tmp, join(dir, INDEX));
  }
  if (covered >= logSize) return;
  const fd = openSync(join(dir, LOG), "r");
  let jobs: Set<string>;
  try {
    jobs = new Set(parseLines(readRange(fd, covered, logSize - covered).toString("utf8")).map((e) => e.job));
  } finally {
    closeSync(fd);
  }
  const lines = [...jobs].map((j) => JSON.stringify({ j, o: covered, n: logSize - covered }) + "\n").join("");
  const ifd = openSync(join(dir, INDEX), "a");
  try {
    writeSync(ifd, lines);
  } finally {
    closeSync(ifd);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function lock(dir: string): void {
  const path = join(dir, LOCK);
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new LedgerBusyError(dir, pid);
      rmSync(path, { force: true });
    }
  }
  throw new LedgerBusyError(dir, Number.parseInt(readFileSync(path, "utf8"), 10));
}

function unlock(dir: string): void {
  const path = join(dir, LOCK);
  try {
    if (Number.parseInt(readFileSync(path, "utf8"), 10) === process.pid) rmSync(path, { force: true });
  } catch {
    // already gone
  }
}

/** Whether a directory holds a run store. */
export function isStore(dir: string): boolean {
  return existsSync(join(dir, LOG)) && statSync(join(dir, LOG)).isFile();
}
