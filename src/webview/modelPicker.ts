// The model picker in the view's header: a button naming the current model opens a popup with a
// search box (an ARIA combobox) over a listbox of models, grouped by provider, the recently used on
// top. Typing filters; Up/Down/Page Up/Page Down move; Enter chooses; Escape closes. A catalog can
// hold a thousand models, so only the rows in sight are in the DOM (fixed row heights, absolutely
// placed over a spacer of the full height): opening and filtering cost the same for 10 or 1 000.
// A row still in sight after a keystroke or a scroll keeps its element (only its place and position
// attributes are updated), and the list's height and scroll offset are the picker's own numbers, so
// a keystroke neither rebuilds rows it already shows nor forces a layout before the next frame.

import type { CatalogNotes, ModelOption, WebviewMessage } from '../protocol';
import { clear, h, icon } from './dom';
import { modelMarks, ModelRows, spokenName, type PickerRow } from './modelRows';

/** Row heights in px; the CSS gives each row exactly this height. */
const ROW_HEIGHT: Record<PickerRow['kind'], number> = { group: 26, note: 22, model: 40 };
/** Rows built above and below those in sight, so a fast scroll does not show blanks. */
const OVERSCAN_PX = 160;
const MAX_LIST_HEIGHT_PX = 360;
const PAGE_ROWS = 8;

let nextPickerId = 0;

/** A row element in the list, with the values last written to it. */
interface BuiltRow {
  readonly element: HTMLElement;
  top: number;
  index: number;
  selected: boolean;
  position: number;
  setSize: number;
}

export class ModelPicker {
  readonly element: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly buttonName = h('span', { class: 'model-button-name' });
  private readonly visionMark = h('span', { class: 'vision-mark', title: 'This model sees images', hidden: true }, icon('eye'));
  private readonly popup: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly listbox: HTMLElement;
  private readonly spacer = h('div', { class: 'model-rows', role: 'none' });
  /** How many models match, read out as the search narrows (the view's own status region is for answers). */
  private readonly status = h('div', { class: 'visually-hidden model-count', 'aria-live': 'polite' });
  private readonly idPrefix = `model-option-${nextPickerId++}-`;
  private readonly catalog = new ModelRows();
  private modelId = '';
  private rows: PickerRow[] = [];
  /** Top of each row, and the total height after the last. */
  private offsets: number[] = [0];
  /** 1-based position of each model row among the models (aria-posinset), and their count. */
  private positions: number[] = [];
  private modelCount = 0;
  /** Index in `rows` of the option Enter would choose; -1 when none. */
  private active = -1;
  /** The row elements in the list, by `rowKey`. */
  private built = new Map<string, BuiltRow>();
  /** The listbox's height as set, and its scroll offset as set or last read in a scroll event. */
  private listHeight = 0;
  private scrollOffset = 0;

  constructor(private readonly post: (message: WebviewMessage) => void) {
    const listboxId = `${this.idPrefix}list`;
    this.button = h(
      'button',
      { type: 'button', class: 'model-button', 'aria-haspopup': 'listbox', 'aria-expanded': 'false', 'aria-controls': listboxId },
      icon('hubot', 'model-picker-icon'),
      this.buttonName,
      this.visionMark,
      icon('chevron-down', 'model-button-chevron'),
    );
    this.search = h('input', {
      type: 'text',
      class: 'model-search',
      role: 'combobox',
      'aria-label': 'Search models',
      'aria-expanded': 'true',
      'aria-controls': listboxId,
      'aria-autocomplete': 'list',
      placeholder: 'Search models',
      spellcheck: 'false',
      autocomplete: 'off',
    });
    this.listbox = h('div', { id: listboxId, class: 'model-listbox', role: 'listbox', 'aria-label': 'Models', tabindex: '-1' }, this.spacer);
    this.popup = h('div', { class: 'model-popup', hidden: true }, h('div', { class: 'model-search-row' }, icon('search'), this.search), this.listbox, this.status);
    this.element = h('div', { class: 'model-picker' }, this.button, this.popup);

    this.button.addEventListener('click', () => (this.isOpen ? this.close(true) : this.open('')));
    this.button.addEventListener('keydown', (event) => this.onButtonKey(event));
    this.search.addEventListener('input', () => this.filter());
    this.popup.addEventListener('keydown', (event) => this.onPopupKey(event));
    this.popup.addEventListener('focusout', (event) => {
      // Focus left for somewhere else in the view (or the view itself): the popup goes.
      if (!this.element.contains(event.relatedTarget as Node | null)) this.close(false);
    });
    this.listbox.addEventListener('scroll', () => {
      this.scrollOffset = this.listbox.scrollTop;
      this.renderRows();
    });
    // A click on a row must not take the focus from the search box first.
    this.listbox.addEventListener('mousedown', (event) => event.preventDefault());
    this.listbox.addEventListener('click', (event) => {
      const row = (event.target as Element).closest<HTMLElement>('[role="option"]');
      if (row?.dataset.row !== undefined) this.choose(Number(row.dataset.row));
    });
  }

