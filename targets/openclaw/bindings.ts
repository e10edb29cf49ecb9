import type { Agent } from "../../src/link/model.js";

/** Channels that are OpenClaw channel plugins (bindings); the rest (webhook, chat) are n8n triggers. */
export const OPENCLAW_CHANNELS = new Set(["telegram", "whatsapp", "slack", "discord", "signal", "imessage"]);

/** One `bindings[]` entry of openclaw.json (OpenClaw 2026.9 route binding, no peer). */
export interface Binding {
  type: "route";
  agentId: string;
  comment?: string;
  match: { channel: string; accountId?: string };
}

/** `bindings[]`: one route binding per OpenClaw channel of each agent, in the given agent order (the plan's: by id). */
export function channelBindings(agents: readonly { agent: Agent }[]): Binding[] {
  return agents.flatMap(({ agent }) =>
    agent.channels
      .filter((c) => OPENCLAW_CHANNELS.has(c.channel))
      .map((c): Binding => ({ type: "route", agentId: agent.id, comment: c.description, match: { channel: c.channel, accountId: c.accountId } })),
  );
}

/**
 * Bindings that never match, each with the earlier one that takes its messages: OpenClaw 2026.9.6's
 * `resolveAgentRoute` (src/routing/resolve-route.ts) tries the bindings of one tier (here: channel and
 * accountId, no peer) in array order and the first match wins, so a later binding of another agent to the
 * same channel and account gets nothing.
 */
export function shadowedBindings(bindings: readonly Binding[]): { shadowed: Binding; winner: Binding }[] {
  const first = new Map<string, Binding>();
  const out: { shadowed: Binding; winner: Binding }[] = [];
  for (const b of bindings) {
    const key = `${b.match.channel}\0${b.match.accountId ?? ""}`;
    const winner = first.get(key);
    if (!winner) first.set(key, b);
    else if (winner.agentId !== b.agentId) out.push({ shadowed: b, winner });
  }
  return out;
}
