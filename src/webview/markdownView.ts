// One message's rendered Markdown, built to be cheap while text streams in.
//
// Finished top-level blocks (a paragraph, a code block, a table...) are rendered once and never
// touched again; each frame re-parses only the tail: the last block, which may still grow. A block
// counts as finished once the lexer sees another block start after it.
//
// Finished blocks live in chunks of BLOCKS_PER_CHUNK (`div.markdown-chunk`, `content-visibility:
// auto` in webview.css), so the browser's per-frame layout and paint of a streaming answer skip
// the chunks scrolled out of view instead of visiting every block of a 20k-token answer. The
// chunks depend only on the blocks, never on how the text arrived: streamed or whole, the same DOM.

import type { Token, TokensList } from 'marked';
import { formatBytes } from './format';
import { h, textButton } from './dom';
import { htmlReach } from './htmlNesting';
import { lex, renderMarkdown, renderTokens, type MarkdownKind } from './markdown';

/** Past this size a message is shown as plain text: Markdown of megabytes would stall the view. */
export const PLAIN_TEXT_THRESHOLD_CHARS = 200 * 1024;
/** How much of an oversized message is shown until the user asks for all of it. */
export const PLAIN_TEXT_PREVIEW_CHARS = 50 * 1024;
/** The still-growing code block of a streaming answer is highlighted only while it is this small. */
const STREAMING_HIGHLIGHT_LIMIT = 12_000;
/**
 * A growing code block larger than this stops being re-rendered each frame: new text is appended to
 * it as plain text, and it is highlighted once it closes.
 */
