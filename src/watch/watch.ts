import { statSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import { watch as chokidarWatch } from "chokidar";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { fails, hasErrors } from "../diagnostics/diagnostic.js";
import { diagnostic, internalError } from "../diagnostics/codes.js";
import { buildFromSources, outputScopes, type BuildSelection } from "../emit/build.js";
import { commitPlan, planOutput, previousOutputs, type Plan } from "../emit/write.js";
import { TemplateCache } from "../render/render.js";
import { isSkipped } from "../load/places.js";
import { IncrementalBrain } from "./incremental.js";

/** What `brainc build --watch` watches and where it writes. */
export interface WatchOptions extends BuildSelection {
  /** Absolute path of the brain root. */
  root: string;
  /** Absolute path of the output folder. */
  out: string;
  /** Where module paths of `target` resolve. */
  cwd: string;
  /** Treat warnings as errors (keep the last good output when there are any). */
  strict?: boolean;
  /** Quiet time after a file event before rebuilding, ms (editors save in bursts: temp file, rename). Default 30. */
  debounceMs?: number;
}

/** The outcome of one build (the first one, or a rebuild after file events). */
export interface Rebuild {
  /** 0 for the first build, then 1, 2, … */
  seq: number;
  /** Brain-relative paths read again or dropped (sorted); every file for the first build. */
  changed: string[];
  diagnostics: Diagnostic[];
  /** What was written; absent when the build failed and the output was left as it was. */
  plan?: Plan;
  /** Number of files the build produces (all targets and environments). */
  files: number;
  /** Milliseconds from the first file event of the batch (the start, for the first build) to the outputs written. */
  ms: number;
}

/** A running watch; `close()` stops it (and waits for a rebuild under way to finish). */
export interface Watching {
  /** Resolves after the first build. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the brain once, then again after every change under `root`, re-reading only the files that
 * changed ({@link IncrementalBrain}) and writing through the same plan/apply path as `brainc build`
 * (unchanged files are not rewritten; stale files brainc wrote, such as those of a renamed agent, are
 * removed). A build with errors (or warnings, with `strict`) writes nothing, so the last good output
 * stays. File events within `debounceMs` of each other make one rebuild; events that change no file's
 * text make none. `onRebuild` is called after every build. Files under `out`, dotfiles and README.md
 * never trigger a rebuild.
 */
export function watchBrain(options: WatchOptions, onRebuild: (rebuild: Rebuild) => void): Watching {
  const brain = new IncrementalBrain(options.root);
  // Compiled templates are kept across rebuilds: an edit recompiles only the templates it changed.
  const templates = new TemplateCache();
  const debounceMs = options.debounceMs ?? 30;
  const outInside = relative(options.root, options.out);
  const ignoreOut = outInside !== "" && !outInside.startsWith("..") && !isAbsolute(outInside);
  const pending = new Set<string>();
  let firstEventAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let closed = false;
  let seq = 0;

  const rebuild = async (changed: string[] | undefined, startedAt: number) => {
    try {
      await build(changed, startedAt);
    } catch (e) {
      onRebuild({ seq: seq++, changed: changed ?? [], diagnostics: [internalError(e)], files: 0, ms: Math.round(performance.now() - startedAt) });
    }
  };

  const build = async (changed: string[] | undefined, startedAt: number) => {
    const loaded = await brain.load(changed);
    if (changed !== undefined && loaded.reread.length === 0) return; // only folders, skipped files, or events already handled
    const result = await buildFromSources(loaded, options.root, options, options.cwd, { previous: previousOutputs(options.out), templates });
    const diagnostics = result.diagnostics;
    const files = result.outputs.flatMap((o) => o.files);
    let plan: Plan | undefined;
    if (!fails(diagnostics, options.strict)) {
      const scopes = outputScopes(result, options.out, options.env);
      const planned = planOutput(options.out, files, scopes);
      diagnostics.push(...planned.diagnostics);
      if (!hasErrors(planned.diagnostics)) {
        const failedWrite = commitPlan(options.out, planned.plan, files, scopes, options.out);
        diagnostics.push(...failedWrite);
        if (!failedWrite.length) plan = planned.plan;
      }
    }
    onRebuild({ seq: seq++, changed: loaded.reread, diagnostics, plan, files: files.length, ms: Math.round(performance.now() - startedAt) });
  };

  const flush = () => {
    timer = undefined;
    if (busy || closed || !pending.size) return;
    const changed = [...pending];
    const startedAt = firstEventAt ?? performance.now();
    pending.clear();
    firstEventAt = undefined;
    busy = true;
    running = rebuild(changed, startedAt).finally(() => {
      busy = false;
      if (pending.size && !closed) timer = setTimeout(flush, debounceMs);
    });
  };

  const onEvent = (path: string) => {
    const rel = relative(options.root, path).split(sep).join("/");
    if (!rel || rel.startsWith("..")) return;
    firstEventAt ??= performance.now();
    pending.add(rel);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  };

  const ignored = (path: string) => {
    const rel = relative(options.root, path);
    if (!rel || rel.startsWith("..")) return false;
    if (ignoreOut && (rel === outInside || rel.startsWith(outInside + sep))) return true;
    return rel.split(sep).some(isSkipped);
  };
  // Editors' save patterns (write a temporary file, rename it over the original) are handled by the
  // debounce, by listing the tree again on every rebuild, and by the raw events below.
  const watcher = chokidarWatch(options.root, { ignoreInitial: true, atomic: false, ignored });
  for (const event of ["add", "change", "unlink", "addDir", "unlinkDir"] as const) watcher.on(event, onEvent);
  // chokidar 5 can miss a file renamed over a watched one while it is still settling the previous event
  // for that file (seen under load); the watched folder's raw event for the name is a reliable second
  // signal. Duplicates cost nothing: a file read again with the same text makes no rebuild.
  watcher.on("raw", (_event, name: string | null, details) => {
    const watched = (details as { watchedPath?: string } | undefined)?.watchedPath;
    if (!watched || !name) return;
    const path = isDirectory(watched) ? join(watched, name) : watched;
    if (!ignored(path)) onEvent(path);
  });

  const ready = new Promise<void>((resolveReady, reject) => {
    watcher.once("ready", () => {
      const startedAt = performance.now();
      busy = true;
      running = rebuild(undefined, startedAt).finally(() => {
        busy = false;
        if (pending.size && !closed) timer = setTimeout(flush, debounceMs);
      });
      running.then(resolveReady, reject);
    });
    watcher.once("error", reject);
  });
  let isReady = false;
  ready.then(() => (isReady = true), () => undefined);
  watcher.on("error", (e) => {
    if (!isReady) return; // rejects `ready`
    const message = `the file watcher failed: ${(e as Error)?.message ?? String(e)}; rebuilds may be missed`;
    onRebuild({ seq: seq++, changed: [], diagnostics: [diagnostic("BRN900", message, { severity: "warning", hint: "on Linux, raise fs.inotify.max_user_watches; or restart brainc build --watch" })], files: 0, ms: 0 });
  });

  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await watcher.close();
      await running.catch(() => undefined);
    },
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
