/**
 * Programs that run code of their own, which no exec guard reads: brainc's supervisor guard sees such a
 * program only as itself (docs/runtime.md "What the guard does not understand"), and OpenClaw's exec
 * allowlist matches the program's path, not the code it is given. So `tools.exec.allowBins` listing one
 * allows any command (BRN327). By program name, what lets it run any command (after GTFOBins' "shell"
 * entries, https://gtfobins.github.io/, for the programs an operations agent is likely to be given).
 * Wrappers the supervisor guard reads through (`sudo`, `env`, `xargs`, `timeout`, `nice`, `sh -c`, find's
 * `-exec` …) are not listed, with one exception: shells, which also run script files and standard input.
 */
const RUNS_CODE: ReadonlyMap<string, string> = new Map([
  ...["sh", "bash", "dash", "zsh", "ksh", "ash", "fish", "csh", "tcsh", "busybox"].map((p): [string, string] => [p, "a shell runs script files and its standard input as commands"]),
  ...["awk", "gawk", "mawk", "nawk"].map((p): [string, string] => [p, "awk's `system()` and `| getline` run any command"]),
  ["sed", "GNU sed's `e` command runs any command and its `w` command writes any file"],
  ...["python", "python3", "perl", "ruby", "node", "nodejs", "deno", "bun", "php", "lua", "tclsh", "Rscript", "pwsh", "osascript"].map((p): [string, string] => [p, "an interpreter runs the code it is given (`-c`, `-e` or a script file)"]),
  ...["npx", "npm", "pnpm", "yarn", "pip", "pip3"].map((p): [string, string] => [p, "a package manager runs packages' scripts"]),
  ["make", "make runs the commands of a makefile"],
  ["git", "git runs hooks, aliases and `-c core.sshCommand=…` / `core.pager` commands"],
  ["ssh", "ssh runs any command on another host (and `-o ProxyCommand=…` here)"],
  ["tar", "tar's `--to-command` and `--checkpoint-action=exec` run any command"],
  ["zip", "zip's `-TT` runs any command"],
  ["rsync", "rsync's `-e` runs any command"],
  ...["vi", "vim", "nvim", "ex", "emacs"].map((p): [string, string] => [p, "an editor runs commands (`:!`, `-c`)"]),
  ["gdb", "gdb runs any command (`-ex '!…'`)"],
  ["expect", "expect runs Tcl code"],
  ...["docker", "podman", "kubectl"].map((p): [string, string] => [p, "it runs commands in containers that can reach the host"]),
  ...["nc", "ncat", "socat"].map((p): [string, string] => [p, "it connects a command to the network (`-e`, `EXEC:`)"]),
]);

/**
 * What lets `bin` (a program name, or a path whose last segment is the name) run any command, when it is
 * a program that runs code of its own; else undefined.
 */
export function runsCode(bin: string): string | undefined {
  return RUNS_CODE.get(bin.slice(bin.lastIndexOf("/") + 1));
}

/**
 * Programs that print the environment they run in, by name, with how. Runtimes run commands in an
 * environment that holds secrets (OpenClaw runs exec with its gateway's: provider keys, channel tokens),
 * so `tools.exec.allowBins` listing one lets the agent read them into the model's context (BRN328).
 */
const PRINTS_ENV: ReadonlyMap<string, string> = new Map([
  ["env", "`env` without a command prints every variable"],
  ["printenv", "`printenv` prints every variable"],
  ["jq", "jq's `env` and `$ENV` hold every variable (`jq -n env`)"],
]);

/** How `bin` (a program name, or a path whose last segment is the name) prints the environment; else undefined. */
export function printsEnvironment(bin: string): string | undefined {
  return PRINTS_ENV.get(bin.slice(bin.lastIndexOf("/") + 1));
}
