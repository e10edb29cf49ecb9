// Preloaded with `node --import` by the benchmark: writes this process's peak RSS (KiB) to
// $BRAINC_BENCH_RSS_FILE when the process exits.
import { appendFileSync } from "node:fs";

const file = process.env.BRAINC_BENCH_RSS_FILE;
if (file) process.on("exit", () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
