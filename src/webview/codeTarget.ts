// Which file a code block in an answer is for, as the model said it: in the fence's info string
// ("```ts src/app.ts", "```ts title="src/app.ts"", "```ts:src/app.ts") or in the text just before
// the block ("In `src/app.ts`:"). Only a hint: the host checks it against the workspace.

import { isPathHint } from '../protocol';

/** Only the end of the preceding paragraph is read; a path said earlier is about something else. */
const BEFORE_CHARS = 300;

/** The path in a fence's info string, after its language word ("ts src/app.ts", "ts:src/app.ts"). */
export function pathFromInfo(info: string | undefined): string | undefined {
  if (!info) return undefined;
  const [first = '', ...rest] = info.trim().split(/\s+/);
  const colon = first.indexOf(':');
  // A language word never holds a slash: "src/app.ts" alone is a path with no language.
  const own = colon >= 0 ? first.slice(colon + 1) : first.includes('/') ? first : '';
  for (const raw of [own, ...rest]) {
    const word = raw.replace(/^(?:title|file|filename|path)=/i, '').replace(/^["'`]+|["'`]+$/g, '');
    if (word && isPathHint(word)) return word.replace(/^\.\//, '');
  }
  return undefined;
}

/** The last file path named near the end of the text before a code block. */
export function pathFromText(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const tail = text.slice(-BEFORE_CHARS);
  let found: string | undefined;
  for (const match of tail.matchAll(/[^\s`'"()[\]*<>,;]+/g)) {
    const word = match[0].replace(/[.:]+$/, '');
    // "e.g." and "Node.js" look like file names: a bare name counts only in `code` or **bold**.
    const marked = /[`*]/.test(tail.slice(Math.max(0, match.index! - 1), match.index! + match[0].length + 1));
    if (isPathHint(word) && (word.includes('/') || marked)) {
      found = word.replace(/^\.\//, '');
    }
  }
  return found;
}

/**
 * The path named just before a code block in the rendered answer: in the paragraph, heading or
 * list text that precedes it (inline code and bold first), across the chunk boundaries the
 * streaming view puts between blocks.
 */
export function pathBefore(block: Element): string | undefined {
  const previous = previousBlock(block);
  if (!previous || previous.matches('.code-block, pre, ol, ul, table, hr')) return undefined;
  const marked = Array.from(previous.querySelectorAll('code, strong, b'))
    .map((el) => (el.textContent ?? '').trim().replace(/[.:]+$/, ''))
    .filter(isPathHint);
  if (marked.length) return marked[marked.length - 1]!.replace(/^\.\//, '');
  return pathFromText(previous.textContent ?? '');
}

function previousBlock(block: Element): Element | null {
  if (block.previousElementSibling) return block.previousElementSibling;
  const parent = block.parentElement;
  // The first block of a chunk: the sentence before it ended the previous chunk.
  return parent?.classList.contains('markdown-chunk') ? parent.previousElementSibling?.lastElementChild ?? null : null;
}
