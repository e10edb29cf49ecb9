// A tiny target for the workflow commands' tests: one file per agent with its rendered instructions,
// plus routes.json; it reports one BRN509 per agent that has a heartbeat (for `explain agent`).
export default {
  name: "echo",
  optionsSchema: { type: "object" },
  emit(brain, _options, context) {
    const files = [{ path: "routes.json", contents: JSON.stringify(Object.fromEntries(Object.entries(brain.agents).map(([id, a]) => [id, a.route.chain.map((m) => m.id)])), null, 2) + "\n" }];
    for (const agent of Object.values(brain.agents)) {
      files.push({ path: `agents/${agent.id}.md`, contents: agent.instructions });
      if (agent.heartbeat) context.report({ code: "BRN509", severity: "info", message: `agent "${agent.id}": echo cannot express heartbeats; enforce them with the supervisor target`, file: agent.source });
    }
    return files;
  },
};
