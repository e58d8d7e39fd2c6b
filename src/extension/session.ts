// One chat: the conversation on screen, and the request in flight. It builds requests from the
// conversation, streams the answer into the view (coalesced, never per token), and turns every
// outcome (done, stopped, an error) into what the view shows. No `vscode` here: the host hands in
// what it needs (`SessionHost`), so this runs under plain-Node tests against the simulator.

import type { Catalog } from '../core/catalog';
import { isProviderError } from '../core/errors';
import { endNoteFor, retryNote, retryReasonText, toViewError } from './errorWords';
import type { ChatEvent, ChatProvider, ChatRequest, ModelInfo, ProviderId } from '../core/types';
import { providerName } from '../core/providerTable';
import type { HostMessage, MessageStats, RawImage, ViewError, ViewImage, ViewMessage } from '../protocol';
import { type Attachment, fitAttachments } from './context/attachments';
import { type Conversation, conversationBytes, formatBytes, lastPromptIndex, MAX_CHAT_BYTES, newMessageId, type SentContext, titleFor, toImageData, toRawImage, UNTITLED } from './conversation';
import { modelLabel, resolveModel } from './models';
import { buildChatRequest, type RequestSettings } from './request';
import { estimateRequestTokens, inputTokenLimit } from './tokens';

export interface SessionSettings extends RequestSettings {
  readonly modelId: string;
}

export interface SessionLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface SessionHost {
  post(message: HostMessage): void;
  catalog(): Catalog;
  settings(): SessionSettings;
  /** Throws ProviderError `noKey` when the provider needs a key and none is set. */
  providerFor(model: ModelInfo): Promise<ChatProvider>;
  /** Runs the Set API Key flow; true when a key was stored. */
  requestApiKey(provider: ProviderId): Promise<boolean>;
  /**
   * Asks before a request that would pass the spend limit per day; true when it may be sent. The
   * estimate is a function: with no limit set, a send does not estimate the whole chat for nothing.
   */
  confirmSpend?(model: ModelInfo, estimateInputTokens: () => number): Promise<boolean>;
  reportCredits(provider: ProviderId, event: ChatEvent): void;
  /** The conversation changed; `turnEnded` when an answer finished (persist now rather than later). */
  conversationChanged(conversation: Conversation, turnEnded: boolean): void;
  notify(level: 'info' | 'warning' | 'error', message: string): void;
  /** A prompt went back to the prompt box: its attachments go back above it (held again, chips posted). */
  restoreContext?(attachments: readonly Attachment[]): void;
  readonly log: SessionLog;
}

export interface TurnOptions {
  /** Use this model for this turn only (Describe Image switches to a vision model). */
  readonly modelId?: string;
  /** A line shown above the answer. */
  readonly note?: string;
  /** What is attached to the prompt (the chips above the prompt box), in the order attached. */
  readonly context?: readonly Attachment[];
  /** Chips the view sent whose text the host no longer holds (a reloaded window): named in the note. */
  readonly missingContext?: number;
}

export interface SessionOptions {
  /** A chat's text and images together; a prompt that would pass it is refused (default MAX_CHAT_BYTES). */
  readonly maxChatBytes?: number;
}

export interface SessionSnapshot {
  readonly conversationId: string;
  readonly title: string;
  readonly messages: readonly ViewMessage[];
  readonly busy: boolean;
}

/** Deltas are batched for this long: fast enough to look live, few enough messages to keep the view light. */
export const DELTA_FLUSH_MS = 24;

type MutableStats = { -readonly [K in keyof MessageStats]: MessageStats[K] };

interface Turn {
  readonly controller: AbortController;
  readonly messageId: string;
  readonly model: ModelInfo;
  readonly startedAt: number;
  readonly note: string;
  readonly stats: MutableStats;
  pending: string;
  /** Reasoning not yet posted, and when the first of it came (performance.now()). */
  pendingReasoning: string;
  reasoningStartedAt?: number;
  flushTimer?: ReturnType<typeof setTimeout>;
  /** Stopped by the user: the stream's remaining events are ignored. */
  detached: boolean;
  /** Regenerate: the answer this one replaces, kept on screen until this one has text. */
  replaces?: string;
}

