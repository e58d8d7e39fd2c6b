// The conversation: a scrolling `role="log"` of MessageViews.
//
// Long chats stay fast by keeping the DOM bounded: only the latest messages are built when a chat
// opens; older ones are built in batches as the user scrolls up (or presses "Show earlier
// messages"). Streaming touches one MessageView, never the list.

import { pathBefore } from './codeTarget';
import type { ViewMessage, WebviewMessage } from '../protocol';
import { h, icon, textButton } from './dom';
import type { ScrollPosition } from './persistedState';
import { MessageView, type MessageContext } from './messageView';

/** Messages built when a chat opens; enough to fill a tall view several times. */
export const INITIAL_RENDER_COUNT = 24;
/** Messages built each time the user nears the top of what is built. */
export const BATCH_RENDER_COUNT = 16;
/** How long a restored reading position is held while the messages around it take their real size. */
const RESTORE_SETTLE_MS = 1500;
/** Within this many pixels of the bottom counts as "at the bottom": streaming keeps it in view. */
const BOTTOM_SLACK_PX = 32;

export interface MessageListOptions {
  readonly context: MessageContext;
  /** The user scrolled; ask `scrollPosition()` when it is time to save. */
  readonly onScroll: () => void;
  /** Fills the prompt box from one of the welcome screen's suggestions. */
  readonly onSuggestion: (text: string) => void;
}

export class MessageList {
  readonly element: HTMLElement;
  private readonly content = h('div', { class: 'message-list-content' });
  private readonly earlier: HTMLButtonElement;
  private readonly welcome: HTMLElement;
  private messages: ViewMessage[] = [];
  private readonly views = new Map<string, MessageView>();
  /** Index in `messages` of the oldest message that has a view. */
  private builtFrom = 0;
  private busy = false;
  private stickToBottom = true;
  /** A restored reading position, held while the messages around it settle, until the user moves. */
  private restoring: { anchor: HTMLElement; offset: number; until: number } | undefined;
  private readonly observer: IntersectionObserver;

