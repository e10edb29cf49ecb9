/**
 * A small agent loop on brainc's supervisor runtime: the model decides, the supervisor routes, guards,
 * limits and records. Run it after `npm run build`, with Node ≥ 22.18 (which runs TypeScript directly):
 *
 *   LITELLM_BASE_URL=http://127.0.0.1:4000/v1 LITELLM_API_KEY=sk-… \
 *     node examples/supervised-agent.ts --agent uptime-monitor --message "Run the uptime checks."
 *
 * Then `brainc runs list` and `brainc runs show <jobId>` tell what it did. Pass `--job <id>` to resume
 * an unfinished job from its last checkpoint. See docs/runtime.md ("Try it against a LiteLLM proxy").
 */
import { parseArgs } from "node:util";
import { ChatError, JobStoppedError, Supervisor, type ChatMessage, type ChatTool, type Job } from "brainc/runtime";

const { values: args } = parseArgs({
  options: {
    bundle: { type: "string", default: "generated/supervisor/bundle.json" },
    store: { type: "string", default: ".brainc/runs" },
    agent: { type: "string", default: "uptime-monitor" },
    job: { type: "string" },
    message: { type: "string", default: "Run the uptime checks." },
    approve: { type: "boolean", default: false },
  },
});

/** What the loop checkpoints: the conversation so far. */
interface LoopState {
  messages: ChatMessage[];
}

/** Local implementations of the tools this example can run; a real agent would call its MCP servers here. */
const handlers: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
  async "http-check"(input) {
    const started = Date.now();
    try {
      const res = await fetch(String(input.url), { signal: AbortSignal.timeout(Number(input.timeoutMs ?? 10_000)) });
      await res.arrayBuffer();
      return { status: res.status, latencyMs: Date.now() - started };
    } catch {
      return { status: 0, latencyMs: Date.now() - started };
    }
  },
  async "slack-alert"(input) {
    // Dry run: print instead of posting, so the example never messages a real channel.
    console.log(`[slack ${String(input.channel)}] [${String(input.severity)}] ${String(input.text)}`);
    return { ok: true, ts: "dry-run" };
  },
};

/** Runs one tool call through the guard; returns the tool message for the model. */
async function runTool(job: Job, call: NonNullable<ChatMessage["tool_calls"]>[number]): Promise<ChatMessage> {
  const reply = (content: unknown): ChatMessage => ({ role: "tool", tool_call_id: call.id, content: JSON.stringify(content) });
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(call.function.arguments || "{}");
  } catch {
    return reply({ error: "the arguments are not JSON" });
  }
  const verdict = await job.guardTool(call.function.name, input);
  if (verdict.decision === "deny" || (verdict.decision === "needs-approval" && !args.approve)) return reply({ error: `refused by policy: ${verdict.reason}` });
  const handler = handlers[call.function.name];
  const started = Date.now();
  try {
    if (!handler) throw new Error(`this example has no implementation of ${call.function.name}`);
    const output = await handler(input);
    await job.recordTool({ tool: call.function.name, output, latencyMs: Date.now() - started, ...(verdict.decision === "needs-approval" ? { approvedBy: "--approve" } : {}) });
    return reply(output);
  } catch (e) {
    await job.recordTool({ tool: call.function.name, error: (e as Error).message, latencyMs: Date.now() - started });
    return reply({ error: (e as Error).message });
  }
}

async function main(): Promise<number> {
  const supervisor = await Supervisor.open({ bundle: args.bundle, store: args.store });
  try {
    const job = await supervisor.startJob({ agent: args.agent, ...(args.job ? { jobId: args.job } : {}) });
    const agent = supervisor.bundle.agents[args.agent];
    const tools: ChatTool[] = agent.tools.map((id) => ({ type: "function", function: { name: id, description: supervisor.bundle.tools[id].description, parameters: supervisor.bundle.tools[id].input } }));
    const state = (job.state as LoopState | undefined) ?? {
      messages: [
        { role: "system", content: agent.prompts?.instructions ?? `You are ${agent.name}.` },
        { role: "user", content: args.message },
      ],
    };
    console.log(`${job.resumed ? "resumed" : "started"} job ${job.id} (agent ${agent.id}, run ${job.run})`);
    // Naive compaction: keep the system prompt and the most recent messages.
    job.on("compact", () => state.messages.splice(1, Math.max(0, state.messages.length - 7)));
    try {
      for (;;) {
        const answer = await job.chat({ messages: state.messages, tools });
        state.messages.push(answer.message);
        const calls = answer.message.tool_calls ?? [];
        for (const call of calls) state.messages.push(await runTool(job, call));
        if (job.checkpointDue) await job.checkpoint(state);
        if (!calls.length) {
          console.log(String(answer.message.content ?? ""));
          break;
        }
      }
      await job.end("succeeded");
    } catch (e) {
      if (e instanceof JobStoppedError) console.error(`stopped: ${e.reason.message}`);
      else if (e instanceof ChatError) await job.end("failed", { error: e.message, errorClass: "infrastructure" });
      else {
        await job.end("failed", { error: (e as Error).message, errorClass: "agent" });
        throw e;
      }
    }
    console.log(`job ${job.id}: ${job.status}; see \`brainc runs show ${job.id} --store ${args.store}\``);
    return job.status === "succeeded" ? 0 : 1;
  } finally {
    await supervisor.close();
  }
}

process.exitCode = await main();