export class ChatSession {
  private turn: Turn | undefined;
  /** True between accepting a prompt and starting its request (the key flow may run in between). */
  private starting = false;
  /** Waiting for the prompt being accepted to become a turn (or be refused). */
  private startWaiters: (() => void)[] = [];
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: SessionHost,
    private conversation: Conversation,
    private readonly options: SessionOptions = {},
  ) {}

  get busy(): boolean {
    return this.starting || this.turn !== undefined;
  }

  get conversationId(): string {
    return this.conversation.id;
  }

  /** The conversation with any text still waiting to be posted folded in. */
  snapshot(): SessionSnapshot {
    if (this.turn) this.flush(this.turn);
    return {
      conversationId: this.conversation.id,
      title: this.conversation.title,
      messages: [...this.conversation.messages],
      busy: this.busy,
    };
  }

  conversationForSaving(): Conversation {
    if (this.turn) this.flush(this.turn);
    return this.conversation;
  }

  /** Switches to another conversation, stopping the answer in flight. */
  load(conversation: Conversation): void {
    this.stop();
    this.conversation = conversation;
  }

  /**
   * Resolves once the prompt being accepted (if any) is under way or was refused: its model and
   * history are fixed and its request has started. The answer itself may stream for a long time yet.
   */
  whenStarted(): Promise<void> {
    if (!this.starting) return Promise.resolve();
    return new Promise((resolve) => this.startWaiters.push(resolve));
  }

  /** Resolves once the request in flight (if any) has fully wound down. */
  whenIdle(): Promise<void> {
    return this.running;
  }

  /** Sends a prompt as a new turn and resolves when the answer has ended (done, stopped or failed). */
  async send(text: string, images: readonly ViewImage[] = [], options: TurnOptions = {}): Promise<void> {
    const prompt = text.trim();
    const attached = options.context ?? [];
    if (!prompt && images.length === 0 && attached.length === 0) return;
    if (this.busy) {
      this.host.notify('warning', 'An answer is still coming. Stop it before sending another prompt.');
      this.giveBack(text, images, attached);
      return;
    }
    this.setStarting(true);
    let started = false;
    let added = false;
    // The turn belongs to this chat, whatever is shown by the time its key is set (by id: the same
    // chat reopened from history is another object).
    const conversation = this.conversation;
    try {
      const maxBytes = this.options.maxChatBytes ?? MAX_CHAT_BYTES;
      const attachedText = attached.map((a) => a.block).join('');
      if (conversationBytes(conversation, { text: prompt + attachedText, images }) > maxBytes) {
        this.host.notify('warning', `This chat has reached its size limit (${formatBytes(maxBytes)} with its images). Start a New Chat to go on; your prompt is back in the box.`);
        this.giveBack(text, images, attached);
        return;
      }
      const { model, note } = this.turnModel(options);
      const { user, sent } = this.userMessage(model, prompt, images, options);

      const prepared = this.prepareRequest(model, [...conversation.messages, user], images.length, { [user.id]: sent });
      if (!('request' in prepared)) {
        added = true;
        this.addTurnWithError(user, sent, model, prepared.refusal, note);
        return;
      }
      if (!(await this.spendConfirmed(model, prepared.request))) {
        this.giveBack(text, images, attached);
        return;
      }
      const provider = await this.acquireProvider(model);
      if (provider === 'noKey') {
        this.giveBack(text, images, attached);
        return;
      }
      if (this.conversation.id !== conversation.id) {
        this.leaveInChat(conversation, user, sent, model, note);
        return;
      }
      added = true;
      if (provider instanceof Error) {
        this.addTurnWithError(user, sent, model, toViewError(provider), note);
        return;
      }
      this.addPrompt(conversation, user, sent);
      if (this.conversation.title === UNTITLED) this.conversation.title = titleFor(prompt, images);
      started = true;
      await this.startTurn(model, provider, prepared.request, note);
    } catch (e) {
      if (started) throw e;
      // A bug must not cost the user their prompt: back in the box (or, once in the chat, kept there).
      this.host.log.error(`Unexpected failure before sending a prompt: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!added) this.giveBack(text, images, attached);
      this.host.notify('error', `Vision Chat could not send the prompt: something unexpected went wrong (see Vision Chat: Show Log).${added ? '' : ' Your prompt is back in the box.'}`);
    } finally {
      if (!started) this.setStarting(false);
    }
  }

  /** Asks again for the last answer, with the chat's current model (also the Retry of an error). */
  async regenerate(options: TurnOptions = {}): Promise<void> {
    if (this.busy) return;
    const messages = this.conversation.messages;
    const lastAnswer = messages.at(-1)?.role === 'assistant' ? messages.at(-1) : undefined;
    const prompt = messages.at(lastAnswer ? -2 : -1);
    if (!prompt || prompt.role !== 'user') return;

    this.setStarting(true);
    let started = false;
    const conversation = this.conversation;
    // An answer with text stays until its replacement has text: a failed Regenerate loses nothing.
    const keep = lastAnswer && lastAnswer.text.trim() ? lastAnswer : undefined;
    try {
      const { model, note } = this.turnModel(options);
      const history = lastAnswer ? messages.slice(0, -1) : messages;
      const prepared = this.prepareRequest(model, history, prompt.images?.length ?? 0);
      // Declined: the chat stays as it was, the last answer included.
      if ('request' in prepared && !(await this.spendConfirmed(model, prepared.request))) return;
      const provider = 'request' in prepared ? await this.acquireProvider(model) : undefined;
      if (provider === 'noKey' || this.conversation.id !== conversation.id) return;
      if (!('request' in prepared) || provider instanceof Error || !provider) {
        const error = 'refusal' in prepared ? prepared.refusal : toViewError(provider);
        if (keep) {
          this.host.notify('error', regenerateFailed(error.message));
          return;
        }
        if (lastAnswer) this.removeMessages([lastAnswer.id]);
        this.addMessage(this.errorAnswer(model, error, note));
        this.changed(true);
        return;
      }
      if (lastAnswer && !keep) this.removeMessages([lastAnswer.id]);
      started = true;
      await this.startTurn(model, provider, prepared.request, note, keep?.id);
    } catch (e) {
      if (started) throw e;
      this.host.log.error(`Unexpected failure before asking again: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      this.host.notify('error', 'Vision Chat could not ask again: something unexpected went wrong (see Vision Chat: Show Log).');
    } finally {
      if (!started) this.setStarting(false);
    }
  }

  /** Takes the last prompt back into the prompt box, removing it and its answer. */
  editLast(): void {
    if (this.starting) return;
    this.stop();
    const messages = this.conversation.messages;
    const index = lastPromptIndex(messages);
    if (index < 0) return;
    const prompt = messages[index];
    const attached = this.attachmentsOf(prompt);
    this.removeMessages(messages.slice(index).map((m) => m.id));
    if (this.conversation.messages.length === 0) this.conversation.title = UNTITLED;
    this.giveBack(prompt.text, prompt.images ?? [], attached);
    this.changed(true);
  }

  /** Cancels the request in flight at once; the partial answer stays, marked stopped. */
  stop(): void {
    const turn = this.turn;
    if (!turn) return;
    turn.detached = true;
    turn.controller.abort();
    this.finishTurn(turn, 'stopped');
  }

  dispose(): void {
    this.stop();
  }

  // ---- the turn in flight ----

  private startTurn(model: ModelInfo, provider: ChatProvider, request: ChatRequest, note: string, replaces?: string): Promise<void> {
    const turn: Turn = {
      ...(replaces ? { replaces } : {}),
      controller: new AbortController(),
      messageId: newMessageId(),
      model,
      startedAt: performance.now(),
      note,
      stats: {},
      pending: '',
      pendingReasoning: '',
      detached: false,
    };
    this.addMessage({
      id: turn.messageId,
      role: 'assistant',
      text: '',
      modelId: model.id,
      modelName: modelLabel(model),
      status: 'streaming',
      startedAt: Date.now(),
      ...(note ? { note } : {}),
    });
    // Busy throughout: `starting` hands over to the turn without a flicker.
    const wasBusy = this.busy;
    this.turn = turn;
    this.starting = false;
    this.releaseStartWaiters();
    if (!wasBusy) this.post({ type: 'busy', busy: true });
    this.changed(false);
    this.running = this.consume(turn, provider, request);
    return this.running;
  }

  private async consume(turn: Turn, provider: ChatProvider, request: ChatRequest): Promise<void> {
    let outcome: 'done' | 'stopped' = 'done';
    let endNote: string | undefined;
    try {
      for await (const event of provider.stream(request, turn.controller.signal)) {
        if (turn.detached) break;
        switch (event.type) {
          case 'delta':
            this.onDelta(turn, event.text);
            break;
          case 'reasoning':
            this.onReasoning(turn, event.text);
            break;
          case 'waiting':
            this.patch(turn.messageId, { status: 'waiting', startedAt: Date.now() });
            break;
          case 'retry':
            this.patch(turn.messageId, { note: retryNote(event.reason, event.delayMs) });
            this.host.log.info(`${logName(turn.model)}: retry ${event.attempt} in ${event.delayMs} ms (${retryReasonText(event.reason)})`);
            break;
          case 'usage':
            Object.assign(turn.stats, definedOnly(event.usage));
            this.host.reportCredits(turn.model.provider, event);
            break;
          case 'credits':
            if (event.credits.consumed !== undefined) turn.stats.creditsConsumed = event.credits.consumed;
            this.host.reportCredits(turn.model.provider, event);
            break;
          case 'end':
            outcome = event.outcome === 'cancelled' ? 'stopped' : 'done';
            endNote = endNoteFor(event.finishReason);
            break;
        }
      }
      if (turn.detached) return;
      this.finishTurn(turn, outcome, endNote);
    } catch (e) {
      if (turn.detached) return;
      if (isProviderError(e) && e.kind === 'cancelled') {
        this.finishTurn(turn, 'stopped');
        return;
      }
      // A refused request still reports the balance (Segmind's 406 does): the status bar shows it.
      if (isProviderError(e) && e.credits) this.host.reportCredits(turn.model.provider, { type: 'credits', credits: e.credits });
      const error = toViewError(e);
      if (!isProviderError(e)) this.host.log.error(`${logName(turn.model)}: unexpected failure: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      this.finishTurn(turn, 'error', undefined, error);
    }
  }

  private onDelta(turn: Turn, text: string): void {
    if (!text) return;
    if (turn.stats.firstTokenMs === undefined) {
      turn.stats.firstTokenMs = Math.round(performance.now() - turn.startedAt);
      this.endReasoning(turn);
      // The first text replaces any working indicator or retry note.
      if (turn.reasoningStartedAt === undefined) this.patch(turn.messageId, { status: 'streaming', note: turn.note });
    }
    turn.pending += text;
    turn.flushTimer ??= setTimeout(() => this.flush(turn), DELTA_FLUSH_MS);
  }

  /** The model's thinking: streamed into the answer's Thinking section, batched like the text. */
  private onReasoning(turn: Turn, text: string): void {
    if (!text) return;
    if (turn.reasoningStartedAt === undefined) {
      turn.reasoningStartedAt = performance.now();
      // Thinking is progress too: it replaces any working indicator or retry note.
      if (turn.stats.firstTokenMs === undefined) this.patch(turn.messageId, { status: 'streaming', note: turn.note });
    }
    turn.pendingReasoning += text;
    turn.flushTimer ??= setTimeout(() => this.flush(turn), DELTA_FLUSH_MS);
  }

  /** How long the model thought: from its first reasoning to its first answer text, or to the end. */
  private endReasoning(turn: Turn): void {
    if (turn.reasoningStartedAt !== undefined && turn.stats.reasoningMs === undefined) {
      turn.stats.reasoningMs = Math.round(performance.now() - turn.reasoningStartedAt);
    }
  }

  private flush(turn: Turn): void {
    if (turn.flushTimer) clearTimeout(turn.flushTimer);
    turn.flushTimer = undefined;
    if (turn.pendingReasoning) {
      const reasoning = turn.pendingReasoning;
      turn.pendingReasoning = '';
      const message = this.find(turn.messageId);
      if (message) {
        this.replace({ ...message, reasoning: (message.reasoning ?? '') + reasoning });
        this.post({ type: 'reasoningDelta', id: turn.messageId, text: reasoning });
      }
    }
    if (!turn.pending) return;
    const text = turn.pending;
    turn.pending = '';
    const message = this.find(turn.messageId);
    if (!message) return;
    if (turn.replaces) {
      // The old answer goes in the same breath as the new one's first text appears.
      this.removeMessages([turn.replaces]);
      turn.replaces = undefined;
    }
    this.replace({ ...message, text: message.text + text });
    this.post({ type: 'delta', id: turn.messageId, text });
  }

  private finishTurn(turn: Turn, status: 'done' | 'stopped' | 'error', note?: string, error?: ViewError): void {
    this.flush(turn);
    this.endReasoning(turn);
    const totalMs = Math.round(performance.now() - turn.startedAt);
    const stats: MessageStats = { ...turn.stats, totalMs };
    const message = this.find(turn.messageId);
    const emptyAnswer = status === 'done' && !message?.text.trim();
    const finalNote = joinNotes(turn.note, note, emptyAnswer ? 'The model sent an empty answer.' : undefined);
    if (turn.replaces && !message?.text.trim()) {
      // Regenerate brought no text: the answer it was to replace stays, as it was.
      this.removeMessages([turn.messageId]);
      if (status === 'error' && error) this.host.notify('error', regenerateFailed(error.message));
      else if (status === 'done') this.host.notify('warning', 'The model sent an empty answer; the previous answer is kept.');
    } else {
      this.patch(turn.messageId, { status, stats, note: finalNote, ...(error ? { error } : {}) });
    }
    if (this.turn === turn) this.turn = undefined;
    this.post({ type: 'busy', busy: this.busy });
    this.changed(true);

    const firstToken = stats.firstTokenMs !== undefined ? `, first token ${stats.firstTokenMs} ms` : '';
    const failure = status === 'error' && error ? ` (${error.kind}): ${error.message}` : '';
    const line = `${logName(turn.model)}: ${status} in ${totalMs} ms${firstToken}${failure}`;
    if (status === 'error') this.host.log.warn(line);
    else this.host.log.info(line);
  }

  // ---- before a request ----

  private spendConfirmed(model: ModelInfo, request: ChatRequest): Promise<boolean> {
    return this.host.confirmSpend?.(model, () => estimateRequestTokens(request)) ?? Promise.resolve(true);
  }

  /** A provider client, or 'noKey' when the key flow was cancelled, or the error to show. */
  private async acquireProvider(model: ModelInfo): Promise<ChatProvider | 'noKey' | Error> {
    try {
      return await this.host.providerFor(model);
    } catch (e) {
      if (!(isProviderError(e) && e.kind === 'noKey')) return asError(e);
    }
    if (!(await this.host.requestApiKey(model.provider))) return 'noKey';
    try {
      return await this.host.providerFor(model);
    } catch (e) {
      return isProviderError(e) && e.kind === 'noKey' ? 'noKey' : asError(e);
    }
  }

  /** The turn's own model or the chat's, with the caller's note and why a missing model was replaced. */
  private turnModel(options: TurnOptions): { model: ModelInfo; note: string } {
    const { model, note: fallbackNote } = resolveModel(this.host.catalog(), options.modelId ?? this.host.settings().modelId);
    return { model, note: joinNotes(fallbackNote, options.note) };
  }

  /**
   * The prompt as the chat keeps it, and the blocks sent with it: the attachments that fit the model
   * beside the words and images (the others are named in the prompt's note, never cut silently).
   */
  private userMessage(model: ModelInfo, prompt: string, images: readonly ViewImage[], options: TurnOptions): { user: ViewMessage; sent: SentContext[] } {
    const attached = options.context ?? [];
    const settings = this.host.settings();
    const question = { role: 'user' as const, content: prompt, images: images.map(toImageData).filter((i) => i !== undefined) };
    // Attachments come before older exchanges: those are dropped first when the window is full.
    const budget = inputTokenLimit(model, settings.maxTokens) - estimateRequestTokens({ model, messages: [question], options: { systemPrompt: settings.systemPrompt } });
    const fitted = fitAttachments(attached, budget, model);
    const missing = options.missingContext
      ? `${options.missingContext === 1 ? 'One attachment was' : `${options.missingContext} attachments were`} no longer held by Vision Chat (was the window reloaded?) and not sent; attach again to send.`
      : undefined;
    const note = joinNotes(fitted.note, missing);
    const user: ViewMessage = {
      id: newMessageId(),
      role: 'user',
      text: prompt,
      ...(images.length ? { images } : {}),
      ...(fitted.chips.length ? { context: fitted.chips } : {}),
      ...(note ? { note } : {}),
    };
    return { user, sent: fitted.kept.map((a) => ({ id: a.chip.id, block: a.block })) };
  }

  /** The attachments a prompt was sent with, as chips and blocks again (Edit Last Prompt). */
  private attachmentsOf(prompt: ViewMessage): Attachment[] {
    const sent = this.conversation.context?.[prompt.id] ?? [];
    return (prompt.context ?? []).flatMap((chip) => {
      const block = sent.find((s) => s.id === chip.id)?.block;
      return block !== undefined ? [{ chip, block }] : [];
    });
  }

  /**
   * The request for `history` (ending with the prompt to answer), or why it cannot be sent: images
   * a model cannot take are refused before any request is made.
   */
  private prepareRequest(model: ModelInfo, history: readonly ViewMessage[], newImages: number, adding: Record<string, readonly SentContext[]> = {}): { request: ChatRequest } | { refusal: ViewError } {
    if (newImages > model.maxImages && model.maxImages > 0) {
      const limit = model.maxImages === 1 ? 'one image' : `${model.maxImages} images`;
      return {
        refusal: {
          kind: 'unsupported',
          message: `${modelLabel(model)} takes ${limit} per prompt; this one has ${newImages}. Edit the prompt and send the images one at a time.`,
          actions: ['selectModel'],
        },
      };
    }
    try {
      const context = { ...this.conversation.context, ...adding };
      return { request: buildChatRequest(model, history, this.host.settings(), this.host.catalog().visionModels(), context) };
    } catch (e) {
      if (!isProviderError(e)) throw e;
      const error = toViewError(e);
      // After choosing a model that can see, Retry asks again with it.
      const actions = error.actions.includes('selectModel') && !error.actions.includes('retry') ? [...error.actions, 'retry' as const] : error.actions;
      return { refusal: { ...error, actions } };
    }
  }

  private addTurnWithError(user: ViewMessage, sent: readonly SentContext[], model: ModelInfo, error: ViewError, note: string): void {
    this.addPrompt(this.conversation, user, sent);
    if (this.conversation.title === UNTITLED) this.conversation.title = titleFor(user.text, user.images ?? []);
    this.addMessage(this.errorAnswer(model, error, note));
    this.changed(true);
  }

  /**
   * The chat was left while its prompt waited for a key: the prompt stays in that chat, not sent,
   * with a Retry that sends it; the chat now shown is not touched.
   */
  private leaveInChat(conversation: Conversation, user: ViewMessage, sent: readonly SentContext[], model: ModelInfo, note: string): void {
    conversation.messages.push(user);
    if (sent.length) conversation.context = { ...conversation.context, [user.id]: sent };
    if (conversation.title === UNTITLED) conversation.title = titleFor(user.text, user.images ?? []);
    const error: ViewError = { kind: 'cancelled', message: 'Not sent: you left this chat while the API key was being set. Retry sends it.', actions: ['retry'] };
    conversation.messages.push(this.errorAnswer(model, error, note));
    conversation.updatedAt = Date.now();
    this.host.conversationChanged(conversation, true);
  }

  private errorAnswer(model: ModelInfo, error: ViewError, note: string): ViewMessage {
    return {
      id: newMessageId(),
      role: 'assistant',
      text: '',
      modelId: model.id,
      modelName: modelLabel(model),
      status: 'error',
      error,
      ...(note ? { note } : {}),
    };
  }

  /** Puts a prompt that was not sent back in the prompt box, with its attachments, so nothing is lost. */
  private giveBack(text: string, images: readonly ViewImage[], attached: readonly Attachment[] = []): void {
    const raw = images.map(toRawImage).filter((i): i is RawImage => i !== undefined);
    this.post({ type: 'setDraft', text, ...(raw.length ? { images: raw } : {}) });
    if (attached.length) this.host.restoreContext?.(attached);
  }

  // ---- the conversation ----

  private setStarting(starting: boolean): void {
    const wasBusy = this.busy;
    this.starting = starting;
    if (!starting) this.releaseStartWaiters();
    if (this.busy !== wasBusy) this.post({ type: 'busy', busy: this.busy });
  }

  private releaseStartWaiters(): void {
    for (const resolve of this.startWaiters.splice(0)) resolve();
  }

  private find(id: string): ViewMessage | undefined {
    return this.conversation.messages.find((m) => m.id === id);
  }

  private replace(message: ViewMessage): void {
    const messages = this.conversation.messages;
    const index = messages.findIndex((m) => m.id === message.id);
    if (index >= 0) messages[index] = message;
  }

  /** A prompt joins the chat (on screen) with the blocks sent beside it. */
  private addPrompt(conversation: Conversation, user: ViewMessage, sent: readonly SentContext[]): void {
    if (sent.length) conversation.context = { ...conversation.context, [user.id]: sent };
    this.addMessage(user);
  }

  private addMessage(message: ViewMessage): void {
    this.conversation.messages.push(message);
    this.post({ type: 'append', message });
  }

  private patch(id: string, patch: Partial<Omit<ViewMessage, 'id' | 'role'>>): void {
    const message = this.find(id);
    if (!message) return;
    this.replace({ ...message, ...patch });
    this.post({ type: 'update', id, patch });
  }

  private removeMessages(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    this.conversation.messages = this.conversation.messages.filter((m) => !gone.has(m.id));
    const context = this.conversation.context;
    if (context && ids.some((id) => Object.hasOwn(context, id))) {
      const kept = Object.entries(context).filter(([id]) => !gone.has(id));
      this.conversation.context = kept.length ? Object.fromEntries(kept) : undefined;
    }
    this.post({ type: 'remove', ids });
  }

  private changed(turnEnded: boolean): void {
    this.conversation.updatedAt = Date.now();
    this.host.conversationChanged(this.conversation, turnEnded);
  }

  private post(message: HostMessage): void {
    this.host.post(message);
  }
}

function regenerateFailed(reason: string): string {
  return `Regenerate failed: ${reason} The previous answer is kept.`;
}

function joinNotes(...notes: (string | undefined)[]): string {
  return notes.filter((n): n is string => !!n && n.trim().length > 0).join(' ');
}

function logName(model: ModelInfo): string {
  return `${providerName(model.provider)} ${model.providerModelId}`;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