  constructor(private readonly options: MessageListOptions) {
    this.element = h('div', {
      class: 'message-list',
      role: 'log',
      'aria-live': 'polite',
      'aria-relevant': 'additions',
      'aria-label': 'Conversation',
      tabindex: '-1',
    });
    this.earlier = textButton('Show earlier messages', { class: 'text-button secondary earlier-button' }, 'fold-up', true);
    this.earlier.addEventListener('click', () => this.buildEarlier());
    this.welcome = welcomeScreen(options.onSuggestion);
    this.element.append(this.earlier, this.welcome, this.content);
    this.element.addEventListener('scroll', () => this.onUserScroll(), { passive: true });
    this.element.addEventListener('click', (event) => this.onClick(event));
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this.buildEarlier();
    }, { root: this.element, rootMargin: '800px 0px 0px 0px' });
    this.observer.observe(this.earlier);
    options.context.scheduler.onAfterRender(() => this.keepBottom());
    // Sizes change after the fact (messages laid out once shown, images decoded): hold the place.
    const resizes = new ResizeObserver(() => this.holdPlace());
    resizes.observe(this.element);
    resizes.observe(this.content);
    for (const type of ['wheel', 'pointerdown', 'keydown', 'touchstart'] as const) {
      this.element.addEventListener(type, () => (this.restoring = undefined), { passive: true });
    }
    this.refreshChrome();
  }

  get length(): number {
    return this.messages.length;
  }

  /** The conversation as the view holds it (streamed text included). */
  all(): readonly ViewMessage[] {
    return this.messages;
  }

  /** Replaces the whole conversation (the host's `state`). */
  setAll(messages: readonly ViewMessage[], busy: boolean, scroll?: ScrollPosition): void {
    for (const view of this.views.values()) view.dispose();
    this.views.clear();
    this.content.replaceChildren();
    this.messages = [...messages];
    this.busy = busy;
    this.restoring = undefined;
    this.builtFrom = Math.max(0, messages.length - INITIAL_RENDER_COUNT);
    if (scroll?.anchorId && !scroll.atBottom) {
      const anchor = this.messages.findIndex((m) => m.id === scroll.anchorId);
      if (anchor >= 0) this.builtFrom = Math.min(this.builtFrom, anchor);
    }
    const fragment = document.createDocumentFragment();
    for (const message of this.messages.slice(this.builtFrom)) fragment.append(this.createView(message).element);
    this.content.append(fragment);
    this.refreshChrome();
    this.refreshPositions();
    this.restoreScroll(scroll);
  }

  append(message: ViewMessage): void {
    const existing = this.messages.findIndex((m) => m.id === message.id);
    if (existing >= 0) {
      this.update(message.id, message);
      return;
    }
    this.messages.push(message);
    this.content.append(this.createView(message).element);
    if (message.role === 'user') {
      // A new prompt (sent, or from Explain Selection or the palette): show it and follow its answer.
      // It also ends the hold on a restored reading position, which would pull the view back there.
      this.restoring = undefined;
      this.stickToBottom = true;
    }
    this.refreshChrome();
    this.refreshPositions();
    this.keepBottom();
  }

  delta(id: string, text: string): void {
    const view = this.views.get(id);
    if (view) {
      view.appendDelta(text);
      return;
    }
    const index = this.messages.findIndex((m) => m.id === id);
    if (index >= 0) this.messages[index] = { ...this.messages[index]!, text: this.messages[index]!.text + text };
  }

  reasoningDelta(id: string, text: string): void {
    const view = this.views.get(id);
    if (view) {
      view.appendReasoning(text);
      return;
    }
    const index = this.messages.findIndex((m) => m.id === id);
    if (index >= 0) this.messages[index] = { ...this.messages[index]!, reasoning: (this.messages[index]!.reasoning ?? '') + text };
  }

  update(id: string, patch: Partial<Omit<ViewMessage, 'id' | 'role'>>): void {
    const index = this.messages.findIndex((m) => m.id === id);
    if (index < 0) return;
    const view = this.views.get(id);
    if (view) {
      view.update(patch);
      this.messages[index] = view.data;
    } else {
      this.messages[index] = { ...this.messages[index]!, ...patch };
    }
    this.refreshPositions();
    this.keepBottom();
  }

  remove(ids: readonly string[]): void {
    const gone = new Set(ids);
    const builtFrom = this.builtFrom;
    const kept: ViewMessage[] = [];
    this.messages.forEach((message, index) => {
      if (!gone.has(message.id)) {
        kept.push(message);
        return;
      }
      if (index < builtFrom) this.builtFrom--;
      const view = this.views.get(message.id);
      view?.dispose();
      view?.element.remove();
      this.views.delete(message.id);
    });
    this.messages = kept;
    this.refreshChrome();
    this.refreshPositions();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.refreshPositions();
  }

  scrollToBottom(): void {
    this.stickToBottom = true;
    this.element.scrollTop = this.element.scrollHeight;
  }

  /** Where the user is reading, to restore after a reload. */
  scrollPosition(): ScrollPosition {
    if (this.isAtBottom()) return { atBottom: true };
    const anchor = this.topVisibleMessage();
    if (!anchor) return { atBottom: true };
    const offset = this.element.getBoundingClientRect().top - anchor.getBoundingClientRect().top;
    return { atBottom: false, anchorId: anchor.dataset.id, anchorOffset: offset };
  }

  /** The first message whose bottom is inside the view. */
  private topVisibleMessage(): HTMLElement | undefined {
    const top = this.element.getBoundingClientRect().top;
    for (const child of Array.from(this.content.children) as HTMLElement[]) {
      if (child.getBoundingClientRect().bottom > top + 1) return child;
    }
    return undefined;
  }

  private createView(message: ViewMessage): MessageView {
    const view = new MessageView(message, this.options.context);
    this.views.set(message.id, view);
    return view;
  }

  /** Builds the next batch of older messages above the oldest built one, keeping the view still. */
  private buildEarlier(): void {
    if (this.builtFrom === 0) return;
    const from = Math.max(0, this.builtFrom - BATCH_RENDER_COUNT);
    const fragment = document.createDocumentFragment();
    for (const message of this.messages.slice(from, this.builtFrom)) fragment.append(this.createView(message).element);
    // Keep what the user is looking at still: measure the message at the top of the view before and
    // after (if the browser's own scroll anchoring already held it, the difference is zero).
    const anchor = this.topVisibleMessage();
    const topBefore = anchor?.getBoundingClientRect().top ?? 0;
    this.content.prepend(fragment);
    this.builtFrom = from;
    if (anchor) this.element.scrollTop += anchor.getBoundingClientRect().top - topBefore;
    this.refreshChrome();
  }

  private restoreScroll(scroll: ScrollPosition | undefined): void {
    if (!scroll || scroll.atBottom || !scroll.anchorId) {
      this.scrollToBottom();
      return;
    }
    const anchor = this.views.get(scroll.anchorId)?.element;
    if (!anchor) {
      this.scrollToBottom();
      return;
    }
    this.stickToBottom = false;
    this.restoring = { anchor, offset: scroll.anchorOffset ?? 0, until: performance.now() + RESTORE_SETTLE_MS };
    this.holdPlace();
  }

  private holdPlace(): void {
    const restoring = this.restoring;
    if (restoring && performance.now() < restoring.until && restoring.anchor.isConnected) {
      const top = restoring.anchor.getBoundingClientRect().top - this.element.getBoundingClientRect().top;
      this.element.scrollTop += top + restoring.offset;
      return;
    }
    this.restoring = undefined;
    this.keepBottom();
  }

  private isAtBottom(): boolean {
    const el = this.element;
    return el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
  }

  private onUserScroll(): void {
    this.stickToBottom = this.isAtBottom();
    this.options.onScroll();
  }

  /** While the user is at the bottom, growing text keeps the newest line in view. */
  private keepBottom(): void {
    if (this.stickToBottom) this.element.scrollTop = this.element.scrollHeight;
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as Element | null;
    const codeButton = target?.closest?.<HTMLButtonElement>('button[data-code-action]');
    if (codeButton && this.element.contains(codeButton)) {
      this.onCodeAction(codeButton);
      return;
    }
    const link = target?.closest?.('a');
    if (!link || !this.element.contains(link)) return;
    // A click must never navigate the webview itself; the host opens http(s) links outside.
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href && /^(?:https?:|mailto:)/i.test(href)) this.options.context.post({ type: 'openLink', href } satisfies WebviewMessage);
  }

  /** Copy / Insert at Cursor / Apply to File / Open in New Editor on a code block (see markdown.ts). */
  private onCodeAction(button: HTMLButtonElement): void {
    const block = button.closest<HTMLElement>('.code-block');
    const code = block?.querySelector('pre code')?.textContent;
    const action = button.dataset.codeAction;
    if (!block || code === undefined || code === null) return;
    if (action !== 'copy' && action !== 'insert' && action !== 'apply' && action !== 'newEditor') return;
    const target = action === 'apply' ? block.dataset.target ?? pathBefore(block) : undefined;
    this.options.context.post({ type: 'code', action, code, language: block.dataset.language || undefined, ...(target ? { target } : {}) });
    if (action === 'copy') flashCopied(button);
  }

  /** Tells the last prompt and the last answer that they are last (Edit / Regenerate). */
  private refreshPositions(): void {
    let lastUser: string | undefined;
    let lastAssistant: string | undefined;
    for (let i = this.messages.length - 1; i >= 0 && (!lastUser || !lastAssistant); i--) {
      const m = this.messages[i]!;
      if (m.role === 'user') lastUser ??= m.id;
      else if (!lastUser) lastAssistant ??= m.id; // only an answer after the last prompt can be regenerated
    }
    for (const view of this.views.values()) view.setPosition(view.id === lastUser || view.id === lastAssistant, this.busy);
  }

  private refreshChrome(): void {
    this.welcome.hidden = this.messages.length > 0;
    this.earlier.hidden = this.builtFrom === 0;
  }
}

