/**
 * The ledger: an append-only, crash-safe record of every job's events. The embedded default,
 * {@link FileLedger}, needs no server and no native module: one JSON Lines log per store directory
 * (`ledger.jsonl`), written with group commit (all events appended while a write is under way go out
 * in the next single write + fdatasync) and acknowledged only after that fdatasync, so no acknowledged
 * event is lost when the process is killed (SIGKILL) or the machine loses power. A torn last line (a
 * write cut short by a crash, never acknowledged) is ignored by readers and cut off by the next writer.
 * `index.jsonl` maps jobs to the byte ranges of their lines in each batch; it is derived data,
 * written without fsync and repaired from the log on open. `writer.lock` holds the pid of the one
 * process that may append (a lock left by a dead process is taken over, by one process only).
 */
import { closeSync, existsSync, fdatasync as fdatasyncCallback, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync, writeSync, ftruncateSync } from "node:fs";
import { promisify } from "node:util";
import { join } from "node:path";
import { tryLock, unlock as unlockIfMine } from "./pid-lock.js";
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

const fdatasync = promisify(fdatasyncCallback);
const LOG = "ledger.jsonl";
const INDEX = "index.jsonl";
const LOCK = "writer.lock";
/** Gap (bytes) between two of a job's ranges that `jobEvents` reads through rather than seeking. */
const GAP = 16384;

interface IndexEntry {
  /** Job id. */
  j: string;
  /** Byte offset in the log of a run of consecutive lines of the job. */
  o: number;
  /** Byte length of the run. */
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

/**
 * A complete line of the log that is not a ledger event, so readers skip it: a hand edit or a damaged
 * disk (a crash only ever tears the last line, which has no newline yet and which readers never see).
 */
export interface BadLine {
  /** The log file. */
  file: string;
  /** 1-based line number in it. */
  line: number;
  /** What is wrong with the line. */
  problem: string;
}

type FieldType = "number" | "string" | "boolean";
/** The fields of every event, and those that each type adds, which the reports rely on. */
const BASE_FIELDS: Record<string, FieldType> = { seq: "number", t: "number", job: "string", agent: "string", task: "string", run: "number" };
const BUDGET_FIELDS: Record<string, FieldType> = { scope: "string", key: "string", period: "string", limitUsd: "number", spentUsd: "number", percent: "number" };
const TYPE_FIELDS: Record<LedgerEvent["type"], Record<string, FieldType>> = {
  "job.started": {},
  "llm.call": { step: "number", model: "string", attempt: "number", ok: "boolean", inputTokens: "number", outputTokens: "number", costUsd: "number", latencyMs: "number" },
  "tool.guard": { tool: "string", decision: "string" },
  "tool.call": { tool: "string", call: "number", ok: "boolean" },
  checkpoint: { step: "number", toolCalls: "number" },
  "budget.alert": BUDGET_FIELDS,
  "budget.exceeded": BUDGET_FIELDS,
  "context.compact": { step: "number", model: "string", usedTokens: "number", contextWindow: "number", percent: "number", compaction: "number" },
  "job.ended": { status: "string" },
};
/** Per event type, every field to check (the base fields first). */
const EVENT_FIELDS = new Map(Object.entries(TYPE_FIELDS).map(([type, fields]) => [type, Object.entries({ ...BASE_FIELDS, ...fields })]));

/** What is wrong with `v` as a field of type `want`, or undefined. */
function fieldProblem(key: string, v: unknown, want: FieldType): string | undefined {
  if (v === undefined) return `it has no ${JSON.stringify(key)}`;
  if (typeof v !== want || (want === "number" && !Number.isFinite(v))) return `its ${JSON.stringify(key)} is ${JSON.stringify(v).slice(0, 40)}, not a ${want}`;
  return undefined;
}

/** One line of the log as an event, or what is wrong with it. */
function parseEvent(line: string): { event: LedgerEvent } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { problem: (e as Error).message.replace(/[\u0000-\u001f\u007f]/g, "\ufffd") };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { problem: `it is ${JSON.stringify(value).slice(0, 40)}, not a JSON object` };
  const v = value as Record<string, unknown>;
  const fields = typeof v.type === "string" ? EVENT_FIELDS.get(v.type) : undefined;
  if (!fields) return { problem: v.type === undefined ? 'it has no "type"' : `its "type" ${JSON.stringify(v.type).slice(0, 40)} is no event type` };
  for (const [key, want] of fields) {
    const problem = fieldProblem(key, v[key], want);
    if (problem) return { problem };
  }
  return { event: value as LedgerEvent };
}

