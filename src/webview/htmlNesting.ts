// Where raw HTML in an answer reaches across Markdown blocks. A `<details>` line opens an element
// that takes in the blocks after it until `</details>`; an unclosed `<b>` in a paragraph is
// reopened by the HTML parser in every paragraph after it. The renderer sanitises blocks in groups
// that such HTML cannot reach out of, and a streaming answer commits blocks only where no raw HTML
// element is open: so what HTML does to a block never depends on how the text arrived.

import type { Token } from 'marked';

/** Raw HTML tags the model may use for formatting; only bare ones (no attributes) pass. */
export const BARE_TAG = /^<\/?(?:b|i|em|strong|u|s|del|ins|mark|small|sub|sup|kbd|br|hr|p|details|summary)\s*\/?>$/i;

const TAG = /<[^>]*>?/g;
/** Elements that hold nothing (br, hr), or close themselves at the next block (p). */
const HOLDS_NO_BLOCKS = /^(?:br|hr|p)$/;
/** Opened inside a paragraph, these end the paragraph and take in what follows. */
const BREAKS_PARAGRAPH = /^(?:details|summary)$/;

/** After one top-level token: is a raw HTML element still open, and did the token hold raw HTML. */
export interface HtmlReach {
  readonly open: boolean;
  readonly html: boolean;
}

/** The raw HTML elements a piece of HTML opens and closes, applied to `stack` (names, innermost last). */
function applyTags(html: string, stack: string[], counts: (name: string) => boolean): void {
  for (const tag of html.match(TAG) ?? []) {
    if (!BARE_TAG.test(tag)) continue; // shown as text (see markdown.ts)
    const name = /^<\/?([a-z]+)/i.exec(tag)![1]!.toLowerCase();
    if (HOLDS_NO_BLOCKS.test(name) || !counts(name)) continue;
    if (!tag.startsWith('</')) stack.push(name);
    else if (stack.includes(name)) stack.length = stack.lastIndexOf(name);
  }
}

/** Inline HTML tokens inside `token`, at any depth (emphasis, links, list items, table cells). */
function inlineHtml(token: Token, found: Token[] = []): Token[] {
  const children: Token[] = [];
  if ('tokens' in token && Array.isArray(token.tokens)) children.push(...(token.tokens as Token[]));
  if (token.type === 'list') children.push(...(token.items as Token[]));
  if (token.type === 'table') {
    for (const cell of token.header as { tokens: Token[] }[]) children.push(...cell.tokens);
    for (const row of token.rows as { tokens: Token[] }[][]) for (const cell of row) children.push(...cell.tokens);
  }
  for (const child of children) {
    if (child.type === 'html') found.push(child);
    inlineHtml(child, found);
  }
  return found;
}

/**
 * For each top-level token of an answer, whether a raw HTML element is open after it and whether
 * it holds raw HTML. Only top-level HTML blocks and paragraphs can leave an element open: inside a
 * list item, quote, heading or table cell, the container's end closes it.
 */
export function htmlReach(tokens: readonly Token[]): HtmlReach[] {
  const stack: string[] = [];
  return tokens.map((token) => {
    let html = false;
    if (token.type === 'html') {
      html = true;
      applyTags(token.raw, stack, () => true);
    } else {
      for (const inline of inlineHtml(token)) {
        html = true;
        if (token.type === 'paragraph') applyTags(inline.raw, stack, (name) => BREAKS_PARAGRAPH.test(name));
      }
    }
    return { open: stack.length > 0, html };
  });
}

/**
 * Splits tokens into groups to sanitise apart: a group ends after a token that held raw HTML once
 * no element is open, so an unclosed formatting tag cannot reach the blocks after it.
 */
export function htmlGroups(tokens: readonly Token[], reach: readonly HtmlReach[] = htmlReach(tokens)): Token[][] {
  const groups: Token[][] = [[]];
  tokens.forEach((token, i) => {
    groups[groups.length - 1]!.push(token);
    if (reach[i]!.html && !reach[i]!.open && i < tokens.length - 1) groups.push([]);
  });
  return groups;
}
