// Where a code block from an answer goes in a file. No `vscode` here: the Apply command reads the
// file, asks this module, and shows the result as a diff the user accepts or rejects.
//
// A block is either the whole file (rewritten) or an excerpt (one function, one section). An
// excerpt is placed by its own first and last lines: both must be found in the file, once, with the
// same indentation between them as in the block. Anything less certain is refused, never guessed.

export type Placement =
  /** The block replaces the whole file. */
  | { readonly kind: 'whole'; readonly text: string }
  /** The block replaces lines `startLine`..`endLine` (0-based, inclusive); `text` is the file after. */
  | { readonly kind: 'excerpt'; readonly startLine: number; readonly endLine: number; readonly text: string }
  /** The block's first lines match more than one place in the file. */
  | { readonly kind: 'ambiguous'; readonly places: number }
  /** The block's first or last line is nowhere in the file, or the block changes nothing. */
  | { readonly kind: 'notFound' }
  | { readonly kind: 'unchanged' };

/** Lines compared for the anchors: the first and last few lines of the block. */
const ANCHOR_LINES = 3;
/** A block sharing at least this share of the file's lines, and as long, is a rewrite of it. */
const WHOLE_FILE_SHARE = 0.6;

export function placeChange(fileText: string, blockText: string): Placement {
  const eol = fileText.includes('\r\n') ? '\r\n' : '\n';
  const fileLines = splitLines(fileText);
  const block = trimBlankEdges(splitLines(blockText));
  if (block.length === 0) return { kind: 'notFound' };
  const finalNewline = fileText.length === 0 || /\r?\n$/.test(fileText);

  if (isWholeFile(fileLines, block)) {
    const text = block.join(eol) + (finalNewline ? eol : '');
    return text === fileText ? { kind: 'unchanged' } : { kind: 'whole', text };
  }

  const starts = startsOf(fileLines, block);
  if (starts.length === 0) return { kind: 'notFound' };
  const regions = starts.flatMap((start) => {
    const end = endFor(fileLines, block, start);
    return end === undefined ? [] : [{ start, end }];
  });
  if (regions.length === 0) return { kind: 'notFound' };
  if (regions.length > 1) return { kind: 'ambiguous', places: regions.length };

  const { start, end } = regions[0]!;
  const replaced = reindent(block, leadingSpace(fileLines[start]!), leadingSpace(block[0]!));
  const lines = [...fileLines.slice(0, start), ...replaced, ...fileLines.slice(end + 1)];
  const text = lines.join(eol) + (finalNewline && lines.length ? eol : '');
  return text === fileText ? { kind: 'unchanged' } : { kind: 'excerpt', startLine: start, endLine: end, text };
}

/** Lines without their line breaks; a final line break does not make an empty last line. */
function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function trimBlankEdges(lines: string[]): string[] {
  let first = 0;
  let last = lines.length - 1;
  while (first <= last && !lines[first]!.trim()) first++;
  while (last >= first && !lines[last]!.trim()) last--;
  return lines.slice(first, last + 1);
}

const same = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && a.trim() === b.trim();

function isWholeFile(fileLines: readonly string[], block: readonly string[]): boolean {
  const file = trimBlankEdges([...fileLines]);
  if (file.length === 0) return true;
  // Shorter than most of the file, it is an excerpt even when it starts and ends as the file does.
  if (block.length < file.length * WHOLE_FILE_SHARE) return false;
  if (same(file[0], block[0]) && same(file[file.length - 1], block[block.length - 1])) return true;
  // A rewrite that changed the first or last line (a new import, say): most of the file, reworked.
  const blockSet = new Set(block.map((l) => l.trim()).filter(Boolean));
  const fileDistinct = new Set(file.map((l) => l.trim()).filter(Boolean));
  let shared = 0;
  for (const line of fileDistinct) if (blockSet.has(line)) shared++;
  return fileDistinct.size > 0 && shared / fileDistinct.size >= WHOLE_FILE_SHARE;
}

/**
 * Where the block can begin: lines equal to its first line, narrowed by its next lines while more
 * than one remains (a changed second line leaves the places found so far: they are all possible).
 */
function startsOf(fileLines: readonly string[], block: readonly string[]): number[] {
  let starts = fileLines.flatMap((line, i) => (same(line, block[0]) ? [i] : []));
  for (let k = 1; k < Math.min(ANCHOR_LINES, block.length) && starts.length > 1; k++) {
    const narrowed = starts.filter((s) => same(fileLines[s + k], block[k]));
    if (narrowed.length === 0) break;
    starts = narrowed;
  }
  return starts;
}

/**
 * The line that closes the block begun at `start`: the first after it equal to the block's last
 * line, indented relative to the start as the block's last line is to its first (so a function's
 * closing brace, not an inner one). A one-line block ends where it starts.
 */
function endFor(fileLines: readonly string[], block: readonly string[], start: number): number | undefined {
  if (block.length === 1) return start;
  const last = block[block.length - 1]!;
  const wantedIndent = indentWidth(last) - indentWidth(block[0]!);
  const startIndent = indentWidth(fileLines[start]!);
  for (let i = start + 1; i < fileLines.length; i++) {
    const line = fileLines[i]!;
    if (same(line, last) && indentWidth(line) - startIndent === wantedIndent) return i;
    // The block's scope ended in the file (a line indented less than the start): no closing line here.
    if (line.trim() && indentWidth(line) < startIndent && wantedIndent >= 0) return undefined;
  }
  return undefined;
}

function leadingSpace(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

function indentWidth(line: string): number {
  let width = 0;
  for (const ch of leadingSpace(line)) width += ch === '\t' ? 4 : 1;
  return width;
}

/** The block as the file indents it: models often drop an excerpt's outer indentation. */
function reindent(block: readonly string[], fileIndent: string, blockIndent: string): string[] {
  if (fileIndent === blockIndent) return [...block];
  return block.map((line) => {
    if (!line.trim()) return '';
    return line.startsWith(blockIndent) ? fileIndent + line.slice(blockIndent.length) : fileIndent + line.trimStart();
  });
}
