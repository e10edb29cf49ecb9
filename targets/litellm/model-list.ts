import type { ModelGroup } from "../../src/emit/correlation.js";
import type { Brain, Model, Provider } from "../../src/link/model.js";
import type { EnvCollector } from "./env.js";

/** LiteLLM's provider prefix (`<provider>/<model>`) for a brain provider api; OpenAI-compatible ones use `openai/` with `api_base`. */
export const LITELLM_PROVIDER = { openai: "openai", anthropic: "anthropic", google: "gemini", "openai-compatible": "openai" } as const satisfies Record<Provider["api"], string>;

/** The placeholder key of an OpenAI-compatible provider that needs none (the OpenAI SDK requires some key). */
export const NO_KEY = "no-key";

/** The stable `model_info.id` of a deployment: `<group>.<model id>`, e.g. "acme-ops-cheap.glm-5.1". */
export function deploymentId(group: string, model: Model): string {
  return `${group}.${model.id}`;
}

/** USD per token from USD per million tokens, parsed from decimal text so that 0.6 gives 6e-7 exactly (no float noise). */
export function perToken(usdPerMTok: number): number {
  const text = String(usdPerMTok);
  return text.includes("e") ? usdPerMTok / 1e6 : Number(`${text}e-6`);
}

/** Upper-case env-name fragment of an id ("zai" → "ZAI", "my-llm.eu" → "MY_LLM_EU"). */
const envPart = (id: string) => id.toUpperCase().replace(/[^A-Z0-9]/g, "_");

/**
 * One deployment (`model_list[]` entry) per model of each group: LiteLLM `provider/model` naming, the
 * provider's `api_base`, `api_key` (`no-key` for a keyless OpenAI-compatible provider) and `extra_headers` as
 * `os.environ/` references, prices per token, the
 * call timeout (s), `max_retries: 0` (the router retries, not the provider SDK), `order` (position in the
 * chain, 1 = primary), tags, and a stable `model_info.id` with the context window.
 * Format: LiteLLM proxy config.yaml `model_list` (litellm/types/router.py `Deployment`, `LiteLLM_Params`).
 */
export function modelList(brain: Brain, groups: readonly ModelGroup[], timeoutSeconds: number, env: EnvCollector): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const group of groups) {
    group.chain.forEach((model, index) => {
      const provider = model.provider;
      const params: Record<string, unknown> = { model: `${LITELLM_PROVIDER[provider.api]}/${model.name}` };
      if (provider.baseUrl !== undefined) params.api_base = env.render(provider.baseUrl, `provider ${provider.id}: litellm_params.api_base`, `BRAINC_${envPart(provider.id)}_API_BASE`);
      if (provider.apiKey !== undefined) params.api_key = env.render(provider.apiKey, `provider ${provider.id}: litellm_params.api_key`, `BRAINC_${envPart(provider.id)}_API_KEY`);
      // Without a key, LiteLLM's `openai/` client falls back to $OPENAI_API_KEY and would send it to this other host.
      else if (provider.api === "openai-compatible") params.api_key = NO_KEY;
      if (provider.headers && Object.keys(provider.headers).length) {
        params.extra_headers = Object.fromEntries(
          Object.keys(provider.headers)
            .sort()
            .map((h) => [h, env.render(provider.headers![h], `provider ${provider.id}: litellm_params.extra_headers.${h}`, `BRAINC_${envPart(provider.id)}_HEADER_${envPart(h)}`)]),
        );
      }
      const cost = model.costPerMTokUsd;
      params.input_cost_per_token = perToken(cost.input);
      params.output_cost_per_token = perToken(cost.output);
      if (cost.cacheRead !== undefined) params.cache_read_input_token_cost = perToken(cost.cacheRead);
      if (cost.cacheWrite !== undefined) params.cache_creation_input_token_cost = perToken(cost.cacheWrite);
      params.timeout = timeoutSeconds;
      params.max_retries = 0;
      params.order = index + 1;
      params.tags = [`brain:${brain.name}`, group.tier !== undefined ? `tier:${group.tier}` : `chain:${group.task}`, `model:${model.id}`, `provider:${provider.id}`];
      const info: Record<string, unknown> = { id: deploymentId(group.name, model), mode: "chat", max_input_tokens: model.contextWindow };
      if (model.maxOutputTokens !== undefined) info.max_output_tokens = model.maxOutputTokens;
      out.push({ model_name: group.name, litellm_params: params, model_info: info });
    });
  }
  return out;
}