  get isOpen(): boolean {
    return !this.popup.hidden;
  }

  setModels(models: readonly ModelOption[], modelId: string, notes: CatalogNotes = {}, recentIds: readonly string[] = []): void {
    this.catalog.set(models, notes, recentIds);
    this.modelId = modelId;
    // A model's price or name may have changed under the same id: rows are built again.
    this.forgetRows();
    this.showCurrent();
    if (this.isOpen) this.filter(this.activeModelId());
  }

  /** Opens the popup with `query` in the search box and the current model active. */
  open(query: string): void {
    this.popup.hidden = false;
    // The list opens at its top (and its rows were removed on closing: this lays out no row).
    this.listbox.scrollTop = 0;
    this.scrollOffset = 0;
    this.button.setAttribute('aria-expanded', 'true');
    this.search.value = query;
    this.filter(query ? undefined : this.modelId);
    this.search.focus();
  }

  close(refocus: boolean): void {
    if (!this.isOpen) return;
    this.popup.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
    this.search.removeAttribute('aria-activedescendant');
    this.forgetRows();
    if (refocus) this.button.focus();
  }

  private showCurrent(): void {
    const model = this.catalog.find(this.modelId);
    // A model from the settings that the catalog no longer lists: show it rather than lie.
    const name = model ? model.displayName : this.modelId ? `${this.modelId} (not available)` : 'No model';
    this.buttonName.textContent = name;
    this.button.dataset.modelId = this.modelId;
    this.button.setAttribute('aria-label', `Model: ${model ? `${name}, ${model.providerName}` : name}`);
    this.button.title = model ? spokenName(model, modelMarks(model)) : name;
    this.visionMark.hidden = !model?.vision;
  }

  private activeModelId(): string | undefined {
    const row = this.rows[this.active];
    return row?.kind === 'model' ? row.model.id : undefined;
  }

