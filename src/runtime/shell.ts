/**
 * Reads a shell command line the way a guard needs it: split into simple commands (shell-quote does the
 * POSIX tokenising: quotes, escapes, operators), each with its executable, arguments and redirections,
 * and rendered in a normal form for `denyPatterns` (single spaces, executable by base name, short flags
 * merged, sorted and put first, some long flags spelt short, every output redirection as `>`:
 * `/bin/rm -r -f  /`, `rm / -Rf` and `rm --recursive --force /` all read as `rm -fr /`).
 *
 * Commands run by other commands are read as commands of their own: through the wrappers in `WRAPPERS`
 * (whose options are known, so that `flock /tmp/l rm x` runs `rm`, `timeout -s KILL 5 rm x` too),
 * `sh -c '…'`, `eval`, `su -c`, `watch` and find's `-exec … ;`. Constructs whose effect cannot be known
 * before running (command substitution, subshells, process substitution, a command held in a variable,
 * several lines) are reported as problems; guards refuse them. Readings that may miss the program that
 * really runs (an option of a wrapper that is not known, `PATH=` before a command, a `for` or `case`
 * construct) are reported as doubts.
 */
import { basename } from "node:path";
import { parse, quote, type ParseEntry } from "shell-quote";

/** One simple command (no operators), possibly reached through a wrapper such as `sudo` or `sh -c`. */
export interface SimpleCommand {
  /** The executable as written (`/bin/rm`); empty for a statement that is only redirections (`> f`). */
  bin: string;
  /** Its base name (`rm`). */
  name: string;
  args: string[];
  /** Redirections, e.g. `{ op: ">", target: "/dev/sda" }`. */
  redirects: { op: string; target: string }[];
  /** The normal form, e.g. `rm -fr /`. */
  text: string;
  /** Variable assignments written before the command (`FOO=1 cmd`, `env FOO=1 cmd`). */
  assignments: string[];
  /**
   * Ranges `[from, to)` of `args` that are another command or command line, read as commands of their
   * own (`sudo rm x`, `sh -c '…'`, find's `-exec … ;`): they are not this command's operands.
   */
  nested: [number, number][];
  /**
   * Directories the command may run in, in order, each relative to the one before (`cd sub && ls`,
   * `env -C dir ls`); `-` stands for a directory that cannot be known (`cd -`, find's `-execdir`).
   */
  cwd: string[];
  /**
   * Why the command also acts on files only known when it runs (the names `xargs` reads, the files find
   * puts for `{}` or deletes); absent when it does not.
   */
  runtimeFiles?: string;
}

export interface ShellAnalysis {
  commands: SimpleCommand[];
  /** Normal forms to match `denyPatterns` against: the whole line, each statement, each command. */
  texts: string[];
  /** Why the command cannot be checked; empty when it can. */
  problems: string[];
  /**
   * Why the program that really runs may not be the one read (an option of a wrapper that is not known,
   * `PATH=` before a command, a shell construct that is not read); empty when there is no doubt.
   */
  doubts: string[];
}

type LongKind = "" | "=" | "?";

/** What a guard must know of a command that runs another one. */
interface WrapperSpec {
  /** getopt-style short options: a letter followed by `:` takes a value, by `::` an optional attached one. */
  short: string;
  /**
   * Long options, space-separated: `name` takes no value, `name=` a value (after `=` or as the next
   * word), `name=?` an optional one after `=`.
   */
  long?: string;
  /** Operands before the command: flock's lock file, chroot's new root, timeout's duration. */
  operands?: number;
  /** A lone `-` is an option (env's `-`, su's `-`). */
  dashIsOption?: boolean;
  /** `-5` and `--5` are options (nice). */
  numeric?: boolean;
  /** Options whose value is a command line (`su -c`, `env -S`). */
  lines?: string[];
  /** Options whose value is the directory the command runs in (`env -C`, `sudo -D`). */
  dirs?: string[];
  /** Options after which the operands are not a command (`sudo -e`, `ionice -p`). */
  noCommand?: string[];
  /** Options after which the command runs as written, not joined into a line for `sh -c` (watch's `-x`). */
  exec?: string[];
  /** The remaining words are joined into one line for `sh -c` (watch). */
  joined?: boolean;
  /** Runs the command with names read from its input (xargs); `-I` style options put them in place. */
  input?: { replace: string[] };
  /** Options are read anywhere and operands after the first are handed to a shell (su). */
  permute?: boolean;
  /** Why the command runs inside another root directory (chroot, `sudo -R`). */
  root?: string[];
}

