import { fileURLToPath } from "node:url";
import { describe } from "vitest";
import { goldenTests } from "../../test/golden.js";
import litellm from "./index.js";

/** The focused fixture brains of the LiteLLM target (test/fixtures/brains/litellm-*). */
const LITELLM_FIXTURES = ["litellm-one-tier", "litellm-explicit-chains", "litellm-context-window", "litellm-openai-compatible", "litellm-budgets", "litellm-overlay"];

describe("litellm target", () => {
  goldenTests(litellm, fileURLToPath(new URL("./__golden__", import.meta.url)), LITELLM_FIXTURES, { env: { "litellm-overlay": "staging" } });
});
