// Generated from schemas/*.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit.

/**
 * Id of the provider (a key of `providers`) that serves this model.
 */
export type Id = string;
/**
 * A model id: a key of models.yaml `models`. Lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters (for example gpt-5-mini, glm-5.1).
 */
export type ModelId = string;

/**
 * models.yaml: the LLM providers, the models brainc may route to (with context windows and prices), and the tiers (ordered fallback chains) that routing.yaml refers to.
 */
export interface ModelsFile {
  /**
   * LLM API providers, keyed by provider id (for example openai, anthropic, zai).
   */
  providers: {
    [k: string]: Provider;
  };
  /**
   * Models, keyed by model id (the name used everywhere else in the brain; it may differ from the provider's own model name).
   */
  models: {
    [k: string]: Model;
  };
  /**
   * Named, ordered model chains, keyed by tier name: the first model is primary, the rest its fallbacks in order (a LiteLLM model group with fallbacks).
   */
  tiers: {
    /**
     * Model ids of this tier: the first model is primary, the rest its fallbacks in order.
     *
     * @minItems 1
     */
    [k: string]: [ModelId, ...ModelId[]];
  };
}
/**
 * An LLM API provider. With api: openai-compatible, baseUrl is required (brainc reports a missing one).
 */
export interface Provider {
  /**
   * Wire API of the provider: openai, anthropic, google (Gemini) or openai-compatible (any OpenAI-compatible endpoint; then baseUrl is required).
   */
  api: "openai" | "anthropic" | "google" | "openai-compatible";
  /**
   * Base URL of the provider's API (for example https://api.z.ai/api/paas/v4). Required for openai-compatible; for the others it overrides the provider's default endpoint. May contain ${env:NAME} references.
   */
  baseUrl?: string;
  /**
   * Key of the provider's API. Credential: must be exactly one ${env:NAME} reference; never a literal secret. Targets render the reference in their own native form; it is never resolved at build time.
   */
  apiKey?: string;
  headers?: HTTPHeaders;
}
/**
 * Extra HTTP headers sent with every request to this provider. Credential-carrying values must be exactly one ${env:NAME} reference; never a literal secret.
 */
export interface HTTPHeaders {
  /**
   * The header's value. If it carries a credential it must be exactly one ${env:NAME} reference; never a literal secret.
   */
  [k: string]: string;
}
/**
 * One model of a provider, with its limits and prices.
 */
export interface Model {
  provider: Id;
  /**
   * The provider's own name of the model, as sent in API requests (for example claude-sonnet-4-6).
   */
  id: string;
  /**
   * Maximum input plus output tokens the model accepts, in tokens. Policies' context.compactAtPercent is a percentage of it.
   */
  contextWindow: number;
  /**
   * Maximum tokens the model may generate per response, in tokens. Default: the provider's default.
   */
  maxOutputTokens?: number;
  /**
   * Prices in USD per million tokens, used for budgets and cost limits. Use 0 for free or self-hosted models.
   */
  costPerMTokUsd: {
    /**
     * USD per million input tokens.
     */
    input: number;
    /**
     * USD per million output tokens.
     */
    output: number;
    /**
     * USD per million input tokens read from the provider's prompt cache. Default: the input price.
     */
    cacheRead?: number;
    /**
     * USD per million input tokens written to the provider's prompt cache. Default: the input price.
     */
    cacheWrite?: number;
  };
  /**
   * What the model supports besides text: tools (function calling), vision (image input), reasoning (extended thinking), audio, json (structured output). Default: none.
   */
  capabilities?: ("tools" | "vision" | "reasoning" | "audio" | "json")[];
}
