# Sourced by the install scripts: `locked_cache <path under .cache>` sets $root (the repository) and $dir
# (.cache/<path>, created), and holds an exclusive lock on $dir until the script exits, so concurrent
# installs of the same thing wait for each other.
locked_cache() {
  root="$(cd "$(dirname "${BASH_SOURCE[1]}")/.." && pwd)"
  dir="$root/.cache/$1"
  mkdir -p "$dir"
  exec 9>"$dir.lock"
  flock 9
}
