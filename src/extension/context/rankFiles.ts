// Fuzzy ranking of workspace paths for the `#` completion list. Pure and fast: a query is scored
// against tens of thousands of paths on every key press.
//
// Better first: the file name equal to the query, then starting with it, then containing it, then
// the path containing it, then the query's letters in order (a subsequence), scored higher when they
// fall on word starts (after `/`, `.`, `-`, `_`, a case change) and run together. Ties: the shorter
// path, then alphabetical. Case does not matter.

export interface RankedPath {
  readonly path: string;
  readonly score: number;
}

const EXACT_NAME = 10_000;
const NAME_PREFIX = 8_000;
const NAME_CONTAINS = 6_000;
const PATH_CONTAINS = 4_000;
const NAME_SUBSEQUENCE = 2_000;

/** The best `limit` paths for `query`, best first; with an empty query, the shortest paths. */
export function rankFiles(paths: readonly string[], query: string, limit = 50): RankedPath[] {
  const q = query.trim().toLowerCase().replace(/\\/g, '/');
  const ranked: RankedPath[] = [];
  for (const path of paths) {
    const score = q ? scorePath(path, q) : 0;
    if (score > 0 || !q) ranked.push({ path, score });
  }
  ranked.sort((a, b) => b.score - a.score || a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return ranked.slice(0, limit);
}

/** How well `path` matches the lower-case `query`; 0 when it does not. */
export function scorePath(path: string, query: string): number {
  const lower = path.toLowerCase();
  const slash = lower.lastIndexOf('/');
  const name = lower.slice(slash + 1);
  const stem = name.replace(/\.[^.]*$/, '');
  if (!query.includes('/')) {
    if (name === query || stem === query) return EXACT_NAME;
    if (name.startsWith(query)) return NAME_PREFIX - name.length;
    const at = name.indexOf(query);
    if (at >= 0) return NAME_CONTAINS - at - name.length;
  }
  const inPath = lower.indexOf(query);
  if (inPath >= 0) return PATH_CONTAINS + (lower.length - inPath === name.length ? 100 : 0) - lower.length / 10;
  if (!query.includes('/')) {
    const inName = subsequenceScore(path.slice(slash + 1), query);
    if (inName > 0) return NAME_SUBSEQUENCE + inName;
  }
  return subsequenceScore(path, query);
}

/** The query's characters in order through `text`, greedy; higher for word starts and runs; 0 when absent. */
function subsequenceScore(text: string, query: string): number {
  const lower = text.toLowerCase();
  let score = 1;
  let from = 0;
  let previous = -2;
  for (const c of query) {
    const at = lower.indexOf(c, from);
    if (at < 0) return 0;
    if (at === previous + 1) score += 5;
    if (isWordStart(text, at)) score += 8;
    score -= Math.min(3, at - from) / 3;
    previous = at;
    from = at + 1;
  }
  return Math.max(1, score - text.length / 100);
}

function isWordStart(text: string, at: number): boolean {
  if (at === 0) return true;
  const before = text[at - 1];
  const here = text[at];
  return '/.-_ '.includes(before) || (before >= 'a' && before <= 'z' && here >= 'A' && here <= 'Z');
}
