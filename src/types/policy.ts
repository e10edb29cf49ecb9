// Generated from schemas/*.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit.

/**
 * Maximum wall-clock time per job (duration).
 */
export type Duration = string;
/**
 * Wait before the first retry (duration). Default: 1s.
 */
export type Duration1 = string;
/**
 * Upper bound of any single wait (duration). Default: 30s.
 */
export type Duration2 = string;
/**
 * Wait before the first restart (duration).
 */
export type Duration3 = string;
/**
 * Upper bound of the wait between restarts (duration).
 */
export type Duration4 = string;
/**
 * Running this long without a crash resets the restart count (duration).
 */
export type Duration5 = string;
/**
 * Time between probes (duration).
 */
export type Duration6 = string;
/**
 * Time after which a probe counts as failed (duration).
 */
export type Duration7 = string;

/**
 * policies/<id>.yaml: a policy; its id is the file stem. An agent's effective policy merges brain.yaml defaults.policies, then the agent's own, and merging only ever tightens: numeric limits take the minimum, deny and approval lists are unions, allow lists intersect, workspaceOnly is true if any policy sets it, checkpoints follow the most frequent cadence and keep the most; backoff and restart delays tune behaviour rather than limit it, so the last policy that sets them wins.
 */
export interface Policy {
  /**
   * What the policy is for.
   */
  description?: string;
  /**
   * Limits of one job (one run of the agent loop); the job stops when any is reached. Merging takes the minimum of each.
   */
  loop?: {
    /**
     * Maximum LLM turns per job.
     */
    maxSteps?: number;
    /**
     * Maximum tool calls per job.
     */
    maxToolCalls?: number;
    /**
     * Maximum input plus output tokens per job, in tokens.
     */
    maxTokens?: number;
    /**
     * Maximum spend per job, in USD.
     */
    maxCostUsd?: number;
    maxDuration?: Duration;
    /**
     * Stop after this many consecutive steps with no new tool result and no new output.
     */
    stopAfterNoProgress?: number;
  };
  /**
   * Context-window management. Merging takes the minimum of each.
   */
  context?: {
    /**
     * Compact (summarise) the conversation when it fills this percentage (1-100) of the model's context window.
     */
    compactAtPercent?: number;
    /**
     * Tokens of the most recent conversation kept verbatim when compacting, in tokens.
     */
    keepRecentTokens?: number;
    /**
     * Maximum compactions per job; when the context is full again the job stops. 0 disables compaction.
     */
    maxCompactions?: number;
  };
  /**
   * Tool safety.
   */
  tools?: {
    /**
     * Tools the agent may use (intersected when merging; default: all). Tool ids (files in tools/) or glob patterns over them (*, http-*); a name that matches no tool is an error.
     */
    allow?: string[];
    /**
     * Tools the agent may never use (united when merging; deny wins over allow). Tool ids (files in tools/) or glob patterns over them (*, http-*); a name that matches no tool is an error.
     */
    deny?: string[];
    /**
     * Tools whose every call a human must approve (united when merging). Tool ids (files in tools/) or glob patterns over them (*, http-*); a name that matches no tool is an error.
     */
    requireApproval?: string[];
    /**
     * Guards of tools with risk exec (shell commands).
     */
    exec?: {
      /**
       * Executables a command may start (for example git, curl), by name; intersected when merging. Default: any.
       */
      allowBins?: string[];
      /**
       * Glob patterns over the whole command line that are refused (for example "rm -rf /", "curl * | sh"); united when merging.
       */
      denyPatterns?: string[];
    };
    /**
     * Guards of file paths that tools read or write.
     */
    paths?: {
      /**
       * Glob patterns of paths tools may access (~ is the home directory, ** any depth); intersected when merging. Default: any.
       */
      allow?: string[];
      /**
       * Glob patterns of paths tools may never access (for example ~/.ssh/**, ** /.env); united when merging; deny wins over allow.
       */
      deny?: string[];
      /**
       * Restrict file access to the agent's workspace. true if any merged policy sets it. Default: false.
       */
      workspaceOnly?: boolean;
    };
    /**
     * Guards of hosts that tools may reach.
     */
    network?: {
      /**
       * Host names or IP addresses tools may reach; * globs allowed (for example *.acme.com); intersected when merging. Default: any.
       */
      allow?: string[];
      /**
       * Host names or IP addresses tools may never reach (for example 169.254.169.254); * globs allowed; united when merging.
       */
      deny?: string[];
    };
  };
  /**
   * When the job's state is saved so that a restarted job resumes instead of starting over. Merging keeps the most frequent `every` and the largest `keep`.
   */
  checkpoint?: {
    /**
     * step (after every LLM turn), tool-call (after every tool call) or a duration (for example 5m).
     */
    every?: string;
    /**
     * Number of most recent checkpoints kept per job.
     */
    keep?: number;
  };
  /**
   * Retries of a failed job (model calls have their own retries in routing.yaml fallback). Merging takes the minimum maxAttempts.
   */
  retry?: {
    /**
     * Maximum attempts of a job, the first one included.
     */
    maxAttempts?: number;
    backoff?: Backoff;
  };
  /**
   * Restarts of a crashed agent process, with exponential backoff (like a Kubernetes CrashLoopBackOff). Merging takes the minimum maxRetries; the delays come from the last policy that sets them.
   */
  restart?: {
    /**
     * Maximum consecutive restarts before the agent is marked failed.
     */
    maxRetries?: number;
    initialDelay?: Duration3;
    maxDelay?: Duration4;
    resetAfter?: Duration5;
  };
  /**
   * Health checks of the agent process.
   */
  health?: {
    /**
     * Liveness probe (like a Kubernetes livenessProbe): a process that fails it is restarted. Merging takes the minimum of each.
     */
    liveness?: {
      interval?: Duration6;
      timeout?: Duration7;
      /**
       * Consecutive failed probes after which the process is unhealthy and restarted.
       */
      unhealthyThreshold?: number;
    };
  };
}
/**
 * Backoff between attempts; merging takes the last policy's backoff whole.
 */
export interface Backoff {
  initial?: Duration1;
  max?: Duration2;
  /**
   * Factor applied to the wait after each attempt; 1 gives a constant delay. Default: 2.
   */
  multiplier?: number;
  /**
   * Randomisation of each wait: full (uniform between 0 and the wait), equal (half fixed, half random), none (exact waits). Default: full.
   */
  jitter?: "full" | "equal" | "none";
}