const HELP = { help: "", version: "" } as const;
const SU: WrapperSpec = {
  short: "c:fg:G:lmpPs:w:hV",
  long: "command= session-command= fast group= supp-group= login preserve-environment pty shell= whitelist-environment= help version",
  dashIsOption: true,
  lines: ["c", "command", "session-command"],
  permute: true,
};

/** Commands that run another command given as their arguments, with the options they take. */
const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: {
    short: "Aa:BbC:c:D:Eeg:Hh::iKklNnp:R:r:SsT:t:U:u:Vv",
    long: "askpass auth-type= background bell close-from= login-class= chdir= preserve-env=? edit group= set-home host= login remove-timestamp reset-timestamp list non-interactive preserve-groups prompt= chroot= role= stdin shell type= command-timeout= other-user= user= validate help version",
    dirs: ["D", "chdir"],
    noCommand: ["e", "edit", "K", "remove-timestamp", "V", "version", "help"],
    root: ["R", "chroot"],
  },
  doas: { short: "a:C:Lnsu:", noCommand: ["C", "L"] },
  pkexec: { short: "", long: "user= disable-internal-agent keep-cwd help version" },
  su: SU,
  runuser: SU,
  env: {
    short: "0C:iS:u:v",
    long: "ignore-environment null unset= chdir= debug split-string= block-signal=? default-signal=? ignore-signal=? list-signal-handling help version",
    dashIsOption: true,
    dirs: ["C", "chdir"],
    lines: ["S", "split-string"],
  },
  nice: { short: "n:", long: "adjustment= help version", numeric: true },
  nohup: { short: "", long: "help version" },
  time: { short: "af:o:pqvV", long: "append format= output= portability quiet verbose help version" },
  timeout: { short: "k:s:v", long: "foreground kill-after= preserve-status signal= verbose help version", operands: 1 },
  xargs: {
    short: "0a:d:E:e::I:i::L:l::n:oP:prs:tx",
    long: "null arg-file= delimiter= eof=? replace=? max-lines=? max-args= open-tty interactive no-run-if-empty max-chars= verbose show-limits exit max-procs= process-slot-var= help version",
    input: { replace: ["I", "i", "replace"] },
  },
  command: { short: "pvV", noCommand: ["v", "V"] },
  builtin: { short: "" },
  exec: { short: "a:cl" },
  stdbuf: { short: "e:i:o:", long: "input= output= error= help version" },
  busybox: { short: "" },
  ionice: { short: "c:n:p:P:tu:", long: "class= classdata= pid= pgid= ignore uid= help version", noCommand: ["p", "P", "u", "pid", "pgid", "uid"] },
  setsid: { short: "cfw", long: "ctty fork wait help version" },
  chroot: { short: "", long: "userspec= groups= skip-chdir help version", operands: 1, root: [] },
  unbuffer: { short: "p" },
  watch: {
    short: "bCcd::eghn:pq:rtvwx",
    long: "beep color no-color differences=? errexit chgexit equexit= interval= precise no-rerun no-title no-wrap exec help version",
    joined: true,
    exec: ["x", "exec"],
  },
  // util-linux flock: FILE then the command, or FILE -c LINE (handled where the command starts)
  flock: { short: "sexnoFuw:E:hV", long: "shared exclusive unlock nonblock nb close no-fork timeout= wait= conflict-exit-code= verbose help version", operands: 1 },
};
/** Shells whose `-c` argument is itself a command line. */
const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "ash", "fish"]);
/** find's actions that run a command up to `;` (or `{} +`). */
const FIND_EXEC = new Set(["-exec", "-execdir", "-ok", "-okdir"]);
/** Reserved words that come before a command (`if cmd`, `then cmd`, `! cmd`, `{ cmd`) or end a construct alone. */
const RESERVED = new Set(["!", "{", "}", "if", "then", "elif", "else", "fi", "while", "until", "do", "done", "esac"]);
/** Shell constructs that are not read. */
const COMPOUND = new Set(["for", "case", "select", "function", "coproc", "[["]);
/** Builtins whose operands are assignments. */
const DECLARE = new Set(["export", "declare", "typeset", "readonly", "local"]);
/** Programs whose single-dash words are long options, not clusters of short flags. */
const NO_MERGE = new Set(["find"]);
/** Variables that change which program runs, what it loads, or how the shell splits and finds things. */
const RISKY_VARIABLE = /^(PATH|LD_[A-Za-z0-9_]+|DYLD_[A-Za-z0-9_]+|BASH_ENV|ENV|SHELLOPTS|BASHOPTS|IFS|CDPATH)\+?=/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;
const STATEMENT_OPS = new Set([";", "&&", "||", "&", ";;"]);
const PIPE_OPS = new Set(["|", "|&"]);
const REDIRECT_OPS = new Set([">", ">>", "<", ">&", "<&", "&>", ">|", "<>", "&>>"]);
const VAR = "\u0001";

