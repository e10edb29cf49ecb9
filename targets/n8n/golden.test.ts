import { join } from "node:path";
import { beforeAll, describe } from "vitest";
import { goldenTests } from "../../test/golden.js";
import { repoRoot } from "../../test/helpers.js";
import n8n from "./index.js";
import { fetchDescriptions } from "./test-setup.js";

/** Focused fixture brains (test/fixtures/brains/n8n-*), one feature each. */
export const N8N_FIXTURES = [
  "n8n-minimal",
  "n8n-direct-providers",
  "n8n-schedules",
  "n8n-channels",
  "n8n-http-tools",
  "n8n-mcp-tools",
  "n8n-memory-redis",
  "n8n-multi-task",
  "n8n-builtin-tools",
  "n8n-conformance",
];

describe("n8n target", () => {
  beforeAll(fetchDescriptions, 300_000);
  goldenTests(n8n, join(repoRoot, "targets/n8n/__golden__"), N8N_FIXTURES);
});
