/** One connection of the graph being laid out: source node name → target node name, n8n connection type. */
export interface Edge {
  from: string;
  to: string;
  type: string;
}

/** Horizontal distance between layers and vertical distance between rows, in n8n canvas pixels. */
const COLUMN = 300;
const ROW = 200;
/** Distance between sub-nodes (models, memory, tools) in their row under the main flow. */
const SUB_COLUMN = 180;

/**
 * A simple layered layout, deterministic in the order of `nodes`:
 * main-flow nodes (those with `main` connections, or none at all) sit in columns by their longest `main`
 * path from a node without `main` inputs (the triggers), each in its first parent's row when free (else
 * the next free row of its column), in the order given; sub-nodes
 * (sources of `ai_*` connections only: models, memory, tools) sit in one row under the main flow.
 * Returns [x, y] per node name.
 */
export function layeredLayout(nodes: readonly string[], edges: readonly Edge[]): Map<string, [number, number]> {
  const main = edges.filter((e) => e.type === "main");
  const subNodes = new Set(edges.filter((e) => e.type !== "main").map((e) => e.from));
  const layer = new Map<string, number>();
  const depth = (name: string, seen: Set<string>): number => {
    const known = layer.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) return 0;
    seen.add(name);
    const parents = main.filter((e) => e.to === name).map((e) => e.from);
    const d = parents.length === 0 ? 0 : Math.max(...parents.map((p) => depth(p, seen))) + 1;
    layer.set(name, d);
    return d;
  };
  const positions = new Map<string, [number, number]>();
  const taken = new Map<number, Set<number>>();
  let maxY = 0;
  const mainNodes = nodes.filter((n) => !subNodes.has(n));
  const byLayer = [...new Set(mainNodes.map((n) => depth(n, new Set())))].sort((a, b) => a - b);
  for (const d of byLayer) {
    const rows = taken.get(d) ?? new Set<number>();
    taken.set(d, rows);
    for (const name of mainNodes.filter((n) => layer.get(n) === d)) {
      // Beside its first parent when that row is free in this layer, else the next free row.
      const parent = main.find((e) => e.to === name && positions.has(e.from))?.from;
      let row = parent ? positions.get(parent)![1] / ROW : 0;
      while (rows.has(row)) row++;
      rows.add(row);
      positions.set(name, [d * COLUMN, row * ROW]);
      maxY = Math.max(maxY, row * ROW);
    }
  }
  let i = 0;
  for (const name of nodes) if (subNodes.has(name)) positions.set(name, [i++ * SUB_COLUMN, maxY + ROW + 100]);
  return positions;
}