const APPEND_ONLY_CODE_MIN = 4_000;
/** A growing paragraph (or list, table...) larger than this streams as plain text until it finishes. */
const PLAIN_TAIL_MIN = 16_000;
const FENCE = /`{3}|~{3}/;
/** Finished blocks per chunk: few enough chunks for a long answer, few enough blocks for one frame's layout. */
const BLOCKS_PER_CHUNK = 50;


export interface MarkdownViewActions {
  /** Opens the whole text somewhere that copes with its size (a new editor). */
  openInEditor(text: string): void;
}

/** A message shown as plain text: the text node on screen and the notice's size label (preview only). */
interface PlainView {
  readonly showAll: boolean;
  readonly body: Text;
  readonly size: HTMLElement | undefined;
}

export class MarkdownView {
  readonly element = h('div', { class: 'markdown' });
  private readonly tail = h('div', { class: 'markdown-tail' });
  /** The chunk finished blocks are appended to, until it holds BLOCKS_PER_CHUNK of them. */
  private lastChunk: HTMLElement | undefined;
  private text = '';
  /** Characters of `text` already rendered as finished blocks, above `tail`. */
  private committed = 0;
  private plain: PlainView | undefined;
  private pendingCarriageReturn = '';
  /** The growing code block being appended to: its text node and how much of the tail it shows. */
  private streamingCode: { text: Text; shownLength: number } | undefined;
  /**
   * The lexer found a reference-style link definition ("[foo]: /url") in what streamed. Links
   * resolve across blocks, before or after the definition: the finished text is rendered whole.
   */
  private linkDefinitions = false;

  constructor(
    private readonly actions: MarkdownViewActions,
    private readonly kind: MarkdownKind = 'answer',
  ) {
    this.element.append(this.tail);
  }

  get source(): string {
    return this.text;
  }

  /**
   * Replaces the whole text. A finished message renders in one go; one still streaming renders as if
   * its text had just streamed in, so later deltas continue its last block.
   */
  reset(text: string, streaming: boolean): void {
    this.text = normalize(text);
    this.pendingCarriageReturn = '';
    this.plain = undefined;
    if (!streaming) {
      this.renderAll();
      return;
    }
    this.committed = 0;
    this.streamingCode = undefined;
    this.linkDefinitions = false;
    this.clearBlocks();
    this.renderStreaming();
  }

  /** Adds streamed text; nothing is rendered until `renderStreaming`. */
  appendText(text: string): void {
    // A CRLF may be split across two deltas: join before normalising.
    const joined = this.pendingCarriageReturn + text;
    this.pendingCarriageReturn = joined.endsWith('\r') ? '\r' : '';
    this.text += normalize(this.pendingCarriageReturn ? joined.slice(0, -1) : joined);
  }

  /** Renders what streamed in since the last call, touching only the unfinished tail. */
  renderStreaming(): void {
    if (this.plain || this.text.length > PLAIN_TEXT_THRESHOLD_CHARS) {
      this.renderPlain();
      return;
    }
    if (this.appendToStreamingCode()) return;
    this.streamingCode = undefined;
    const tokens = lex(this.text.slice(this.committed), this.kind);
    this.noteLinkDefinitions(tokens);
    const last = finishedCount(tokens, this.kind);
    if (last > 0) this.commit(tokens.slice(0, last), tokens.links, this.text.slice(this.committed));
    const growing = tokens.slice(Math.max(0, last));
    const growingSource = this.text.slice(this.committed);
    if (this.startStreamingCode(growing, growingSource)) return;
    if (growingSource.length > PLAIN_TAIL_MIN && growing[0]?.type !== 'code') {
      this.tail.replaceChildren(h('p', { class: 'streaming-plain' }, growingSource));
      return;
    }
    this.tail.replaceChildren(renderTokens(growing, tokens.links, { kind: this.kind, highlightLimit: STREAMING_HIGHLIGHT_LIMIT }));
  }

  /** A large open code fence becomes a block whose text only ever grows (no re-parse per frame). */
  private startStreamingCode(growing: Token[], source: string): boolean {
    if (growing.length !== 1 || growing[0]!.type !== 'code' || source.length < APPEND_ONLY_CODE_MIN) return false;
    const newline = source.indexOf('\n');
    // Only a fence at the left margin whose body has no fence-like text: then the body is the source as is.
    if (!/^(`{3,}|~{3,})/.test(source) || newline < 0 || FENCE.test(source.slice(newline + 1))) return false;
    const fragment = renderTokens(growing, undefined, { kind: this.kind, highlightLimit: 0 });
    const code = fragment.querySelector('pre code');
    if (!code) return false;
    const text = document.createTextNode(source.slice(newline + 1));
    code.replaceChildren(text);
    this.tail.replaceChildren(fragment);
    this.streamingCode = { text, shownLength: source.length };
    return true;
  }

  private appendToStreamingCode(): boolean {
    const code = this.streamingCode;
    if (!code) return false;
    const tail = this.text.slice(this.committed);
    // Look a little before the new text too: a closing fence may be split across deltas.
    if (FENCE.test(tail.slice(Math.max(0, code.shownLength - 2)))) return false;
    code.text.appendData(tail.slice(code.shownLength));
    code.shownLength = tail.length;
    return true;
  }

  /** The stream ended: render the tail as finished blocks (highlighted in full). */
  finish(): void {
    if (this.pendingCarriageReturn) this.text += '\n';
    this.pendingCarriageReturn = '';
    if (this.plain || this.text.length > PLAIN_TEXT_THRESHOLD_CHARS) {
      this.renderPlain();
      return;
    }
    this.streamingCode = undefined;
    const tail = this.text.slice(this.committed);
    const tokens = lex(tail, this.kind);
    if (this.noteLinkDefinitions(tokens)) {
      this.renderAll();
      return;
    }
    this.commit(tokens, tokens.links, tail);
    this.tail.replaceChildren();
  }

  private noteLinkDefinitions(tokens: TokensList): boolean {
    if (!this.linkDefinitions && Object.keys(tokens.links).length > 0) this.linkDefinitions = true;
    return this.linkDefinitions;
  }

  private commit(tokens: Token[], links: TokensList['links'] | undefined, tail: string): void {
    const raw = tokens.map((t) => t.raw).join('');
    if (!tail.startsWith(raw)) {
      // The lexer rewrote its input (it should not, the text is normalised): stay correct, not fast.
      this.renderAll();
      return;
    }
    this.appendBlocks(renderTokens(tokens, links, { kind: this.kind }));
    this.committed += raw.length;
  }

  /** Adds finished blocks to the last chunk, starting a new chunk whenever it is full. */
  private appendBlocks(blocks: DocumentFragment): void {
    for (const node of Array.from(blocks.childNodes)) {
      // Only elements count as blocks: the whitespace between them follows the block before it.
      const full = node.nodeType === Node.ELEMENT_NODE && this.lastChunk !== undefined && this.lastChunk.childElementCount >= BLOCKS_PER_CHUNK;
      if (!this.lastChunk || full) {
        this.lastChunk = h('div', { class: 'markdown-chunk' });
        this.element.insertBefore(this.lastChunk, this.tail);
      }
      this.lastChunk.append(node);
    }
  }

  /** Empties the view down to its (empty) tail. */
  private clearBlocks(): void {
    this.lastChunk = undefined;
    this.tail.replaceChildren();
    this.element.replaceChildren(this.tail);
  }

  private renderAll(): void {
    this.streamingCode = undefined;
    this.committed = this.text.length;
    if (this.text.length > PLAIN_TEXT_THRESHOLD_CHARS) {
      this.renderPlain();
      return;
    }
    this.plain = undefined;
    this.clearBlocks();
    this.appendBlocks(renderMarkdown(this.text, { kind: this.kind }));
  }

  /** Huge text: a preview as plain text, with the full text one click away. */
  private renderPlain(): void {
    this.streamingCode = undefined;
    this.committed = this.text.length;
    if (this.plain) this.updatePlain(this.plain);
    else this.buildPlain(false);
  }

  private buildPlain(showAll: boolean): void {
    const body = document.createTextNode(showAll ? this.text : this.text.slice(0, PLAIN_TEXT_PREVIEW_CHARS));
    const parts: Node[] = [h('div', { class: 'plain-text' }, body)];
    let size: HTMLElement | undefined;
    if (!showAll) {
      const more = textButton('Show All', { 'data-role': 'show-all' }, 'unfold', true);
      more.addEventListener('click', () => this.buildPlain(true));
      const open = textButton('Open in New Editor', {}, 'new-file', true);
      open.addEventListener('click', () => this.actions.openInEditor(this.text));
      size = h('span', {}, this.plainNotice());
      parts.push(h('div', { class: 'plain-text-notice' }, size, h('span', { class: 'button-row' }, more, open)));
    }
    this.plain = { showAll, body, size };
    this.clearBlocks();
    this.element.prepend(...parts);
  }

  /**
   * More text streamed into the plain view: added to what is shown, never rebuilt (rebuilding cost
   * the whole preview's layout every frame and threw away the reader's place in it). The preview is
   * already full, so only its size label changes.
   */
  private updatePlain(plain: PlainView): void {
    if (plain.showAll) plain.body.appendData(this.text.slice(plain.body.length));
    else if (plain.size) plain.size.textContent = this.plainNotice();
  }

  private plainNotice(): string {
    return `Long ${this.kind === 'prompt' ? 'message' : 'answer'} (${formatBytes(this.text.length)}): the first ${formatBytes(PLAIN_TEXT_PREVIEW_CHARS)} are shown as plain text.`;
  }
}

/** "2", "2.", "-" or "- x": a line that is, or may yet become, a list item. */
const LIST_ITEM_START = /^ {0,3}(?:[-*+](?:[ \t]|$)|\d{1,9}(?:[.)](?:[ \t]|$)|$))/;

/**
 * How many leading tokens are finished: all but the last non-space one, except that a list stays
 * open while the block after it may still turn out to be its next item ("1. a\n\n2" → "2. b"),
 * and that blocks inside a raw HTML element (`<details>` … `</details>`) wait for it to close.
 */
function finishedCount(tokens: readonly Token[], kind: MarkdownKind): number {
  let last = tokens.length - 1;
  while (last >= 0 && tokens[last]!.type === 'space') last--;
  if (last <= 0) return 0;
  let previous = last - 1;
  while (previous >= 0 && tokens[previous]!.type === 'space') previous--;
  if (previous >= 0 && tokens[previous]!.type === 'list' && LIST_ITEM_START.test(tokens[last]!.raw)) last = previous;
  if (kind === 'prompt') return last; // a prompt's HTML is all text
  const reach = htmlReach(tokens.slice(0, last));
  while (last > 0 && reach[last - 1]!.open) last--;
  return last;
}

function normalize(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
