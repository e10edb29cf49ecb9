/**
 * Reads a shell command line the way a guard needs it: split into simple commands (shell-quote does the
 * POSIX tokenising: quotes, escapes, operators), each with its executable, arguments and redirections,
 * and rendered in a normal form for `denyPatterns` (single spaces, executable by base name, short flags
 * merged and sorted: `/bin/rm -r -f  /` reads as `rm -fr /`). Constructs whose effect cannot be known
 * before running (command substitution, subshells, process substitution, a command held in a variable,
 * several lines) are reported as problems; guards refuse them.
 */
import { basename } from "node:path";
import { parse, type ParseEntry } from "shell-quote";

/** One simple command (no operators), possibly reached through a wrapper such as `sudo` or `sh -c`. */
export interface SimpleCommand {
  /** The executable as written (`/bin/rm`). */
  bin: string;
  /** Its base name (`rm`). */
  name: string;
  args: string[];
  /** Redirections, e.g. `{ op: ">", target: "/dev/sda" }`. */
  redirects: { op: string; target: string }[];
  /** The normal form, e.g. `rm -fr /`. */
  text: string;
}

export interface ShellAnalysis {
  commands: SimpleCommand[];
  /** Normal forms to match `denyPatterns` against: the whole line, each statement, each command. */
  texts: string[];
  /** Why the command cannot be checked; empty when it can. */
  problems: string[];
}

/** Commands that run another command given as their arguments. */
const WRAPPERS = new Set(["sudo", "doas", "env", "nice", "nohup", "time", "timeout", "xargs", "command", "exec", "stdbuf", "busybox", "ionice", "setsid", "chroot", "unbuffer", "watch", "flock"]);
/** Shells whose `-c` argument is itself a command line. */
const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "ash", "fish"]);
const STATEMENT_OPS = new Set([";", "&&", "||", "&", ";;"]);
const PIPE_OPS = new Set(["|", "|&"]);
const REDIRECT_OPS = new Set([">", ">>", "<", ">&", "<&", "&>", ">|", "<>", "&>>"]);
const VAR = "\u0001";

type Token = string | { op: string };

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

/** Merges short-flag clusters (`-r -f`, `-rf`, `-fr`) into one sorted cluster at the first flag. */
function normalWords(name: string, args: string[]): string[] {
  const words = [name];
  const letters = new Set<string>();
  let clusterAt = -1;
  let endOfOptions = false;
  for (const a of args) {
    if (a === "--") endOfOptions = true;
    if (!endOfOptions && /^-[A-Za-z]+$/.test(a)) {
      for (const c of a.slice(1)) letters.add(c);
      if (clusterAt < 0) {
        clusterAt = words.length;
        words.push("");
      }
      continue;
    }
    words.push(a);
  }
  if (clusterAt >= 0) words[clusterAt] = `-${[...letters].sort().join("")}`;
  return words;
}

function simple(words: string[], redirects: SimpleCommand["redirects"], problems: string[], out: SimpleCommand[], depth: number): void {
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])) i++;
  if (i >= words.length) return;
  const bin = words[i];
  const args = words.slice(i + 1);
  if (bin.includes(VAR)) problems.push("the command to run comes from a variable and cannot be checked");
  const name = basename(bin);
  const text = [...normalWords(name, args), ...redirects.flatMap((r) => [r.op, r.target])].join(" ").replaceAll(VAR, "$");
  out.push({ bin: bin.replaceAll(VAR, "$"), name, args: args.map((a) => a.replaceAll(VAR, "$")), redirects, text });
  if (depth > 8) {
    problems.push("commands nested too deeply");
    return;
  }
  if (SHELLS.has(name)) {
    const c = args.findIndex((a) => /^-[A-Za-z]*c[A-Za-z]*$/.test(a));
    if (c >= 0 && args[c + 1] !== undefined) nested(args[c + 1], problems, out, depth + 1);
    else if (args.length === 0 || args.every((a) => a.startsWith("-"))) problems.push(`${name} reading commands from its input cannot be checked`);
  } else if (name === "eval") nested(args.join(" "), problems, out, depth + 1);
  else if (WRAPPERS.has(name)) {
    let j = 0;
    while (j < args.length && (args[j].startsWith("-") || /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[j]) || (name === "timeout" && /^[0-9.]+[smhd]?$/.test(args[j])))) {
      if (/^-(u|n|g|C|p|c|s|k)$/.test(args[j]) && name !== "xargs") j++;
      j++;
    }
    if (j < args.length) simple(args.slice(j), [], problems, out, depth + 1);
  }
}

function nested(line: string, problems: string[], out: SimpleCommand[], depth: number): void {
  const inner = analyze(line, depth);
  problems.push(...inner.problems);
  out.push(...inner.commands);
}

function analyze(line: string, depth: number): ShellAnalysis {
  const problems: string[] = [];
  if (/[\r\n]/.test(line)) problems.push("commands on several lines cannot be checked");
  const toks = tokens(line, problems);
  const commands: SimpleCommand[] = [];
  const statements: string[] = [];
  let words: string[] = [];
  let redirects: SimpleCommand["redirects"] = [];
  let statement: string[] = [];
  const endCommand = () => {
    const before = commands.length;
    simple(words, redirects, problems, commands, depth);
    if (commands.length > before) statement.push(commands[before].text);
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
  const texts = [...new Set([statements.join(" ; "), ...statements, ...commands.map((c) => c.text)].filter(Boolean))];
  return { commands, texts, problems: [...new Set(problems)] };
}

/** Analyses a command line. */
export function analyzeCommand(line: string): ShellAnalysis {
  return analyze(line, 0);
}

/** The normal form of a `denyPatterns` entry, so that `rm -rf /` also matches `rm -r -f /`. */
export function normalPattern(pattern: string): string {
  const words = pattern.trim().split(/\s+/);
  const name = words[0].includes("*") ? words[0] : basename(words[0]);
  return normalWords(name, words.slice(1)).join(" ");
}
