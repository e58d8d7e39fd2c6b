// A `git diff` kept under a size cap by whole files: the files that did not fit are named, never cut
// in the middle of a hunk. No `vscode` here.

export const MAX_DIFF_BYTES = 256 * 1024;

export function capDiff(diff: string, maxChars = MAX_DIFF_BYTES): { text: string; files: number; note?: string } {
  const sections = diff.split(/(?=^diff --git )/m).filter((s) => s.trim());
  const kept: string[] = [];
  const left: string[] = [];
  let used = 0;
  for (const section of sections) {
    if (used + section.length <= maxChars) {
      kept.push(section);
      used += section.length;
    } else {
      left.push(/^diff --git a\/(\S+)/.exec(section)?.[1] ?? 'a file');
    }
  }
  const shown = left.slice(0, 5).join(', ') + (left.length > 5 ? ` and ${left.length - 5} more` : '');
  return {
    text: kept.join('').replace(/\s+$/, ''),
    files: kept.length,
    ...(left.length ? { note: `Left out of the diff (over ${Math.round(maxChars / 1024)} KB together): ${shown}` } : {}),
  };
}
