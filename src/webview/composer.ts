// The prompt box: a growing textarea, Send / Stop, images (attach, paste, drop) shown as thumbnails
// and context (`#`, the Explorer, drops) shown as chips. Nothing typed is ever lost: the draft, its
// prepared images and its chips are saved with vscode.setState, and a send that cannot go (an image
// for a model that cannot see) keeps them.

import type { ContextChip, ContextSuggestion, ModelOption, RawImage, ViewImage, WebviewMessage } from '../protocol';
import { ContextChips, MAX_CHIPS } from './contextChips';
import { ContextCompletion } from './contextCompletion';
import { MAX_DROPPED_URIS } from './droppedUris';
import { clear, h, icon, iconButton, textButton } from './dom';
import { formatBytes, listOr } from './format';
import { DEFAULT_MAX_SIDE, ImageProblem, newImageId, prepareImage, prepareRawImage, reprepare } from './images';
import type { StateSaver } from './persistedState';

export interface ComposerOptions {
  readonly post: (message: WebviewMessage) => void;
  readonly saver: StateSaver;
  /** What sending the draft would cost (sendCost.ts); nothing is shown when it says nothing. */
  readonly sendCost?: (draft: string, images: readonly ViewImage[], model: ModelOption | undefined, contextTokens: number) => { text: string; detail: string } | undefined;
}

interface Attachment {
  readonly key: string;
  readonly name: string;
  image?: ViewImage;
}

interface NoticeAction {
  readonly label: string;
  readonly icon?: string;
  readonly run: () => void;
}

interface Notice {
  readonly level: 'error' | 'warning' | 'info';
  readonly text: string;
  readonly actions?: readonly NoticeAction[];
}

const PLACEHOLDER_VISION = 'Ask a question, # to attach files, or drop an image';
const PLACEHOLDER_TEXT = 'Ask a question, # to attach files';

/** The textarea grows with its text up to this share of the view's height, then scrolls. */
const MAX_INPUT_SHARE = 0.4;

export class Composer {
  readonly element: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly attachButton: HTMLButtonElement;
  private readonly thumbnails = h('div', { class: 'attachments', role: 'list', 'aria-label': 'Attached images', hidden: true });
  /** The standing problem with what is in the box (e.g. images the model cannot see). */
  private readonly validation = h('div', { class: 'composer-validation', role: 'alert' });
  /** Problems with files the user tried to add; each one dismissible. */
  private readonly problems = h('div', { class: 'composer-problems', role: 'alert' });
  private readonly chips: ContextChips;
  private readonly completion: ContextCompletion;
  private readonly cost = h('span', { class: 'composer-cost', hidden: true });
  private attachments: Attachment[] = [];
  private busy = false;
  private model: ModelOption | undefined;
  private models: readonly ModelOption[] = [];

  constructor(private readonly options: ComposerOptions) {
    this.input = h('textarea', {
      class: 'prompt-input',
      rows: 1,
      'aria-label': 'Message',
      placeholder: PLACEHOLDER_VISION,
      spellcheck: 'true',
    });
    this.attachButton = iconButton('file-media', 'Attach image…');
    this.sendButton = iconButton('send', 'Send (Enter)', { class: 'icon-button send-button' });
    this.stopButton = iconButton('debug-stop', 'Stop (Escape)', { class: 'icon-button stop-button', hidden: true });
    const draft = options.saver.restoredDraft;
    this.chips = new ContextChips(
      {
        onChange: () => {
          this.save();
          this.refreshCost();
        },
        onRemove: (id) => options.post({ type: 'removeContext', id }),
        onOpen: (location) => options.post({ type: 'openContext', location }),
        focusInput: () => this.focus(),
      },
      draft.context,
    );
    this.completion = new ContextCompletion({ input: this.input, post: options.post, onTextChanged: () => this.onTextChanged() });
    this.element = h(
      'div',
      { class: 'composer' },
      this.validation,
      this.problems,
      h(
        'div',
        { class: 'composer-box' },
        this.completion.element,
        this.chips.element,
        this.thumbnails,
        this.input,
        h(
          'div',
          { class: 'composer-toolbar' },
          this.attachButton,
          h('span', { class: 'composer-hint' }, 'Enter to send, Shift+Enter for a new line'),
          this.cost,
          this.stopButton,
          this.sendButton,
        ),
      ),
    );

    this.input.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.input.addEventListener('input', () => {
      this.onTextChanged();
      this.completion.update();
    });
    this.input.addEventListener('paste', (event) => this.onPaste(event));
    this.sendButton.addEventListener('click', () => this.send());
    this.stopButton.addEventListener('click', () => this.stop());
    this.attachButton.addEventListener('click', () => options.post({ type: 'pickImage' }));
    window.addEventListener('resize', () => this.autosize());

    this.input.value = draft.text;
    for (const image of draft.images) this.attachments.push({ key: image.id, name: image.name, image });
    this.renderAttachments();
    this.refresh();
  }

