// One message of the conversation: a user's prompt (context chips, thumbnails and Markdown) or an
// assistant's answer (model, its collapsed Thinking, streamed Markdown, waiting indicator, stopped
// badge, error box, note and stats).

import type { ErrorAction, MessageStats, ViewError, ViewMessage, WebviewMessage } from '../protocol';
import { sentChip } from './contextChips';
import { clear, h, icon, iconButton, textButton } from './dom';
import { formatBytes, formatCost, formatDuration, formatElapsed, formatTokens } from './format';
import { MarkdownView } from './markdownView';
import type { FrameScheduler, Renderable, Ticker } from './scheduler';
import { ThinkingView } from './thinkingView';

export interface MessageContext {
  readonly post: (message: WebviewMessage) => void;
  readonly scheduler: FrameScheduler;
  readonly ticker: Ticker;
  /** Tells assistive technology, once, that something finished. */
  readonly announce: (text: string) => void;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const ERROR_ACTION_LABELS: Record<ErrorAction, { label: string; icon: string }> = {
  setApiKey: { label: 'Set API Key', icon: 'key' },
  retry: { label: 'Retry', icon: 'refresh' },
  selectModel: { label: 'Select Model', icon: 'hubot' },
  openBilling: { label: 'Top Up Credits', icon: 'credit-card' },
  openSettings: { label: 'Open Settings', icon: 'settings-gear' },
  showLog: { label: 'Show Log', icon: 'output' },
};

const IN_PROGRESS = new Set(['streaming', 'waiting']);

export class MessageView implements Renderable {
  readonly element: HTMLElement;
  private readonly message: Mutable<ViewMessage>;
  private readonly noteSlot = h('div', { class: 'message-note' });
  private readonly badgeSlot = h('span', { class: 'message-badges' });
  private readonly bodySlot = h('div', { class: 'message-body' });
  private readonly imagesSlot = h('div', { class: 'message-images', hidden: true });
  private readonly contextSlot = h('div', { class: 'message-context context-chips', role: 'list', 'aria-label': 'Context sent with this prompt', hidden: true });
  private readonly waitingSlot = h('div', { class: 'message-waiting', hidden: true });
  private readonly errorSlot = h('div', { class: 'message-error-slot' });
  private readonly statsSlot = h('div', { class: 'message-stats' });
  private readonly actionsSlot = h('div', { class: 'message-actions' });
  private readonly markdown: MarkdownView;
  /** An answer's reasoning, made when the first of it arrives. */
  private thinking: ThinkingView | undefined;
  private readonly tick = () => {
    this.renderWaiting();
    this.thinking?.renderLabel();
  };
  private readonly firstSeenAt = Date.now();
  private isLast = false;
  private busy = false;
  /** False while the constructor renders a restored message: nothing of it is news to announce. */
  private live = false;

  constructor(message: ViewMessage, private readonly ctx: MessageContext) {
    this.message = { ...message };
    const isUser = message.role === 'user';
    this.element = h('article', {
      class: `message ${message.role}`,
      'data-id': message.id,
      'aria-label': isUser ? 'Your message' : `Answer from ${message.modelName ?? 'the model'}`,
    });
    const header = h(
      'header',
      { class: 'message-header' },
      icon(isUser ? 'account' : 'sparkle', 'message-avatar'),
      h('span', { class: 'message-author' }, isUser ? 'You' : (message.modelName ?? 'Assistant')),
      this.badgeSlot,
      this.actionsSlot,
    );
    this.element.append(this.noteSlot, header, this.bodySlot);
    this.markdown = new MarkdownView({ openInEditor: this.openInEditor }, isUser ? 'prompt' : 'answer');
    if (isUser) {
      this.markdown.element.classList.add('user-text');
      this.bodySlot.append(this.contextSlot, this.imagesSlot, this.markdown.element);
      this.renderContext();
      this.renderImages();
    } else {
      this.bodySlot.append(this.markdown.element);
      this.element.append(this.waitingSlot, this.errorSlot, this.statsSlot);
      if (message.reasoning) this.showThinking(message.reasoning, this.message.startedAt ?? this.firstSeenAt);
    }
    this.markdown.reset(message.text, IN_PROGRESS.has(message.status ?? ''));
    this.renderNote();
    this.renderStatus(undefined);
    this.renderError();
    this.renderStats();
    this.renderActions();
    this.live = true;
  }

