// Generated from schemas/*.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit.

/**
 * The YAML frontmatter of prompts/** /*.md (dotprompt convention). The body is a Handlebars template rendered at build time, once per agent, in strict mode with the context brain, agent, env and input.
 */
export interface PromptFrontmatter {
  /**
   * What the prompt is for.
   */
  description?: string;
  /**
   * Extra variables of the template, available as {{input.<name>}}: JSON Schema (draft-07) properties, each with a default, which is the value the template is rendered with.
   */
  input?: {
    [k: string]: InputVariable;
  };
}
/**
 * A JSON Schema (draft-07) property describing one input variable; `default` is required because it is the value used at build time.
 */
export interface InputVariable {
  /**
   * Value of the variable when the prompt is rendered; it must satisfy the rest of this schema.
   */
  default: {
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