  get text(): string {
    return this.input.value;
  }

  focus(): void {
    this.input.focus();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.refresh();
  }

  setModels(models: readonly ModelOption[], modelId: string): void {
    this.models = models;
    this.model = models.find((m) => m.id === modelId);
    this.input.placeholder = this.model && !this.model.vision ? PLACEHOLDER_TEXT : PLACEHOLDER_VISION;
    this.chips.setModel(this.model);
    this.refresh();
  }

  /**
   * The host gives a prompt back (Edit, a cancelled key flow, a refused send). It never replaces
   * what the user has typed meanwhile: into an empty box it goes as it is, else after the typed text
   * (unless that already holds it), and its images join those attached.
   */
  setDraft(text: string, images: readonly RawImage[] = []): void {
    const typed = this.input.value;
    if (!typed.trim()) this.input.value = text;
    else if (text.trim() && !typed.includes(text.trim())) this.input.value = `${typed.trimEnd()}\n\n${text}`;
    this.addRawImages(images);
    this.onTextChanged();
    this.focus();
    const end = this.input.value.length;
    this.input.setSelectionRange(end, end);
  }

  /** Fills the box with a suggestion, leaving it for the user to send or change. */
  suggest(text: string): void {
    this.input.value = text;
    this.onTextChanged();
    this.focus();
  }

  /** Chips the host made for what the user attached. */
  addContext(chips: readonly ContextChip[]): void {
    const refused = this.chips.add(chips);
    if (refused > 0) {
      this.showProblem({ level: 'warning', text: `A prompt takes at most ${MAX_CHIPS} attachments; ${refused === 1 ? 'one was' : `${refused} were`} not added. Remove some, or attach their folder.` });
    }
  }

  /** Files dropped from VS Code's Explorer: the host attaches the workspace ones. */
  dropUris(uris: readonly string[]): void {
    if (uris.length > MAX_DROPPED_URIS) {
      this.showProblem({ level: 'warning', text: `${uris.length} files were dropped; the first ${MAX_DROPPED_URIS} are attached. Attach their folder to send more.` });
    }
    this.options.post({ type: 'dropFiles', uris: uris.slice(0, MAX_DROPPED_URIS) });
  }

  /** The host's rows for a `#` query. */
  contextSuggestions(requestId: string, suggestions: readonly ContextSuggestion[]): void {
    this.completion.answer(requestId, suggestions);
  }

  addRawImages(images: readonly RawImage[]): void {
    for (const raw of images) this.addAttachment(raw.name, () => prepareRawImage(raw, this.maxSide()));
  }

  addFiles(files: readonly File[]): void {
    for (const file of files) {
      if (file.type && !file.type.startsWith('image/')) {
        this.showProblem({ level: 'warning', text: `${file.name} is not an image. Attach a PNG, JPEG, GIF or WebP file.` });
        continue;
      }
      this.addAttachment(file.name || 'pasted image.png', () => prepareImage(file, file.name || 'pasted image.png', this.maxSide()));
    }
  }

  /** The host asks to send now (Describe Image): prepared and sent without touching the user's draft. */
  async submit(requestId: string, text: string, raw: readonly RawImage[], note?: string): Promise<void> {
    try {
      const images = await Promise.all(raw.map((r) => prepareRawImage(r, this.maxSide())));
      this.options.post({ type: 'send', text, images, note, requestId });
    } catch (error) {
      const message = error instanceof ImageProblem ? error.message : `The image could not be prepared: ${String(error)}`;
      this.showProblem({ level: 'error', text: message });
      this.options.post({ type: 'notify', notice: 'imageNotPrepared' });
    }
  }

