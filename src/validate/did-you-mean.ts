import { createRequire } from "node:module";

/** fastest-levenshtein, loaded when a suggestion is needed (valid brains never need one). */
const levenshtein = (): typeof import("fastest-levenshtein") => createRequire(import.meta.url)("fastest-levenshtein");

/**
 * The candidate closest to `name` by edit distance, when close enough to be a likely typo
 * (distance ≤ max(2, a third of the name's length)); undefined otherwise.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  if (!list.length) return undefined;
  const { closest, distance } = levenshtein();
  const best = closest(name, list);
  const limit = Math.max(2, Math.floor(name.length / 3));
  return distance(name, best) <= limit ? best : undefined;
}

/** A diagnostic hint `did you mean "x"?`, or undefined. */
export function didYouMeanHint(name: string, candidates: Iterable<string>): string | undefined {
  const best = didYouMean(name, candidates);
  return best === undefined ? undefined : `did you mean ${JSON.stringify(best)}?`;
}
