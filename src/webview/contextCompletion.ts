// `#` in the prompt box: a list of what can be attached (workspace files, the selection, problems…),
// asked of the host as the user types. ARIA combobox pattern: focus stays in the textarea, which
// names the list (aria-controls) and its active row (aria-activedescendant).

import type { ContextRef, ContextSuggestion, WebviewMessage } from '../protocol';
import { h, icon } from './dom';

/** Long enough to skip the middle of a fast-typed word, short enough to feel immediate. */
const QUERY_DELAY_MS = 60;
/** The protocol's limit on a query; a longer "#word" is not a search. */
const MAX_QUERY = 512;
const MAX_ROWS = 50;
const LISTBOX_ID = 'context-suggestions';

/** `#` at a word start and what follows it up to the caret. */
const TOKEN = /(?:^|[\s([{"'`])#([^\s#]*)$/;

const REF_ICONS: Record<ContextRef['kind'], string> = {
  file: 'file',
  activeFile: 'file',
  selection: 'selection',
  problems: 'warning',
  terminal: 'terminal',
  changes: 'git-compare',
};

export interface CompletionOptions {
  readonly input: HTMLTextAreaElement;
  readonly post: (message: WebviewMessage) => void;
  /** The textarea's text was changed here (the `#query` taken out): save the draft. */
  readonly onTextChanged: () => void;
}

interface Token {
  /** Index of the `#`. */
  readonly start: number;
  readonly query: string;
}

export class ContextCompletion {
  readonly element: HTMLElement;
  private readonly listbox = h('div', { id: LISTBOX_ID, class: 'context-suggestions', role: 'listbox', 'aria-label': 'Context to attach' });
  private readonly status = h('div', { class: 'context-suggestions-status' });
  private token: Token | undefined;
  /** The `#` whose list the user closed with Escape: it stays closed until another `#`. */
  private dismissedAt: number | undefined;
  private suggestions: readonly ContextSuggestion[] = [];
  private active = -1;
  private sentQuery: string | undefined;
  /** The query the shown rows answer (their matched letters are marked). */
  private rowsQuery = '';
  private latestRequest: string | undefined;
  private requestCount = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Enter or Tab came before the answer: take its first row when it arrives. */
  private acceptWhenAnswered = false;
  /** This `#` has had an answer: later queries keep the old rows (or nothing) up until theirs comes. */
  private answered = false;
  /** The popup is on screen (rows, or the first answer on its way). */
  private shown = false;

  constructor(private readonly options: CompletionOptions) {
    this.element = h('div', { class: 'context-popup', hidden: true }, this.status, this.listbox);
    const input = options.input;
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', LISTBOX_ID);
    input.setAttribute('aria-expanded', 'false');
    // The caret moving out of (or into) a `#word` closes (or opens) the list.
    input.addEventListener('click', () => this.update());
    input.addEventListener('keyup', (event) => {
      if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) this.update();
    });
    input.addEventListener('blur', () => this.close());
    // A click on a row must not take focus from the textarea (that would close the list first).
    this.listbox.addEventListener('mousedown', (event) => event.preventDefault());
    this.listbox.addEventListener('click', (event) => {
      const row = (event.target as Element).closest<HTMLElement>('[role="option"]');
      if (row?.dataset.index !== undefined) this.accept(Number(row.dataset.index));
    });
  }

  get isOpen(): boolean {
    return this.token !== undefined;
  }

  /** After every change of the text or the caret: opens, re-queries or closes the list. */
  update(): void {
    const token = this.currentToken();
    if (!token || token.start === this.dismissedAt) {
      if (!token) this.dismissedAt = undefined;
      this.close();
      return;
    }
    this.dismissedAt = undefined;
    const opening = this.token === undefined;
    this.token = token;
    if (opening) {
      this.suggestions = [];
      this.active = -1;
      this.answered = false;
      this.render();
    }
    if (token.query !== this.sentQuery) this.scheduleQuery(token.query);
  }

  /** The host's rows for a query; an answer to an older query is dropped. */
  answer(requestId: string, suggestions: readonly ContextSuggestion[]): void {
    if (requestId !== this.latestRequest || !this.token) return;
    this.latestRequest = undefined;
    this.answered = true;
    this.rowsQuery = this.sentQuery ?? '';
    this.suggestions = suggestions.slice(0, MAX_ROWS);
    this.active = this.suggestions.length > 0 ? 0 : -1;
    // Taken only if it answers what is typed now (no newer query waiting to go).
    if (this.acceptWhenAnswered && this.timer === undefined) {
      this.acceptWhenAnswered = false;
      if (this.suggestions.length > 0) {
        this.accept(0);
        return;
      }
    }
    this.render();
  }

  /** Keys for the list while it is open; true when the key was used (the composer then ignores it). */
  handleKey(event: KeyboardEvent): boolean {
    if (!this.token || !this.shown || event.isComposing) return false;
    const rows = this.suggestions.length;
    const plain = !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
    switch (event.key) {
      case 'Escape':
        // Default prevented: the view's Escape (stop the answer) leaves this one alone.
        event.preventDefault();
        this.dismissedAt = this.token.start;
        this.close();
        return true;
      case 'ArrowDown':
      case 'ArrowUp':
        if (rows === 0) return false;
        event.preventDefault();
        this.active = (this.active + (event.key === 'ArrowDown' ? 1 : rows - 1)) % rows;
        this.render();
        return true;
      case 'Enter':
      case 'Tab':
        if (!plain) return false;
        if (rows > 0) {
          event.preventDefault();
          this.accept(Math.max(0, this.active));
          return true;
        }
        // Typed faster than the first answer came: its first row is taken when it comes.
        event.preventDefault();
        this.acceptWhenAnswered = true;
        return true;
      default:
        return false;
    }
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.token = undefined;
    this.sentQuery = undefined;
    this.latestRequest = undefined;
    this.acceptWhenAnswered = false;
    this.suggestions = [];
    this.active = -1;
    this.render();
  }

  private currentToken(): Token | undefined {
    const input = this.options.input;
    if (input.selectionStart !== input.selectionEnd || document.activeElement !== input) return undefined;
    const before = input.value.slice(0, input.selectionStart);
    const match = TOKEN.exec(before);
    if (!match || match[1]!.length > MAX_QUERY) return undefined;
    return { start: before.length - match[1]!.length - 1, query: match[1]! };
  }

  private scheduleQuery(query: string): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sentQuery = query;
      this.latestRequest = `ctx-${++this.requestCount}`;
      this.options.post({ type: 'suggestContext', requestId: this.latestRequest, query });
      this.render();
    }, QUERY_DELAY_MS);
  }

  /** Takes the `#query` out of the text and asks the host to attach the row's context. */
  private accept(index: number): void {
    const suggestion = this.suggestions[index];
    const token = this.token;
    if (!suggestion || !token) return;
    const input = this.options.input;
    const end = token.start + 1 + token.query.length;
    if (input.value.slice(token.start, end) === `#${token.query}`) {
      input.setRangeText('', token.start, end, 'start');
    }
    this.close();
    this.options.onTextChanged();
    this.options.post({ type: 'attachContext', ref: suggestion.ref });
  }

  private render(): void {
    const input = this.options.input;
    const open = this.token !== undefined;
    const searching = open && !this.answered;
    // Open while there are rows, or while the first answer is on its way; nothing found closes it,
    // so Enter after "issue #12" sends as usual.
    const shown = open && (this.suggestions.length > 0 || searching);
    this.shown = shown;
    this.element.hidden = !shown;
    input.setAttribute('aria-expanded', String(shown));
    this.status.textContent = searching ? 'Searching…' : '';
    this.status.hidden = !searching;
    this.listbox.replaceChildren(
      ...this.suggestions.map((suggestion, index) =>
        h(
          'div',
          {
            id: `${LISTBOX_ID}-${index}`,
            class: index === this.active ? 'context-suggestion active' : 'context-suggestion',
            role: 'option',
            'aria-selected': String(index === this.active),
            'data-index': index,
          },
          icon(REF_ICONS[suggestion.ref.kind] ?? 'file'),
          h('span', { class: 'context-suggestion-label' }, ...highlighted(suggestion.label, this.rowsQuery)),
          suggestion.detail ? h('span', { class: 'context-suggestion-detail' }, suggestion.detail) : null,
        ),
      ),
    );
    if (shown && this.active >= 0) {
      input.setAttribute('aria-activedescendant', `${LISTBOX_ID}-${this.active}`);
      this.listbox.children[this.active]?.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }
}

/**
 * The label with the query's letters marked where they match in order (as Quick Open does), the
 * last path segment preferred: "#comp" marks "composer" in "src/webview/composer.ts".
 */
export function highlighted(label: string, query: string): (string | HTMLElement)[] {
  const wanted = query.toLowerCase();
  if (!wanted) return [label];
  const lower = label.toLowerCase();
  const base = lower.lastIndexOf('/') + 1;
  const positions = matchFrom(lower, wanted, base) ?? matchFrom(lower, wanted, 0);
  if (!positions) return [label];
  const parts: (string | HTMLElement)[] = [];
  let plainFrom = 0;
  for (let i = 0; i < positions.length; ) {
    let end = i;
    while (end + 1 < positions.length && positions[end + 1] === positions[end]! + 1) end++;
    if (positions[i]! > plainFrom) parts.push(label.slice(plainFrom, positions[i]));
    parts.push(h('span', { class: 'context-match' }, label.slice(positions[i], positions[end]! + 1)));
    plainFrom = positions[end]! + 1;
    i = end + 1;
  }
  if (plainFrom < label.length) parts.push(label.slice(plainFrom));
  return parts;
}

/** Where each letter of `wanted` first occurs in order from `from`, or undefined. */
function matchFrom(text: string, wanted: string, from: number): number[] | undefined {
  const positions: number[] = [];
  let at = from;
  for (const letter of wanted) {
    const found = text.indexOf(letter, at);
    if (found < 0) return undefined;
    positions.push(found);
    at = found + 1;
  }
  return positions;
}