  get id(): string {
    return this.message.id;
  }

  get role(): ViewMessage['role'] {
    return this.message.role;
  }

  get status(): ViewMessage['status'] {
    return this.message.status;
  }

  get data(): ViewMessage {
    return this.message;
  }

  /** Streamed text: accumulated now, drawn at the next animation frame. */
  appendDelta(text: string): void {
    if (this.role !== 'assistant' || !text) return;
    this.message.text += text;
    this.markdown.appendText(text);
    if (this.message.status === 'waiting') this.message.status = 'streaming';
    // The answer has begun: the thinking is over.
    this.thinking?.stop();
    this.ctx.scheduler.request(this);
  }

  /** Streamed reasoning, into the collapsed Thinking section above the answer. */
  appendReasoning(text: string): void {
    if (this.role !== 'assistant' || !text) return;
    this.message.reasoning = (this.message.reasoning ?? '') + text;
    if (this.thinking) this.thinking.append(text);
    else this.showThinking(text, Date.now());
    if (this.message.status === 'waiting') this.message.status = 'streaming';
    this.ctx.scheduler.request(this);
  }

  /** Called by the scheduler at most once per frame while text streams in. */
  render(): void {
    this.markdown.renderStreaming();
    this.thinking?.render();
    this.renderWaiting();
  }

  update(patch: Partial<Omit<ViewMessage, 'id' | 'role'>>): void {
    const before = { ...this.message };
    Object.assign(this.message, patch);
    if (patch.text !== undefined && patch.text !== before.text) {
      const wasInProgress = IN_PROGRESS.has(before.status ?? '');
      if (wasInProgress && patch.text.startsWith(before.text)) {
        this.markdown.appendText(patch.text.slice(before.text.length));
        this.ctx.scheduler.request(this);
      } else {
        this.ctx.scheduler.cancel(this);
        this.markdown.reset(patch.text, IN_PROGRESS.has(this.message.status ?? ''));
      }
    }
    if (patch.reasoning !== undefined && patch.reasoning !== before.reasoning && this.role === 'assistant') {
      if (this.thinking) this.thinking.reset(patch.reasoning);
      else this.showThinking(patch.reasoning, this.message.startedAt ?? this.firstSeenAt);
    }
    if (patch.images !== undefined && this.role === 'user') this.renderImages();
    if (patch.context !== undefined && this.role === 'user') this.renderContext();
    if (patch.modelName !== undefined) {
      const author = this.element.querySelector('.message-author');
      if (author) author.textContent = patch.modelName;
    }
    if ('note' in patch) this.renderNote();
    if ('status' in patch) this.renderStatus(before.status);
    if ('error' in patch) this.renderError();
    if ('stats' in patch) {
      this.renderStats();
      this.thinking?.setDuration(this.message.stats?.reasoningMs);
    }
    this.renderActions();
  }

  /** Whether this is the last prompt / last answer (they get Edit / Regenerate), and whether a request runs. */
  setPosition(isLast: boolean, busy: boolean): void {
    if (isLast === this.isLast && busy === this.busy) return;
    this.isLast = isLast;
    this.busy = busy;
    this.renderActions();
  }

  dispose(): void {
    this.ctx.ticker.delete(this.tick);
    this.ctx.scheduler.cancel(this);
  }

  private post(message: WebviewMessage): void {
    this.ctx.post(message);
  }