/**
 * Long options, by program, that the normal form spells as a short flag (`rm --recursive` reads as
 * `rm -r`; an empty letter keeps the long option, spelt in full), so that `--rec` reads as `--recursive`.
 */
const LONG_FLAGS: Record<string, Record<string, string>> = {
  rm: { recursive: "r", force: "f", dir: "d", verbose: "v", interactive: "", "one-file-system": "", "no-preserve-root": "", "preserve-root": "", ...HELP },
  chmod: { recursive: "R", verbose: "v", changes: "c", silent: "f", quiet: "f", reference: "", "no-preserve-root": "", "preserve-root": "", ...HELP },
  chown: {
    recursive: "R", verbose: "v", changes: "c", silent: "f", quiet: "f", dereference: "", "no-dereference": "h", from: "", reference: "", "no-preserve-root": "",
    "preserve-root": "", ...HELP,
  },
  chgrp: { recursive: "R", verbose: "v", changes: "c", silent: "f", quiet: "f", dereference: "", "no-dereference": "h", reference: "", "no-preserve-root": "", "preserve-root": "", ...HELP },
};
/** Short flags, by program, that mean the same as another (`rm -R` is `rm -r`). */
const SAME_FLAGS: Record<string, Record<string, string>> = { rm: { R: "r" } };

type Token = string | { op: string };

interface Context {
  problems: string[];
  doubts: string[];
  /** Extra normal forms to match patterns against (readings of what a wrapper not understood may run). */
  texts: string[];
  commands: SimpleCommand[];
}

/** Where and how a simple command runs. */
interface Place {
  cwd: string[];
  runtimeFiles?: string;
  /** The command gets more operands at its end when it runs (xargs): its normal form ends in `{}`. */
  appendInput?: boolean;
}

const plain = (s: string): string => s.replaceAll(VAR, "$");

function tokens(line: string, problems: string[]): Token[] {
  let entries: ParseEntry[];
  try {
    entries = parse(line, (name) => `${VAR}${name}`);
  } catch (e) {
    problems.push(`cannot parse the command: ${(e as Error).message}`);
    return [];
  }
  const out: Token[] = [];
  for (const e of entries) {
    if (typeof e === "string") {
      if (e.includes("`")) problems.push("command substitution (`…`) cannot be checked");
      out.push(e);
    } else if ("comment" in e) break;
    else if ("op" in e && e.op === "glob") out.push((e as { pattern: string }).pattern);
    else if ("op" in e) {
      if (e.op === "(" || e.op === ")" || e.op === "<(" || e.op === ">(") {
        if (!problems.some((p) => p.startsWith("subshells"))) problems.push("subshells, $(…) and process substitution cannot be checked");
        continue;
      }
      out.push({ op: e.op });
    }
  }
  return out;
}

/** The long option `key` names in `longs`: itself, or the only one it abbreviates (`--rec`). */
function longName(longs: Record<string, unknown>, key: string): string | undefined {
  if (!key) return undefined;
  if (Object.hasOwn(longs, key)) return key;
  const hits = Object.keys(longs).filter((n) => n.startsWith(key));
  return hits.length === 1 ? hits[0] : undefined;
}

/**
 * Normal words of one command: short-flag clusters (`-r -f`, `-rf`, `-fr`, `-R` for rm) merged into one
 * sorted cluster right after the name, known long flags spelt short or in full, the rest in order.
 */
