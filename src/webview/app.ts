// The chat view: header (model picker), conversation, composer. It applies the host's messages
// (protocol.ts) incrementally and posts the user's actions back.

import { dispatch, type HostHandlers, type HostMessage, type WebviewMessage } from '../protocol';
import { Composer } from './composer';
import { h } from './dom';
import { carriesUris, droppedUris } from './droppedUris';
import { MessageList } from './messageList';
import { ModelPicker } from './modelPicker';
import { StateSaver } from './persistedState';
import { SendCostEstimate } from './sendCost';
import { FrameScheduler, Ticker } from './scheduler';
import type { Host } from './vscodeApi';

const SCROLL_SAVE_DELAY_MS = 200;

export class ChatApp {
  readonly scheduler = new FrameScheduler();
  private readonly saver: StateSaver;
  private readonly picker: ModelPicker;
  private readonly list: MessageList;
  private readonly composer: Composer;
  private readonly sendCost: SendCostEstimate;
  private readonly announcer = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  private readonly dropText = h('span', {}, 'Drop images to attach them');
  private readonly dropOverlay = h('div', { class: 'drop-overlay', hidden: true }, this.dropText);
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
    const sendCost = new SendCostEstimate(() => this.list.all());
    this.sendCost = sendCost;
    this.composer = new Composer({ post, saver: this.saver, sendCost: (draft, images, model, contextTokens) => sendCost.estimate(draft, images, model, contextTokens) });
    root.classList.add('chat-app');
    root.append(h('header', { class: 'view-header' }, this.picker.element), this.list.element, this.composer.element, this.dropOverlay, this.announcer);
    this.listenForDrops(root);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented) this.composer.stop();
    });
  }

  handle(message: HostMessage): void {
    dispatch(this.handlers, message);
    // What the next prompt would cost depends on the chat: count it again once it changed.
    if (message.type === 'state' || message.type === 'remove' || (message.type === 'update' && message.patch.status !== undefined)) {
      this.sendCost.invalidate();
      this.composer.refreshCost();
    } else if (message.type === 'append' || message.type === 'delta') {
      this.sendCost.invalidate();
    }
  }

  /** One handler per host message: one left out does not compile. */
  private readonly handlers: HostHandlers = {
    state: ({ state }) => {
      this.scheduler.flush();
      this.picker.setModels(state.models, state.modelId, state.catalogNotes, state.recentModelIds);
      this.composer.setModels(state.models, state.modelId);
      this.composer.setBusy(state.busy);
      // The first state after a reload goes back to where the user was reading.
      this.list.setAll(state.messages, state.busy, this.hasState ? undefined : this.saver.restoredScroll);
      this.hasState = true;
    },
    models: (message) => {
      this.picker.setModels(message.models, message.modelId, message.catalogNotes, message.recentModelIds);
      this.composer.setModels(message.models, message.modelId);
    },
    append: (message) => this.list.append(message.message),
    delta: (message) => this.list.delta(message.id, message.text),
    reasoningDelta: (message) => this.list.reasoningDelta(message.id, message.text),
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
    addContext: (message) => this.composer.addContext(message.chips),
    contextSuggestions: (message) => this.composer.contextSuggestions(message.requestId, message.suggestions),
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

  /**
   * Dropped anywhere on the view: image files (from the OS) are attached as images; files from VS
   * Code's Explorer or an editor tab (URIs) go to the host, which attaches them as context.
   */
  private listenForDrops(root: HTMLElement): void {
    const types = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []);
    const hasFiles = (event: DragEvent) => types(event).includes('Files') || carriesUris(types(event));
    let depth = 0;
    root.addEventListener('dragenter', (event) => {
      if (!hasFiles(event)) return;
      depth++;
      this.dropText.textContent = types(event).includes('Files') ? 'Drop images to attach them' : 'Drop files to attach them';
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
      const data = event.dataTransfer;
      if (!data) return;
      const files = Array.from(data.files);
      const uris = droppedUris(data);
      // Images from the OS as today; anything else that names its files goes to the host by URI.
      const images = files.length > 0 && files.every((file) => !file.type || file.type.startsWith('image/'));
      if (files.length > 0 && (images || uris.length === 0)) {
        event.preventDefault();
        this.composer.addFiles(files);
      } else if (uris.length > 0) {
        // Also keeps the textarea from pasting the URIs in as text.
        event.preventDefault();
        this.composer.dropUris(uris);
      } else {
        return;
      }
      this.composer.focus();
    });
  }
}