/** The `seq` of the last event among complete lines (a first line cut off by a read is not one), or undefined. */
function lastSeq(text: string): number | undefined {
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const parsed = lines[i] ? parseEvent(lines[i]) : undefined;
    if (parsed && "event" in parsed) return parsed.event.seq;
  }
  return undefined;
}

/**
 * Parses complete JSON lines; `onBad` is told of each line that is not an event (its index in `text`), which
 * is skipped. With `job`, only that job's lines (lines that do not contain its `"job":"<id>"` text are
 * skipped unparsed).
 */
function parseLines(text: string, job?: string, onBad?: (at: number, problem: string) => void): LedgerEvent[] {
  const out: LedgerEvent[] = [];
  const needle = job === undefined ? undefined : `"job":${JSON.stringify(job)}`;
  let start = 0;
  for (;;) {
    const end = text.indexOf("\n", start);
    if (end < 0) break;
    if (needle !== undefined) {
      const at = text.indexOf(needle, start);
      if (at < 0) break;
      if (at > end) {
        start = text.lastIndexOf("\n", at) + 1;
        continue;
      }
    }
    if (end > start) {
      const parsed = parseEvent(text.slice(start, end));
      if ("problem" in parsed) onBad?.(start, parsed.problem);
      else if (job === undefined || parsed.event.job === job) out.push(parsed.event);
    }
    start = end + 1;
  }
  return out;
}