function normalWords(name: string, args: string[]): string[] {
  if (NO_MERGE.has(name)) return [name, ...args];
  const longs = LONG_FLAGS[name];
  const same = SAME_FLAGS[name] ?? {};
  const letters = new Set<string>();
  const rest: string[] = [];
  let endOfOptions = false;
  for (const a of args) {
    if (endOfOptions) rest.push(a);
    else if (a === "--") {
      endOfOptions = true;
      rest.push(a);
    } else if (/^-[A-Za-z]+$/.test(a)) for (const c of a.slice(1)) letters.add(same[c] ?? c);
    else if (longs && /^--[^-]/.test(a)) {
      const eq = a.indexOf("=");
      const full = longName(longs, eq < 0 ? a.slice(2) : a.slice(2, eq));
      if (full === undefined) rest.push(a);
      else if (eq < 0 && longs[full]) letters.add(longs[full]);
      else rest.push(`--${full}${eq < 0 ? "" : a.slice(eq)}`);
    } else rest.push(a);
  }
  return letters.size ? [name, `-${[...letters].sort().join("")}`, ...rest] : [name, ...rest];
}

/** Every output redirection (`>>`, `>|`, `&>`, `2>` …) reads as `>`, every input one as `<`. */
function normalRedirect(op: string): string {
  return op === "<" || op === "<&" ? "<" : ">";
}

interface ReadOption {
  name: string;
  value?: string;
  /** The index of the word that holds the value (or the option, when it has none). */
  at: number;
}

/**
 * Reads a wrapper's options like getopt: up to the first operand (or, with `permute`, all of them).
 * `unknown` is the index of the first word that is not one of its options.
 */
function getopt(spec: WrapperSpec, words: string[]): { options: ReadOption[]; end: number; operands: number[]; unknown?: number } {
  const short = new Map<string, string>();
  for (const m of spec.short.matchAll(/([A-Za-z0-9])(:{0,2})/g)) short.set(m[1], m[2]);
  const longs: Record<string, LongKind> = {};
  for (const l of (spec.long ?? "").split(" ").filter(Boolean)) {
    const [name, kind] = l.endsWith("=?") ? [l.slice(0, -2), "?" as const] : l.endsWith("=") ? [l.slice(0, -1), "=" as const] : [l, "" as const];
    longs[name] = kind;
  }
  const options: ReadOption[] = [];
  const operands: number[] = [];
  let i = 0;
  const stop = (unknown?: number) => ({ options, end: i, operands, ...(unknown === undefined ? {} : { unknown }) });
  while (i < words.length) {
    const w = words[i];
    if (w === "--") {
      i++;
      if (spec.permute) while (i < words.length) operands.push(i++);
      return stop();
    }
    if (w === "-" && spec.dashIsOption) {
      options.push({ name: "-", at: i++ });
      continue;
    }
    if (spec.numeric && /^--?\d+$/.test(w)) {
      options.push({ name: "n", value: w.replace(/^--?/, ""), at: i++ });
      continue;
    }
    if (w.startsWith("--")) {
      const eq = w.indexOf("=");
      const name = longName(longs, eq < 0 ? w.slice(2) : w.slice(2, eq));
      if (name === undefined) return stop(i);
      const kind = longs[name];
      if (kind === "" && eq >= 0) return stop(i);
      if (kind === "=" && eq < 0) {
        if (i + 1 >= words.length) return stop(i);
        options.push({ name, value: words[i + 1], at: i + 1 });
        i += 2;
      } else options.push({ name, ...(eq < 0 ? {} : { value: w.slice(eq + 1) }), at: i++ });
      continue;
    }
    if (w.startsWith("-") && w.length > 1) {
      let next = i + 1;
      for (let k = 1; k < w.length; k++) {
        const kind = short.get(w[k]);
        if (kind === undefined) return stop(i);
        if (kind === "") {
          options.push({ name: w[k], at: i });
          continue;
        }
        const rest = w.slice(k + 1);
        if (rest || kind === "::") options.push({ name: w[k], ...(rest ? { value: rest } : {}), at: i });
        else {
          if (next >= words.length) return stop(i);
          options.push({ name: w[k], value: words[next], at: next });
          next++;
        }
        break;
      }
      i = next;
      continue;
    }
    if (!spec.permute) return stop();
    operands.push(i++);
  }
  return stop();
}