  private readonly openInEditor = (text: string): void => this.post({ type: 'code', action: 'newEditor', code: text, language: 'markdown' });

  /** The Thinking section, above the answer's text; still ticking while no answer text has come. */
  private showThinking(reasoning: string, since: number): void {
    const thinking = IN_PROGRESS.has(this.message.status ?? '') && this.message.text.length === 0;
    this.thinking = new ThinkingView(reasoning, { thinking, since, reasoningMs: this.message.stats?.reasoningMs }, this.openInEditor);
    this.bodySlot.prepend(this.thinking.element);
  }

  /** What was attached to a prompt; a chip with a place opens it in the editor. */
  private renderContext(): void {
    const chips = this.message.context ?? [];
    this.contextSlot.hidden = chips.length === 0;
    this.contextSlot.replaceChildren(...chips.map((chip) => sentChip(chip, (location) => this.post({ type: 'openContext', location }))));
  }

  /** The thumbnails of the images sent with a prompt, above its text. */
  private renderImages(): void {
    const images = this.message.images ?? [];
    this.imagesSlot.hidden = images.length === 0;
    this.imagesSlot.replaceChildren(
      ...images.map((image) =>
        h('img', {
          class: 'message-image',
          src: image.dataUrl,
          alt: image.name,
          title: `${image.name}, ${image.width}×${image.height}, ${formatBytes(image.bytes)}`,
          width: image.width,
          height: image.height,
          loading: 'lazy',
          decoding: 'async',
        }),
      ),
    );
  }

  private renderNote(): void {
    clear(this.noteSlot);
    this.noteSlot.hidden = !this.message.note;
    if (this.message.note) this.noteSlot.append(icon('info'), h('span', {}, this.message.note));
  }

  private renderStatus(previous: ViewMessage['status']): void {
    const status = this.message.status;
    const inProgress = IN_PROGRESS.has(status ?? '');
    this.element.classList.toggle('in-progress', inProgress);
    // While the answer streams, the log must not read out every token; it speaks once at the end.
    this.element.setAttribute('aria-busy', String(inProgress));
    clear(this.badgeSlot);
    if (status === 'stopped') {
      this.badgeSlot.append(h('span', { class: 'badge stopped', title: 'You stopped this answer; the text so far is kept.' }, icon('debug-stop'), 'Stopped'));
    }
    if (inProgress) this.ctx.ticker.add(this.tick);
    else this.ctx.ticker.delete(this.tick);
    if (IN_PROGRESS.has(previous ?? '') && !inProgress) {
      this.ctx.scheduler.cancel(this);
      this.thinking?.stop();
      this.markdown.finish();
      const who = this.message.modelName ?? 'The model';
      if (status === 'done') this.ctx.announce(`${who} answered.`);
      else if (status === 'stopped') this.ctx.announce('Answer stopped.');
    }
    this.renderWaiting();
  }

  /** Spinner and elapsed seconds while nothing has arrived yet (and all along for Segmind). */
  private renderWaiting(): void {
    const status = this.message.status;
    // Reasoning streaming in is progress: its own section ticks instead.
    const waiting = status === 'waiting' || (status === 'streaming' && this.message.text.length === 0 && !this.thinking);
    this.waitingSlot.hidden = !waiting;
    if (!waiting) return;
    const elapsed = formatElapsed(Date.now() - (this.message.startedAt ?? this.firstSeenAt));
    const label = status === 'waiting' ? 'Waiting for the answer' : 'Waiting for the first token';
    const text = `${label}… ${elapsed}`;
    const existing = this.waitingSlot.querySelector('.waiting-text');
    if (existing) {
      existing.textContent = text;
      return;
    }
    this.waitingSlot.append(icon('loading', 'codicon-modifier-spin'), h('span', { class: 'waiting-text' }, text));
  }