/** Number of newlines in `text` from index `from` up to (not including) index `to`. */
function countNewlines(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
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

/** Reads the whole index (what a writer repairs): valid entries, the log bytes they cover, and whether it needs rewriting. */
function readIndex(dir: string, logSize: number): { entries: IndexEntry[]; covered: number; clean: boolean } {
  const path = join(dir, INDEX);
  if (!existsSync(path)) return { entries: [], covered: 0, clean: false };
  const text = readFileSync(path, "utf8");
  const entries: IndexEntry[] = [];
  let covered = 0;
  let clean = text.length === 0 || text.endsWith("\n");
  for (const line of text.split("\n")) {
    if (!line) continue;
    const e = parseEntry(line);
    if (!e || e.o + e.n > logSize) {
      clean = false;
      continue;
    }
    entries.push(e);
    covered = Math.max(covered, e.o + e.n);
  }
  return { entries, covered, clean };
}

function parseEntry(line: string): IndexEntry | undefined {
  try {
    return JSON.parse(line) as IndexEntry;
  } catch {
    return undefined;
  }
}

/**
 * Reads one job's index entries (only lines starting with its `{"j":"<id>",` are parsed) and the log
 * bytes the index covers (from its last valid entry; entries are appended in log order).
 */
function readJobIndex(dir: string, logSize: number, job: string): { entries: IndexEntry[]; covered: number } {
  const path = join(dir, INDEX);
  if (!existsSync(path)) return { entries: [], covered: 0 };
  const text = readFileSync(path, "utf8");
  const entries: IndexEntry[] = [];
  const needle = `{"j":${JSON.stringify(job)},`;
  for (let at = text.startsWith(needle) ? 0 : text.indexOf(`\n${needle}`); at >= 0; at = text.indexOf(`\n${needle}`, at + 1)) {
    const from = text[at] === "\n" ? at + 1 : at;
    const to = text.indexOf("\n", from);
    if (to < 0) break;
    const e = parseEntry(text.slice(from, to));
    if (e && e.o + e.n <= logSize) entries.push(e);
  }
  let covered = 0;
  for (let end = text.endsWith("\n") ? text.length - 1 : text.lastIndexOf("\n"); end > 0; ) {
    const from = text.lastIndexOf("\n", end - 1) + 1;
    const e = parseEntry(text.slice(from, end));
    if (e && e.o + e.n <= logSize) {
      covered = e.o + e.n;
      break;
    }
    end = from - 1;
  }
  return { entries, covered };
}

/** Reads a store without locking it (what `brainc runs` does); safe while a writer appends. */
export class LedgerReader {
  /** `onBadLine` is told of every complete line that is not a ledger event (skipped either way). */
  constructor(
    readonly dir: string,
    private readonly onBadLine?: (bad: BadLine) => void,
  ) {}

  /** Every event, in ledger order; a torn last line is ignored, other lines that are no events are skipped. */
  allEvents(): LedgerEvent[] {
    const path = join(this.dir, LOG);
    if (!existsSync(path)) return [];
    const fd = openSync(path, "r");
    try {
      const size = completeSize(fd);
      const text = readRange(fd, 0, size).toString("utf8");
      return parseLines(text, undefined, this.reporter(fd, 0, text));
    } finally {
      closeSync(fd);
    }
  }

  /** Turns the positions of bad lines in `text` (the log's bytes from `from`) into {@link BadLine}s for `onBadLine`. */
  private reporter(fd: number, from: number, text: string): ((at: number, problem: string) => void) | undefined {
    const onBadLine = this.onBadLine;
    if (!onBadLine) return undefined;
    let line: number | undefined;
    let counted = 0;
    return (at, problem) => {
      // counted on demand, from where the last bad line was: a healthy log costs nothing
      line ??= 1 + (from > 0 ? countNewlines(readRange(fd, 0, from).toString("latin1")) : 0);
      line += countNewlines(text, counted, at);
      counted = at;
      onBadLine({ file: join(this.dir, LOG), line, problem });
    };
  }

  /** One job's events through the index (plus the not yet indexed tail of the log). */
  jobEvents(jobId: string): LedgerEvent[] {
    const path = join(this.dir, LOG);
    if (!existsSync(path)) return [];
    const fd = openSync(path, "r");
    try {
      const size = completeSize(fd);
      const { entries, covered } = readJobIndex(this.dir, size, jobId);
      const ranges: [number, number][] = [];
      for (const e of entries) {
        if (e.j !== jobId) continue;
        const last = ranges[ranges.length - 1];
        // ranges are line-aligned, so a small gap between two is whole lines of other jobs: read through it
        if (last && e.o >= last[0] && e.o - last[1] <= GAP) last[1] = Math.max(last[1], e.o + e.n);
        else ranges.push([e.o, e.o + e.n]);
      }
      if (covered < size) ranges.push([covered, size]);
      return ranges.flatMap(([from, to]) => {
        const text = readRange(fd, from, to - from).toString("utf8");
        return parseLines(text, jobId, this.reporter(fd, from, text));
      });
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
    private readonly logFd: number,
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
      const created = !existsSync(logPath);
      const fd = openSync(logPath, "a+");
      if (created) {
        // make the new file's directory entry durable too
        fsyncSync(fd);
        const dfd = openSync(dir, "r");
        try {
          fsyncSync(dfd);
        } finally {
          closeSync(dfd);
        }
      }
      let size: number;
      let seq = 0;
      try {
        size = completeSize(fd);
        if (size < fstatSync(fd).size) ftruncateSync(fd, size);
        if (size > 0) {
          // The sequence goes on from the last event; a line that is not one (written by something else) is skipped.
          const tail = readRange(fd, Math.max(0, size - 65536), Math.min(size, 65536)).toString("utf8");
          seq = lastSeq(tail) ?? (size > 65536 ? lastSeq(readRange(fd, 0, size).toString("utf8")) : undefined) ?? 0;
        }
      } finally {
        closeSync(fd);
      }
      repairIndex(dir, size);
      const log = openSync(logPath, "a");
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
        // The write only copies into the page cache (fast, kept on the event loop); fdatasync waits for the disk.
        while (done < buf.length) done += writeSync(this.logFd, buf, done, buf.length - done);
        await fdatasync(this.logFd);
        const offset = this.size;
        this.size += buf.length;
        writeSync(this.indexFd, indexLines(lines, jobs, offset));
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
    closeSync(this.logFd);
    closeSync(this.indexFd);
    unlock(this.dir);
  }
}

/**
 * Index entries of one batch: for each job, the byte ranges of its lines (consecutive lines of a job
 * make one range), so that `runs show` reads only that job's lines.
 */
function indexLines(lines: readonly string[], jobs: readonly string[], offset: number): string {
  const last = new Map<string, IndexEntry>();
  const entries: IndexEntry[] = [];
  let at = offset;
  for (let i = 0; i < lines.length; i++) {
    const n = Buffer.byteLength(lines[i], "utf8");
    const prev = last.get(jobs[i]);
    if (prev && prev.o + prev.n === at) prev.n += n;
    else {
      const e = { j: jobs[i], o: at, n };
      entries.push(e);
      last.set(jobs[i], e);
    }
    at += n;
  }
  return entries.map((e) => JSON.stringify(e) + "\n").join("");
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

/**
 * Takes `writer.lock` (or throws {@link LedgerBusyError}): see {@link tryLock} (written under its own name
 * and linked into place; a dead holder's lock is taken over by one process only).
 */
function lock(dir: string): void {
  const busy = tryLock(join(dir, LOCK));
  if (busy !== undefined) throw new LedgerBusyError(dir, busy);
}

function unlock(dir: string): void {
  unlockIfMine(join(dir, LOCK));
}

/** Whether a directory holds a run store. */
export function isStore(dir: string): boolean {
  return existsSync(join(dir, LOG)) && statSync(join(dir, LOG)).isFile();
}