/** Reads what a wrapper runs; returns its own words (options and operands before the command) and the command. */
function wrapper(cmd: SimpleCommand, spec: WrapperSpec, raw: string[], ctx: Context, depth: number, at: Place): { own: string[]; inner?: SimpleCommand } {
  const read = getopt(spec, raw);
  if (read.unknown !== undefined) {
    ctx.doubts.push(`${cmd.name}: "${plain(raw[read.unknown])}" is not an option known to the guard, so what ${cmd.name} runs cannot be told`);
    // any later word may be the command: match the patterns against every reading
    for (let k = read.unknown + 1; k < raw.length; k++) ctx.texts.push(plain(normalWords(basename(raw[k]), raw.slice(k + 1)).join(" ")));
    return { own: raw };
  }
  const named = (names: string[] | undefined) => read.options.filter((o) => names?.includes(o.name));
  const cwd = [...at.cwd, ...named(spec.dirs).flatMap((o) => (o.value === undefined ? [] : [o.value]))];
  if (spec.root && (spec.root.length === 0 || named(spec.root).length)) ctx.doubts.push(`${cmd.name} runs the command inside another root directory, where its program and paths cannot be checked`);
  const lines = named(spec.lines).filter((o) => o.value !== undefined);
  if (lines.length && !spec.permute) {
    // env -S LINE [operands]: splits LINE (its own way; read here as a shell line) and appends the operands
    ctx.doubts.push(`${cmd.name} -S splits its string by its own rules, which the guard reads as a shell line`);
    const rest = raw.slice(read.end);
    for (const o of lines) {
      nested(`${o.value} ${quote(rest)}`, ctx, depth + 1, cwd);
      cmd.nested.push([o.at, o.at + 1]);
    }
    if (rest.length) cmd.nested.push([read.end, raw.length]);
    return { own: raw };
  }
  for (const o of lines) {
    nested(o.value!, ctx, depth + 1, cwd);
    cmd.nested.push([o.at, o.at + 1]);
  }
  if (spec.permute) {
    // su [options] [user [shell arguments…]]: the arguments go to the user's shell
    const extra = read.operands.slice(1);
    if (extra.length) {
      ctx.doubts.push(`${cmd.name} hands "${extra.map((i) => plain(raw[i])).join(" ")}" to the user's shell`);
      simple(["sh", ...extra.map((i) => raw[i])], [], ctx, depth + 1, { cwd });
      for (const i of extra) cmd.nested.push([i, i + 1]);
    }
    return { own: raw };
  }
  if (named(spec.noCommand).length) return { own: raw };
  const start = read.end + (spec.operands ?? 0);
  if (start >= raw.length) return { own: raw };
  if (cmd.name === "flock" && (raw[start] === "-c" || raw[start] === "--command")) {
    if (raw[start + 1] !== undefined) nested(raw[start + 1], ctx, depth + 1, cwd);
    cmd.nested.push([start, raw.length]);
    return { own: raw };
  }
  cmd.nested.push([start, raw.length]);
  if (spec.joined && !named(spec.exec).length) {
    nested(raw.slice(start).join(" "), ctx, depth + 1, cwd);
    return { own: raw };
  }
  // what xargs appends, and the files find passes, reach the command behind any further wrapper
  const input = spec.input
    ? { runtimeFiles: `${cmd.name} runs ${plain(basename(raw[start]))} on names it reads from its input`, appendInput: !named(spec.input.replace).length }
    : { ...(at.runtimeFiles ? { runtimeFiles: at.runtimeFiles } : {}), ...(at.appendInput ? { appendInput: true } : {}) };
  const inner = simple(raw.slice(start), [], ctx, depth + 1, { cwd, ...input });
  return { own: raw.slice(0, start), inner };
}