/** The Copy button turns into a check mark for a moment, as in VS Code's own chat. */
function flashCopied(button: HTMLButtonElement): void {
  const glyph = button.querySelector('.codicon');
  if (!glyph) return;
  glyph.classList.replace('codicon-copy', 'codicon-check');
  button.setAttribute('aria-label', 'Copied');
  setTimeout(() => {
    glyph.classList.replace('codicon-check', 'codicon-copy');
    button.setAttribute('aria-label', 'Copy');
  }, 1500);
}

function welcomeScreen(onSuggestion: (text: string) => void): HTMLElement {
  const suggestions = [
    { icon: 'code', text: 'Explain the difference between let, const and var in JavaScript' },
    { icon: 'beaker', text: 'Write unit tests for a function that parses ISO 8601 dates' },
    { icon: 'file-media', text: 'Describe this screenshot (drop an image first)' },
  ];
  const list = h('div', { class: 'welcome-suggestions' });
  for (const suggestion of suggestions) {
    const button = h('button', { type: 'button', class: 'suggestion' }, icon(suggestion.icon), h('span', {}, suggestion.text));
    button.addEventListener('click', () => onSuggestion(suggestion.text));
    list.append(button);
  }
  return h(
    'div',
    { class: 'welcome' },
    h('div', { class: 'welcome-icon' }, icon('eye')),
    h('h2', {}, 'Open Vision Chat'),
    h('p', {}, 'Ask about code, errors or designs. Llama 3.2 Vision and LLaVA can also read screenshots and diagrams.'),
    list,
    h(
      'ul',
      { class: 'welcome-tips' },
      h('li', {}, icon('file-media'), h('span', {}, 'Drop, paste or attach an image to ask about it.')),
      h('li', {}, icon('selection'), h('span', {}, 'Select code and run “Vision Chat: Explain Selection” (Ctrl+Alt+E).')),
      h('li', {}, icon('hubot'), h('span', {}, 'Pick the model above; models marked “sees images” take pictures.')),
    ),
  );
}