  /** Sends what is in the box, unless something in it cannot go; then it says why and keeps it all. */
  async send(): Promise<void> {
    if (this.busy || this.isPreparing()) return;
    const text = this.input.value.trim();
    let images = this.readyImages();
    if (!text && images.length === 0) return;
    const problem = this.validationNotice();
    if (problem) {
      this.renderValidation(problem, true);
      return;
    }
    const maxSide = this.maxSide();
    if (images.some((image) => Math.max(image.width, image.height) > maxSide)) {
      try {
        images = await Promise.all(images.map((image) => reprepare(image, maxSide)));
      } catch (error) {
        this.showProblem({ level: 'error', text: error instanceof Error ? error.message : String(error) });
        return;
      }
    }
    const context = this.chips.ids;
    this.options.post({ type: 'send', text, images, ...(context.length ? { context } : {}) });
    this.input.value = '';
    this.attachments = [];
    this.chips.clear();
    this.completion.close();
    this.renderAttachments();
    clear(this.problems);
    this.onTextChanged();
  }

  stop(): void {
    if (this.busy) this.options.post({ type: 'stop' });
  }

  private onKeyDown(event: KeyboardEvent): void {
    // The `#` list takes its keys first: Enter there attaches, it does not send.
    if (this.completion.handleKey(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      void this.send();
    }
  }

  private onTextChanged(): void {
    this.autosize();
    this.save();
    this.refresh();
  }

  private onPaste(event: ClipboardEvent): void {
    const files = Array.from(event.clipboardData?.items ?? [])
      .filter((item) => item.kind === 'file' && item.type.startsWith('image/'))
      .map((item) => item.getAsFile())
      .filter((file): file is File => file !== null);
    if (files.length === 0) return;
    // An image copied from a browser also carries its HTML/URL as text: attach the picture only.
    if (!event.clipboardData?.types.includes('text/plain')) event.preventDefault();
    this.addFiles(files);
  }

  private addAttachment(name: string, prepare: () => Promise<ViewImage>): void {
    const attachment: Attachment = { key: newImageId(), name };
    this.attachments.push(attachment);
    this.renderAttachments();
    this.refresh();
    prepare().then(
      (image) => {
        attachment.image = image;
        this.renderAttachments();
        this.save();
        this.refresh();
      },
      (error: unknown) => {
        this.attachments = this.attachments.filter((a) => a !== attachment);
        this.renderAttachments();
        this.refresh();
        const text = error instanceof ImageProblem ? error.message : `${name} could not be prepared: ${String(error)}`;
        this.showProblem({ level: 'error', text });
      },
    );
  }

  private removeAttachment(key: string): void {
    this.attachments = this.attachments.filter((a) => a.key !== key);
    this.renderAttachments();
    this.save();
    this.refresh();
    this.focus();
  }

  private readyImages(): ViewImage[] {
    return this.attachments.flatMap((a) => (a.image ? [a.image] : []));
  }

  private isPreparing(): boolean {
    return this.attachments.some((a) => !a.image);
  }

  private maxSide(): number {
    return this.model?.maxImageSide ?? DEFAULT_MAX_SIDE;
  }

  private save(): void {
    this.options.saver.saveDraft(this.input.value, this.readyImages(), this.chips.all);
  }

  private autosize(): void {
    this.input.style.height = 'auto';
    const max = Math.max(80, Math.floor(window.innerHeight * MAX_INPUT_SHARE));
    this.input.style.height = `${Math.min(this.input.scrollHeight + 2, max)}px`;
    this.input.style.overflowY = this.input.scrollHeight + 2 > max ? 'auto' : 'hidden';
  }

  /** Send / Stop state and the standing validation notice. */
  private refresh(): void {
    const empty = this.input.value.trim() === '' && this.attachments.length === 0;
    this.sendButton.hidden = this.busy;
    this.stopButton.hidden = !this.busy;
    this.sendButton.disabled = this.busy || empty || this.isPreparing();
    this.sendButton.title = this.isPreparing() ? 'Preparing images…' : 'Send (Enter)';
    this.renderValidation(this.validationNotice(), false);
    this.refreshCost();
  }

  /** The estimated cost of sending the box's content; the chat changed, or the draft did. */
  refreshCost(): void {
    const contextTokens = this.chips.all.reduce((sum, chip) => sum + Math.max(0, chip.tokens || 0), 0);
    const cost = this.options.sendCost?.(this.input.value, this.readyImages(), this.model, contextTokens);
    this.cost.hidden = !cost;
    this.cost.textContent = cost?.text ?? '';
    this.cost.title = cost?.detail ?? '';
  }

  /** What stops the box's images from going to the current model, if anything. */
  private validationNotice(): Notice | undefined {
    const count = this.attachments.length;
    const model = this.model;
    if (count === 0 || !model) return undefined;
    if (!model.vision) {
      const vision = this.models.filter((m) => m.vision);
      if (vision.length === 0) {
        return { level: 'error', text: `${model.displayName} cannot see images, and no configured model can. Remove the image or add a vision model in the settings.` };
      }
      const names = unique(vision.map((m) => m.displayName));
      const best = vision.find((m) => m.hasKey && m.provider === model.provider) ?? vision.find((m) => m.hasKey) ?? vision[0]!;
      return {
        level: 'error',
        text: `${model.displayName} cannot see images. Models that can: ${listOr(names)}.`,
        actions: [
          { label: `Switch to ${best.displayName}`, icon: 'eye', run: () => this.options.post({ type: 'selectModel', modelId: best.id }) },
          { label: 'Remove Images', icon: 'trash', run: () => this.removeAll() },
        ],
      };
    }
    if (count > model.maxImages) {
      const extra = count - model.maxImages;
      return {
        level: 'error',
        text: `${model.displayName} takes ${model.maxImages === 1 ? 'one image' : `${model.maxImages} images`} per message; remove ${extra} of the ${count}.`,
      };
    }
    return undefined;
  }

  private removeAll(): void {
    this.attachments = [];
    this.renderAttachments();
    this.save();
    this.refresh();
    this.focus();
  }

  private renderValidation(notice: Notice | undefined, emphasise: boolean): void {
    clear(this.validation);
    if (!notice) return;
    const element = noticeElement(notice);
    if (emphasise) element.classList.add('emphasised');
    this.validation.append(element);
  }

  private showProblem(notice: Notice): void {
    const element = noticeElement(notice, () => element.remove());
    this.problems.append(element);
  }

  private renderAttachments(): void {
    clear(this.thumbnails);
    this.thumbnails.hidden = this.attachments.length === 0;
    for (const attachment of this.attachments) {
      const image = attachment.image;
      const remove = iconButton('close', `Remove ${attachment.name}`, { class: 'icon-button thumbnail-remove' });
      remove.addEventListener('click', () => this.removeAttachment(attachment.key));
      const preview = image
        ? h('img', { src: image.dataUrl, alt: attachment.name, width: image.width, height: image.height })
        : h('span', { class: 'thumbnail-preparing', 'aria-label': `Preparing ${attachment.name}` }, icon('loading', 'codicon-modifier-spin'));
      const title = image ? `${image.name}, ${image.width}×${image.height}, ${formatBytes(image.bytes)} as sent` : `Preparing ${attachment.name}…`;
      this.thumbnails.append(h('div', { class: 'thumbnail', role: 'listitem', title }, preview, remove));
    }
  }
}

function noticeElement(notice: Notice, dismiss?: () => void): HTMLElement {
  const iconName = notice.level === 'error' ? 'error' : notice.level === 'warning' ? 'warning' : 'info';
  const element = h('div', { class: `notice ${notice.level}` }, icon(iconName, 'notice-icon'), h('span', { class: 'notice-text' }, notice.text));
  if (notice.actions?.length) {
    const row = h('div', { class: 'button-row' });
    notice.actions.forEach((action, index) => {
      const button = textButton(action.label, {}, action.icon, index > 0);
      button.addEventListener('click', action.run);
      row.append(button);
    });
    element.append(row);
  }
  if (dismiss) {
    const close = iconButton('close', 'Dismiss', { class: 'icon-button notice-dismiss' });
    close.addEventListener('click', dismiss);
    element.append(close);
  }
  return element;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