/** find's `-exec cmd … ;` (and `-execdir`, `-ok`, `-okdir`, `{} +`): each command read as a command of its own. */
function findActions(cmd: SimpleCommand, raw: string[], ctx: Context, depth: number, at: Place): void {
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === "-delete") cmd.runtimeFiles = "find deletes the files it finds";
    if (!FIND_EXEC.has(raw[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < raw.length && raw[end] !== ";" && !(raw[end] === "+" && raw[end - 1] === "{}")) end++;
    const words = raw.slice(start, end);
    const cwd = raw[i].endsWith("dir") ? [...at.cwd, "-"] : at.cwd;
    const runtimeFiles = words.some((w) => w.includes("{}")) ? `find runs ${plain(basename(words[0] ?? ""))} on the files it finds ({})` : undefined;
    simple(words, [], ctx, depth + 1, { cwd, ...(runtimeFiles ? { runtimeFiles } : {}) });
    cmd.nested.push([start, Math.min(end + 1, raw.length)]);
    i = end;
  }
}

function simple(words: string[], redirects: SimpleCommand["redirects"], ctx: Context, depth: number, at: Place): SimpleCommand | undefined {
  let i = 0;
  while (i < words.length && RESERVED.has(words[i])) i++;
  const assignments: string[] = [];
  while (i < words.length && ASSIGNMENT.test(words[i])) assignments.push(words[i++]);
  for (const a of assignments) if (RISKY_VARIABLE.test(a)) ctx.doubts.push(`setting ${a.slice(0, a.indexOf("="))} changes which program runs or how`);
  if (i >= words.length && !redirects.length) return undefined;
  const bin = words[i] ?? "";
  const raw = words.slice(i + 1);
  if (bin.includes(VAR)) ctx.problems.push("the command to run comes from a variable and cannot be checked");
  const name = bin ? basename(bin) : "";
  const cmd: SimpleCommand = {
    bin: plain(bin),
    name: plain(name),
    args: raw.map(plain),
    redirects: redirects.map((r) => ({ op: r.op, target: plain(r.target) })),
    text: "",
    assignments: assignments.map(plain),
    nested: [],
    cwd: at.cwd,
    ...(at.runtimeFiles ? { runtimeFiles: at.runtimeFiles } : {}),
  };
  ctx.commands.push(cmd);
  let own = raw;
  let inner: SimpleCommand | undefined;
  if (COMPOUND.has(name)) {
    ctx.doubts.push(`the shell construct "${name}" is not read, so the commands in it cannot be checked`);
    // any later word may start a command in it (`function f { rm -rf /`): match the patterns against every reading
    for (let k = 0; k < raw.length; k++) ctx.texts.push(plain(normalWords(basename(raw[k]), raw.slice(k + 1)).join(" ")));
  }
  if (DECLARE.has(name)) for (const a of raw) if (RISKY_VARIABLE.test(a)) ctx.doubts.push(`setting ${a.slice(0, a.indexOf("="))} changes which program runs or how`);
  if (depth > 8) ctx.problems.push("commands nested too deeply");
  else if (SHELLS.has(name)) {
    const c = raw.findIndex((a) => /^-[A-Za-z]*c[A-Za-z]*$/.test(a));
    if (c >= 0 && raw[c + 1] !== undefined) {
      nested(raw[c + 1], ctx, depth + 1, at.cwd);
      cmd.nested.push([c + 1, raw.length]);
    } else if (raw.length === 0 || raw.every((a) => a.startsWith("-"))) ctx.problems.push(`${name} reading commands from its input cannot be checked`);
  } else if (name === "eval") {
    nested(raw.join(" "), ctx, depth + 1, at.cwd);
    cmd.nested.push([0, raw.length]);
  } else if (name === "find") findActions(cmd, raw, ctx, depth, at);
  else if (Object.hasOwn(WRAPPERS, name)) ({ own, inner } = wrapper(cmd, WRAPPERS[name], raw, ctx, depth, at));
  const words2 = [...normalWords(name, own), ...(inner ? [inner.text] : at.appendInput ? ["{}"] : [])];
  cmd.text = plain([...words2, ...redirects.flatMap((r) => [normalRedirect(r.op), r.target])].join(" "));
  return cmd;
}

function nested(line: string, ctx: Context, depth: number, cwd: string[]): void {
  const inner = analyze(line, depth, cwd);
  ctx.problems.push(...inner.problems);
  ctx.doubts.push(...inner.doubts);
  ctx.commands.push(...inner.commands);
  ctx.texts.push(...inner.texts);
}

