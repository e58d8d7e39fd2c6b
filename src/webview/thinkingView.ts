// An answer's reasoning: a collapsed "Thinking" section above it. The reasoning streams into it
// while it is closed (the summary ticks "Thinking… 4 s"); once the answer begins it reads "Thought
// for 4 s". A native <details>: focusable, opened with Enter or Space, announced as a disclosure.
// The reasoning is model output, rendered by the same Markdown renderer (and sanitiser) as answers.

import { h, icon } from './dom';
import { formatElapsed } from './format';
import { MarkdownView } from './markdownView';

export interface ThinkingState {
  /** Reasoning is still coming: the model has not begun its answer. */
  readonly thinking: boolean;
  /** Epoch ms the thinking began, for the ticking label (the message's start when restored). */
  readonly since: number;
  /** How long the model thought, once the host has measured it. */
  readonly reasoningMs?: number;
}

export class ThinkingView {
  readonly element: HTMLDetailsElement;
  private readonly label = h('span', { class: 'thinking-label' });
  private readonly markdown: MarkdownView;
  private thinking: boolean;
  private since: number;
  private reasoningMs: number | undefined;
  /** When the answer began, measured here, until the host's `reasoningMs` arrives. */
  private endedAt: number | undefined;
  /** Reasoning appended since the last render. */
  private dirty = false;

  constructor(reasoning: string, state: ThinkingState, openInEditor: (text: string) => void) {
    this.thinking = state.thinking;
    this.since = state.since;
    this.reasoningMs = state.reasoningMs;
    this.markdown = new MarkdownView({ openInEditor }, 'answer');
    const summary = h('summary', { class: 'thinking-summary' }, icon('lightbulb', 'thinking-icon'), this.label, icon('chevron-right', 'thinking-chevron'));
    this.element = h('details', { class: 'thinking' }, summary, h('div', { class: 'thinking-body' }, this.markdown.element));
    this.markdown.reset(reasoning, state.thinking);
    this.renderLabel();
  }

  get isThinking(): boolean {
    return this.thinking;
  }

  /** Streamed reasoning: accumulated now, drawn by `render` at the next frame. */
  append(text: string): void {
    this.markdown.appendText(text);
    this.dirty = true;
  }

  /** Replaces the whole reasoning (a fresh copy of the message from the host). */
  reset(text: string): void {
    this.markdown.reset(text, this.thinking);
  }

  render(): void {
    if (this.dirty) {
      this.dirty = false;
      // Reasoning after the answer began (a few servers interleave) is rendered as finished at once.
      if (this.thinking) this.markdown.renderStreaming();
      else this.markdown.finish();
    }
    this.renderLabel();
  }

  /** The answer has begun, or the message ended: the thinking is over. */
  stop(): void {
    if (!this.thinking) return;
    this.thinking = false;
    this.endedAt = Date.now();
    this.dirty = false;
    this.markdown.finish();
    this.renderLabel();
  }

  setDuration(reasoningMs: number | undefined): void {
    if (reasoningMs === undefined || reasoningMs === this.reasoningMs) return;
    this.reasoningMs = reasoningMs;
    this.renderLabel();
  }

  renderLabel(): void {
    let text: string;
    if (this.thinking) text = `Thinking… ${formatElapsed(Date.now() - this.since)}`;
    else {
      const ms = this.reasoningMs ?? (this.endedAt !== undefined ? this.endedAt - this.since : undefined);
      // "Thought for 0 s" reads wrong: under a second is "1 s".
      text = ms === undefined ? 'Thoughts' : `Thought for ${formatElapsed(Math.max(1000, ms))}`;
    }
    if (this.label.textContent !== text) this.label.textContent = text;
    this.element.classList.toggle('streaming', this.thinking);
  }
}