  private renderError(): void {
    clear(this.errorSlot);
    const error = this.message.error;
    if (!error) return;
    this.errorSlot.append(errorBox(error, this.message.id, (m) => this.post(m)));
    if (this.live) this.ctx.announce(`Error: ${error.message}`);
  }

  private renderStats(): void {
    clear(this.statsSlot);
    const parts = statsParts(this.message.stats);
    this.statsSlot.hidden = parts.length === 0;
    for (const part of parts) this.statsSlot.append(h('span', { class: 'stat', title: part.title }, part.text));
  }

  private renderActions(): void {
    clear(this.actionsSlot);
    if (this.role === 'user') {
      if (this.isLast && !this.busy) {
        const edit = iconButton('edit', 'Edit and resend this prompt');
        edit.addEventListener('click', () => this.post({ type: 'editLast' }));
        this.actionsSlot.append(edit);
      }
      return;
    }
    if (IN_PROGRESS.has(this.message.status ?? '')) return;
    if (this.message.text) {
      const copy = iconButton('copy', 'Copy answer');
      copy.addEventListener('click', () => this.post({ type: 'code', action: 'copy', code: this.message.text, language: 'markdown' }));
      this.actionsSlot.append(copy);
    }
    if (this.isLast && !this.busy) {
      const again = iconButton('refresh', 'Regenerate answer');
      again.addEventListener('click', () => this.post({ type: 'regenerate' }));
      this.actionsSlot.append(again);
    }
  }
}

function errorBox(error: ViewError, messageId: string, post: (m: WebviewMessage) => void): HTMLElement {
  const box = h(
    'div',
    { class: 'error-box', role: 'group', 'aria-label': 'Error' },
    h('div', { class: 'error-message' }, icon('error'), h('span', {}, error.message)),
  );
  if (error.detail) {
    box.append(h('details', { class: 'error-detail' }, h('summary', {}, 'Details'), h('pre', {}, error.detail)));
  }
  if (error.actions.length > 0) {
    const row = h('div', { class: 'button-row' });
    error.actions.forEach((action, index) => {
      const spec = ERROR_ACTION_LABELS[action] ?? { label: action, icon: 'arrow-right' };
      const title = action === 'openBilling' && error.billingUrl ? `Open ${error.billingUrl}` : undefined;
      const button = textButton(spec.label, { 'data-error-action': action, title }, spec.icon, index > 0);
      button.addEventListener('click', () => post({ type: 'errorAction', action, messageId }));
      row.append(button);
    });
    box.append(row);
  }
  return box;
}

function statsParts(stats: MessageStats | undefined): { text: string; title: string }[] {
  if (!stats) return [];
  const parts: { text: string; title: string }[] = [];
  const { promptTokens, completionTokens, totalTokens } = stats;
  if (promptTokens !== undefined && completionTokens !== undefined) {
    const prompt = formatTokens(promptTokens);
    const completion = formatTokens(completionTokens);
    parts.push({ text: `${prompt} → ${completion} tokens`, title: `${prompt} prompt tokens, ${completion} completion tokens` });
  } else if (completionTokens !== undefined) {
    parts.push({ text: `${formatTokens(completionTokens)} tokens`, title: 'Completion tokens' });
  } else if (totalTokens !== undefined) {
    parts.push({ text: `${formatTokens(totalTokens)} tokens`, title: 'Total tokens' });
  }
  if (stats.costUsd !== undefined) parts.push({ text: formatCost(stats.costUsd), title: 'Cost of this answer (US dollars)' });
  if (stats.creditsConsumed !== undefined) {
    parts.push({ text: `${Number(stats.creditsConsumed.toPrecision(3))} credits`, title: 'Segmind credits this answer used' });
  }
  if (stats.firstTokenMs !== undefined) parts.push({ text: `first token ${formatDuration(stats.firstTokenMs)}`, title: 'Time to the first token' });
  if (stats.totalMs !== undefined) parts.push({ text: formatDuration(stats.totalMs), title: 'Total time' });
  return parts;
}