/** The directory a `cd`, `pushd` or `popd` moves to: as written, `~` for none, `-` when it cannot be known. */
function directoryChange(c: SimpleCommand): string | undefined {
  if (c.name === "popd") return "-";
  if (c.name !== "cd" && c.name !== "pushd" && c.name !== "chdir") return undefined;
  const operands = c.args.filter((a) => !/^-[LPe@]+$/.test(a) && a !== "--");
  if (operands.length === 0) return c.name === "pushd" ? "-" : "~";
  return operands[0] === "-" || /^[+-]\d+$/.test(operands[0]) ? "-" : operands[0];
}

function analyze(line: string, depth: number, cwd: string[]): ShellAnalysis {
  const ctx: Context = { problems: [], doubts: [], texts: [], commands: [] };
  if (/[\r\n]/.test(line)) ctx.problems.push("commands on several lines cannot be checked");
  const toks = tokens(line, ctx.problems);
  const statements: string[] = [];
  let dir = cwd;
  let words: string[] = [];
  let redirects: SimpleCommand["redirects"] = [];
  let statement: string[] = [];
  const endCommand = () => {
    const before = ctx.commands.length;
    const cmd = simple(words, redirects, ctx, depth, { cwd: dir });
    if (cmd) statement.push(cmd.text);
    // a `cd` anywhere in the command (even one that fails or runs in a pipeline) may move later commands
    for (const c of ctx.commands.slice(before)) {
      const to = directoryChange(c);
      if (to !== undefined) dir = [...dir, to];
    }
    words = [];
    redirects = [];
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (typeof t === "string") {
      words.push(t);
      continue;
    }
    if (REDIRECT_OPS.has(t.op)) {
      const target = toks[i + 1];
      if (typeof target === "string") {
        // `2>&1` duplicates a descriptor; anything else names a file
        if (!(t.op.includes("&") && /^[0-9-]+$/.test(target))) redirects.push({ op: t.op, target });
        i++;
      }
      if (/^[0-9]+$/.test(words[words.length - 1] ?? "") && words.length > 1) words.pop();
      continue;
    }
    endCommand();
    if (PIPE_OPS.has(t.op)) statement.push("|");
    else if (STATEMENT_OPS.has(t.op)) {
      statements.push(statement.join(" "));
      statement = [];
    }
  }
  endCommand();
  statements.push(statement.join(" "));
  const said = statements.filter(Boolean);
  const texts = [...new Set([said.join(" ; "), ...said, ...ctx.commands.map((c) => c.text), ...ctx.texts].filter((t) => t.trim()))];
  return { commands: ctx.commands, texts, problems: [...new Set(ctx.problems)], doubts: [...new Set(ctx.doubts)] };
}

/** Analyses a command line; `cwd` lists directories it starts in, relative to the workspace (see `SimpleCommand.cwd`). */
export function analyzeCommand(line: string, cwd: string[] = []): ShellAnalysis {
  return analyze(line, 0, cwd);
}

/**
 * The normal form of a `denyPatterns` entry, so that `rm -rf /` also matches `rm -r -f /` and
 * `* > /dev/sd*` also matches `echo x>>/dev/sda`: operators spaced (`|`; `;`, `&&` and `||` as ` ; `),
 * redirections as `>` or `<`, and each command's words as in a command's normal form.
 */
export function normalPattern(pattern: string): string {
  const spaced = pattern
    .trim()
    .replace(/(^|\s)[0-9]+(?=[<>])/g, "$1")
    .replace(/&>>|&>|>>|>\||>&|<>|>/g, " > ")
    .replace(/<&?/g, " < ")
    .replace(/\s*(\|\||&&|;)\s*/g, " ; ")
    .replace(/\s*\|\s*/g, " | ");
  const out: string[] = [];
  let words: string[] = [];
  const flush = () => {
    if (!words.length) return;
    const at = words.findIndex((w) => w === ">" || w === "<");
    const [cmd, redirects] = at < 0 ? [words, []] : [words.slice(0, at), words.slice(at)];
    if (cmd.length) out.push(...normalWords(cmd[0].includes("*") ? cmd[0] : basename(cmd[0]), cmd.slice(1)));
    out.push(...redirects);
    words = [];
  };
  for (const w of spaced.split(/\s+/).filter(Boolean)) {
    if (w === "|" || w === ";") {
      flush();
      out.push(w);
    } else words.push(w);
  }
  flush();
  return out.join(" ");
}