  /** Applies the search box's text; `keepId` stays active if it is still listed, else the first match. */
  private filter(keepId?: string): void {
    const query = this.search.value;
    this.rows = this.catalog.rows(query);
    this.offsets = new Array<number>(this.rows.length + 1);
    this.offsets[0] = 0;
    this.positions = new Array<number>(this.rows.length);
    let models = 0;
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i]!;
      if (row.kind === 'model') models++;
      this.positions[i] = models;
      this.offsets[i + 1] = this.offsets[i]! + ROW_HEIGHT[row.kind];
    }
    this.modelCount = models;
    const total = this.offsets[this.rows.length]!;
    this.spacer.style.height = `${total}px`;
    const height = Math.max(ROW_HEIGHT.model, Math.min(total, MAX_LIST_HEIGHT_PX, Math.floor(window.innerHeight * 0.6)));
    if (height !== this.listHeight) {
      this.listbox.style.height = `${height}px`;
      this.listHeight = height;
    }
    const kept = keepId === undefined ? -1 : this.rows.findIndex((r) => r.kind === 'model' && r.model.id === keepId);
    this.active = kept >= 0 ? kept : this.rows.findIndex((r) => r.kind === 'model');
    this.scrollTo(0);
    const status = models === 0 ? 'No model matches.' : `${models} model${models === 1 ? '' : 's'}`;
    if (this.status.textContent !== status) this.status.textContent = status;
    this.scrollToActive();
    this.renderRows();
  }

  /**
   * Shows the rows in sight (and a margin), and nothing else: rows already shown keep their
   * elements, in place; the others are built.
   */
  private renderRows(): void {
    if (!this.isOpen) return;
    if (this.rows.length === 0) {
      this.forgetRows();
      this.spacer.style.height = `${ROW_HEIGHT.model}px`;
      this.spacer.append(h('div', { class: 'model-empty', role: 'none' }, this.search.value.trim() ? `No model matches “${this.search.value.trim()}”.` : 'No models.'));
      this.search.removeAttribute('aria-activedescendant');
      return;
    }
    const top = this.scrollOffset - OVERSCAN_PX;
    const bottom = this.scrollOffset + this.listHeight + OVERSCAN_PX;
    // The first row in sight, by binary search over the offsets.
    let low = 0;
    let high = this.rows.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.offsets[mid + 1]! < top) low = mid + 1;
      else high = mid;
    }
    const shown = new Map<string, BuiltRow>();
    const order: HTMLElement[] = [];
    for (let i = low; i < this.rows.length && this.offsets[i]! <= bottom; i++) {
      const row = this.rows[i]!;
      let key = rowKey(row);
      if (shown.has(key)) key += `\n${i}`;
      const built = this.built.get(key) ?? { element: this.rowElement(row), top: NaN, index: -1, selected: false, position: -1, setSize: -1 };
      this.place(built, row, i);
      shown.set(key, built);
      order.push(built.element);
    }
    // Out of sight: removed. Then the rows in order, moving none that already are (a moved element
    // is styled and laid out again).
    for (const [key, built] of this.built) if (shown.get(key) !== built) built.element.remove();
    this.spacer.querySelector(':scope > .model-empty')?.remove();
    let cursor = this.spacer.firstChild;
    for (const element of order) {
      if (element === cursor) cursor = cursor.nextSibling;
      else this.spacer.insertBefore(element, cursor);
    }
    this.built = shown;
    if (this.active >= 0) this.search.setAttribute('aria-activedescendant', `${this.idPrefix}${this.active}`);
    else this.search.removeAttribute('aria-activedescendant');
  }

  /** Writes a row's place in the list to its element: only what changed. */
  private place(built: BuiltRow, row: PickerRow, index: number): void {
    const element = built.element;
    const top = this.offsets[index]!;
    if (built.top !== top) {
      element.style.top = `${top}px`;
      built.top = top;
    }
    if (row.kind !== 'model') return;
    if (built.index !== index) {
      element.id = `${this.idPrefix}${index}`;
      element.dataset.row = String(index);
      built.index = index;
    }
    const selected = index === this.active;
    if (built.selected !== selected || built.position < 0) {
      element.setAttribute('aria-selected', selected ? 'true' : 'false');
      built.selected = selected;
    }
    const position = this.positions[index]!;
    if (built.position !== position) {
      element.setAttribute('aria-posinset', String(position));
      built.position = position;
    }
    if (built.setSize !== this.modelCount) {
      element.setAttribute('aria-setsize', String(this.modelCount));
      built.setSize = this.modelCount;
    }
  }

  private forgetRows(): void {
    this.built.clear();
    clear(this.spacer);
  }

  /** Scrolls the list to `offset` (kept within it), writing the scroll position only when it changes: writing it forces a layout. */
  private scrollTo(offset: number): void {
    const max = Math.max(0, this.offsets[this.rows.length]! - this.listHeight);
    const value = Math.max(0, Math.min(offset, max));
    if (value === this.scrollOffset) return;
    this.listbox.scrollTop = value;
    this.scrollOffset = value;
  }

  /** The row's content: its place and position attributes are `place`'s. */
  private rowElement(row: PickerRow): HTMLElement {
    if (row.kind === 'group') return h('div', { class: 'model-group', role: 'none', 'aria-hidden': 'true' }, row.label);
    if (row.kind === 'note') return h('div', { class: 'model-note', role: 'none', title: row.text }, icon('warning'), h('span', {}, row.text));
    const { model, marks } = row;
    const current = model.id === this.modelId;
    const details = [row.recent ? model.providerName : '', marks.context, marks.price, marks.retired ? 'retired' : '', marks.noKey ? 'no key' : ''].filter(Boolean);
    const spoken = spokenName(model, marks) + (current ? ', current' : '');
    const element = h(
      'div',
      {
        class: `model-option${current ? ' current' : ''}${marks.retired ? ' retired' : ''}${marks.noKey ? ' no-key' : ''}`,
        role: 'option',
        'aria-label': spoken,
        title: spoken,
        'data-model-id': model.id,
      },
      h(
        'div',
        { class: 'model-option-line' },
        icon(current ? 'check' : 'blank', 'model-option-check'),
        h('span', { class: 'model-option-name' }, model.displayName),
        marks.vision ? h('span', { class: 'model-mark', title: 'Sees images' }, icon('eye')) : null,
        marks.tools ? h('span', { class: 'model-mark', title: 'Calls tools' }, icon('tools')) : null,
        marks.retired ? h('span', { class: 'model-mark retired-mark', title: 'Retired by the provider' }, icon('error')) : null,
        marks.noKey ? h('span', { class: 'model-mark', title: `No API key set for ${model.providerName}` }, icon('key')) : null,
      ),
      h('div', { class: 'model-option-details' }, details.join(' · ')),
    );
    return element;
  }

  private onButtonKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      this.open('');
    } else if (event.key.length === 1 && event.key !== ' ' && !event.ctrlKey && !event.metaKey && !event.altKey) {
      // Typing on the closed picker starts a search.
      event.preventDefault();
      this.open(event.key);
    }
  }

  private onPopupKey(event: KeyboardEvent): void {
    switch (event.key) {
      case 'ArrowDown':
        return this.handled(event, () => this.move(1));
      case 'ArrowUp':
        return this.handled(event, () => this.move(-1));
      case 'PageDown':
        return this.handled(event, () => this.move(PAGE_ROWS));
      case 'PageUp':
        return this.handled(event, () => this.move(-PAGE_ROWS));
      case 'Enter':
        if (event.isComposing) return;
        return this.handled(event, () => this.active >= 0 && this.choose(this.active));
      case 'Escape':
        // Handled here, so the view's Escape (stop the answer) does not also run.
        event.stopPropagation();
        return this.handled(event, () => this.close(true));
      case 'Tab':
        return this.handled(event, () => this.close(true));
    }
  }

  private handled(event: KeyboardEvent, action: () => unknown): void {
    event.preventDefault();
    action();
  }

  /** Moves the active option by `steps` models, stopping at either end. */
  private move(steps: number): void {
    let index = this.active;
    let left = Math.abs(steps);
    for (let i = index + Math.sign(steps); i >= 0 && i < this.rows.length && left > 0; i += Math.sign(steps)) {
      if (this.rows[i]!.kind === 'model') {
        index = i;
        left--;
      }
    }
    if (index === this.active || index < 0) return;
    this.active = index;
    this.scrollToActive();
    this.renderRows();
  }

  private scrollToActive(): void {
    if (this.active < 0) return;
    const top = this.offsets[this.active]!;
    const bottom = this.offsets[this.active + 1]!;
    // Show the group heading above the first model of a group too.
    const headed = this.active > 0 && this.rows[this.active - 1]!.kind !== 'model' ? this.offsets[this.active - 1]! : top;
    if (headed < this.scrollOffset) this.scrollTo(headed);
    else if (bottom > this.scrollOffset + this.listHeight) this.scrollTo(bottom - this.listHeight);
  }

  private choose(index: number): void {
    const row = this.rows[index];
    if (row?.kind !== 'model') return;
    this.close(true);
    if (row.model.id === this.modelId) return;
    this.modelId = row.model.id;
    this.showCurrent();
    this.post({ type: 'selectModel', modelId: row.model.id });
  }
}

/** What a row shows, as a key: the same key, the same element. The current model is marked, so its key says so. */
function rowKey(row: PickerRow): string {
  if (row.kind === 'group') return `group\n${row.label}`;
  if (row.kind === 'note') return `note\n${row.text}`;
  return `model\n${row.recent ? 'recent' : ''}\n${row.model.id}`;
}
