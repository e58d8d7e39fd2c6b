// The chat view: header (model picker), conversation, composer. It applies the host's messages
// (protocol.ts) incrementally and posts the user's actions back.

import { dispatch, type HostHandlers, type HostMessage, type WebviewMessage } from '../protocol';
import { Composer } from './composer';
import { h } from './dom';
import { MessageList } from './messageList';
import { ModelPicker } from './modelPicker';
import { StateSaver } from './persistedState';
import { FrameScheduler, Ticker } from './scheduler';
import type { Host } from './vscodeApi';

const SCROLL_SAVE_DELAY_MS = 200;

export class ChatApp {
  readonly scheduler = new FrameScheduler();
  private readonly saver: StateSaver;
  private readonly picker: ModelPicker;
  private readonly list: MessageList;
  private readonly composer: Composer;
  private readonly announcer = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  private readonly dropOverlay = h('div', { class: 'drop-overlay', hidden: true }, h('span', {}, 'Drop images to attach them'));
  private scrollTimer: ReturnType<typeof setTimeout> | undefined;
  private hasState = false;

  constructor(root: HTMLElement, private readonly host: Host) {
    this.saver = new StateSaver(host);
    const post = (message: WebviewMessage) => host.post(message);
    this.picker = new ModelPicker(post);
    this.list = new MessageList({
      context: { post, scheduler: this.scheduler, ticker: new Ticker(), announce: (text) => this.announce(text) },
      onScroll: () => this.scheduleScrollSave(),
      onSuggestion: (text) => this.composer.suggest(text),
    });
    this.composer = new Composer({ post, saver: this.saver });
    root.classList.add('chat-app');
    root.append(h('header', { class: 'view-header' }, this.picker.element), this.list.element, this.composer.element, this.dropOverlay, this.announcer);
    this.listenForDrops(root);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented) this.composer.stop();
    });
  }

  handle(message: HostMessage): void {
    dispatch(this.handlers, message);
  }

  /** One handler per host message: one left out does not compile. */
  private readonly handlers: HostHandlers = {
    state: ({ state }) => {
      this.scheduler.flush();
      this.picker.setModels(state.models, state.modelId, state.catalogNotes);
      this.composer.setModels(state.models, state.modelId);
      this.composer.setBusy(state.busy);
      // The first state after a reload goes back to where the user was reading.
      this.list.setAll(state.messages, state.busy, this.hasState ? undefined : this.saver.restoredScroll);
      this.hasState = true;
    },
    models: (message) => {
      this.picker.setModels(message.models, message.modelId, message.catalogNotes);
      this.composer.setModels(message.models, message.modelId);
    },
    append: (message) => this.list.append(message.message),
    delta: (message) => this.list.delta(message.id, message.text),
    update: (message) => this.list.update(message.id, message.patch),
    remove: (message) => this.list.remove(message.ids),
    busy: (message) => {
      this.list.setBusy(message.busy);
      this.composer.setBusy(message.busy);
    },
    setDraft: (message) => this.composer.setDraft(message.text, message.images),
    attachImages: (message) => this.composer.addRawImages(message.images),
    submit: (message) => void this.composer.submit(message.requestId, message.text, message.images, message.note),
    focusInput: () => this.composer.focus(),
    // Context chips (issue 14): the view side lands next.
    addContext: () => undefined,
    contextSuggestions: () => undefined,
  };

  private announce(text: string): void {
    // Clearing first makes a repeated text ("Answer stopped.") be read again.
    this.announcer.textContent = '';
    requestAnimationFrame(() => (this.announcer.textContent = text));
  }

  private scheduleScrollSave(): void {
    if (this.scrollTimer !== undefined) return;
    this.scrollTimer = setTimeout(() => {
      this.scrollTimer = undefined;
      this.saver.saveScroll(this.list.scrollPosition());
    }, SCROLL_SAVE_DELAY_MS);
  }

  /** Image files dropped anywhere on the view are attached. */
  private listenForDrops(root: HTMLElement): void {
    const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
    let depth = 0;
    root.addEventListener('dragenter', (event) => {
      if (!hasFiles(event)) return;
      depth++;
      this.dropOverlay.hidden = false;
    });
    root.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) this.dropOverlay.hidden = true;
    });
    root.addEventListener('dragover', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    });
    root.addEventListener('drop', (event) => {
      depth = 0;
      this.dropOverlay.hidden = true;
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length === 0) return;
      event.preventDefault();
      this.composer.addFiles(files);
      this.composer.focus();
    });
  }
}
