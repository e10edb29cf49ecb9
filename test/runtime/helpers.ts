/** A small supervisor bundle for the runtime's tests, and temp stores. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bundle, BundleModel, BundlePolicy, BundleRoute } from "../../src/runtime/bundle.js";

const model = (id: string, contextWindow: number, input: number, output: number): BundleModel => ({
  id,
  name: `${id}-name`,
  provider: "fake",
  api: "openai-compatible",
  contextWindow,
  costPerMTokUsd: { input, output },
});

export const MODELS = {
  cheap: model("m-cheap", 8000, 0.1, 0.2),
  small: model("m-small", 8000, 1, 2),
  mid: model("m-mid", 8000, 2, 4),
  large: model("m-large", 128000, 3, 6),
};

const route = (task: string, tier: string | undefined, chain: BundleModel[], extra: Partial<BundleRoute> = {}): BundleRoute => ({ task, ...(tier ? { tier } : {}), chain, ...extra });

export const ROUTES = {
  work: route("work", "mid", [MODELS.mid, MODELS.small]),
  ping: route("ping", "cheap", [MODELS.cheap]),
  long: route("long", undefined, [MODELS.small, MODELS.mid, MODELS.large]),
};

/**
 * A bundle with agent `worker` (task `work`, tools `lookup`, `shell`, `read`, `fetch-url`) whose policy is
 * `policy`; the gateway is `gatewayUrl` through env LITELLM_BASE_URL.
 */
export function testBundle(o: { policy?: BundlePolicy; onExceeded?: "block" | "downgrade"; budgets?: Partial<Bundle["budgets"]>; fallbackOn?: Bundle["fallback"]["on"]; retries?: number } = {}): Bundle {
  const policy: BundlePolicy = o.policy ?? { loop: { maxSteps: 50, maxToolCalls: 50 } };
  const tools = ["lookup", "shell", "read", "fetch-url"];
  return {
    bundleVersion: 1,
    brain: { name: "runtime-test" },
    gateway: { baseUrl: { $env: "LITELLM_BASE_URL", default: "http://127.0.0.1:9/v1" }, apiKey: { $env: "LITELLM_API_KEY" } },
    providers: { fake: { id: "fake", api: "openai-compatible", baseUrl: { $env: "FAKE_BASE_URL" }, apiKey: { $env: "FAKE_KEY" } } },
    models: Object.fromEntries(Object.values(MODELS).map((m) => [m.id, m])),
    tasks: ROUTES,
    defaultRoute: route("default", "mid", [MODELS.mid]),
    fallback: { on: o.fallbackOn ?? ["rate_limit", "timeout", "server_error", "context_window"], retriesPerModel: o.retries ?? 1, backoff: { initial: "2ms", max: "10ms", multiplier: 2, jitter: "full" } },
    budgets: { onExceeded: o.onExceeded ?? "block", ...o.budgets },
    tools: {
      lookup: { id: "lookup", description: "Look a SKU up.", input: { type: "object", required: ["sku"], additionalProperties: false, properties: { sku: { type: "string", pattern: "^[A-Z0-9-]{3,40}$" } } }, risk: ["read"], approval: "never", implementation: { http: { method: "GET", url: "https://prices.example.com/{{sku}}" } } },
      shell: { id: "shell", description: "Run a command.", input: { type: "object", required: ["command"], additionalProperties: false, properties: { command: { type: "string", minLength: 1 }, workdir: { type: "string" } } }, risk: ["exec", "read"], approval: "on-risk", implementation: { builtin: { supervisor: "exec" } } },
      read: { id: "read", description: "Read a file.", input: { type: "object", required: ["path"], additionalProperties: false, properties: { path: { type: "string" } } }, risk: ["read"], approval: "never", implementation: { mcp: { server: "fs", tool: "read" } } },
      "fetch-url": { id: "fetch-url", description: "Fetch a URL.", input: { type: "object", required: ["url"], properties: { url: { type: "string", format: "uri" } } }, risk: ["network"], approval: "never", implementation: { http: { method: "GET", url: "{{url}}" } } },
      forbidden: { id: "forbidden", description: "Never allowed.", input: { type: "object" }, implementation: { builtin: { supervisor: "x" } } },
    },
    agents: {
      worker: { id: "worker", name: "Worker", task: "work", routes: { work: ROUTES.work, ping: ROUTES.ping, long: ROUTES.long }, policy, tools },
      other: { id: "other", name: "Other", task: "ping", routes: { ping: ROUTES.ping }, policy: { loop: { maxSteps: 50 } }, tools: [] },
    },
  };
}

/** A fresh temp directory, removed by `cleanup`. */
export function tempDir(prefix = "brainc-runtime-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
