// What is attached to a prompt, as chips: above the prompt box (each with a remove button and its
// size, with the total below them) and in a sent prompt (a chip with a place opens it). The host
// holds the attached text; the view only ever knows a chip's id, label, size and note.

import type { ContextChip, ContextKind, ContextLocation, ModelOption } from '../protocol';
import { h, icon, iconButton } from './dom';
import { formatTokenSize } from './format';

/** The protocol's limit on the chips of one prompt. */
export const MAX_CHIPS = 64;

const KIND_ICONS: Record<ContextKind, string> = {
  file: 'file',
  folder: 'folder',
  selection: 'selection',
  problems: 'warning',
  terminal: 'terminal',
  changes: 'git-compare',
};

const KIND_NAMES: Record<ContextKind, string> = {
  file: 'File',
  folder: 'Folder',
  selection: 'Selection',
  problems: 'Problems',
  terminal: 'Terminal output',
  changes: 'Changes',
};

export function kindIcon(kind: ContextKind): string {
  return KIND_ICONS[kind] ?? 'file';
}

/** The tooltip of a chip: what it is, its size, and what was left out of it. */
function chipTitle(chip: ContextChip): string {
  const place = chip.location?.startLine ? ` (lines ${chip.location.startLine}–${chip.location.endLine ?? chip.location.startLine})` : '';
  const head = `${KIND_NAMES[chip.kind] ?? 'Attachment'}: ${chip.label}${place}, ${formatTokenSize(chip.tokens)}`;
  return chip.note ? `${head}\n${chip.note}` : head;
}

/** Icon, label, size and (when there is one) the note's marker; the note itself is read out, not only hovered. */
function chipParts(chip: ContextChip): Node[] {
  const parts: Node[] = [
    icon(kindIcon(chip.kind), 'context-chip-icon'),
    h('span', { class: 'context-chip-label' }, chip.label),
    h('span', { class: 'context-chip-size' }, formatTokenSize(chip.tokens)),
  ];
  if (chip.note) {
    parts.push(icon('info', 'context-chip-note'), h('span', { class: 'visually-hidden' }, `. ${chip.note}`));
  }
  return parts;
}

/** A chip of a sent prompt: a button that opens its place when it has one, plain otherwise. */
export function sentChip(chip: ContextChip, open: (location: ContextLocation) => void): HTMLElement {
  const classes = `context-chip${chip.note ? ' has-note' : ''}`;
  const location = chip.location;
  if (!location) return h('span', { class: classes, role: 'listitem', title: chipTitle(chip) }, ...chipParts(chip));
  const button = h('button', { type: 'button', class: `${classes} opens`, title: `${chipTitle(chip)}\nClick to open` }, ...chipParts(chip));
  button.addEventListener('click', () => open(location));
  return h('span', { class: 'context-chip-item', role: 'listitem' }, button);
}

/** Sanitises chips restored from saved state (written by us, but a broken one must not break the view). */
export function restoredChips(value: unknown): ContextChip[] {
  if (!Array.isArray(value)) return [];
  const kinds = Object.keys(KIND_ICONS);
  return value
    .filter((c): c is ContextChip => {
      if (typeof c !== 'object' || c === null) return false;
      const chip = c as Record<string, unknown>;
      return typeof chip.id === 'string' && typeof chip.label === 'string' && kinds.includes(chip.kind as string) && typeof chip.tokens === 'number';
    })
    .slice(0, MAX_CHIPS);
}

export interface ChipsOptions {
  /** The chips changed (added, removed, cleared): save the draft. */
  readonly onChange: () => void;
  /** The user removed one: tell the host. */
  readonly onRemove: (id: string) => void;
  /** Where focus goes when the last chip is removed. */
  readonly focusInput: () => void;
  /** A chip with a place was clicked: open it. */
  readonly onOpen: (location: ContextLocation) => void;
}

/** The chips above the prompt box and their total. */
export class ContextChips {
  readonly element: HTMLElement;
  private readonly list = h('div', { class: 'context-chips', role: 'list', 'aria-label': 'Attached context' });
  /** Read out when it changes, so a chip the host adds a moment after `#` is heard. */
  private readonly total = h('div', { class: 'context-total', 'aria-live': 'polite' });
  private chips: ContextChip[] = [];
  private model: ModelOption | undefined;

  constructor(private readonly options: ChipsOptions, restored: readonly ContextChip[] = []) {
    this.element = h('div', { class: 'context-area', hidden: true }, this.list, this.total);
    this.chips = [...restored];
    this.render();
  }

  get all(): readonly ContextChip[] {
    return this.chips;
  }

  get ids(): string[] {
    return this.chips.map((c) => c.id);
  }

  setModel(model: ModelOption | undefined): void {
    this.model = model;
    this.renderTotal();
  }

  /**
   * Adds chips (one with the id of a chip already here replaces it, where it is). Returns how many
   * did not fit under the limit, for the caller to say so.
   */
  add(chips: readonly ContextChip[]): number {
    let refused = 0;
    for (const chip of chips) {
      const at = this.chips.findIndex((c) => c.id === chip.id);
      if (at >= 0) this.chips[at] = chip;
      else if (this.chips.length < MAX_CHIPS) this.chips.push(chip);
      else refused++;
    }
    this.render();
    this.options.onChange();
    return refused;
  }

  clear(): void {
    this.chips = [];
    this.render();
  }

  private remove(id: string): void {
    const at = this.chips.findIndex((c) => c.id === id);
    if (at < 0) return;
    this.chips.splice(at, 1);
    this.render();
    this.options.onRemove(id);
    this.options.onChange();
    // Keyboard users stay in the row: on the chip that took its place, else the one before, else the box.
    const buttons = this.list.querySelectorAll<HTMLButtonElement>('.context-chip-remove');
    const next = buttons[Math.min(at, buttons.length - 1)];
    if (next) next.focus();
    else this.options.focusInput();
  }

  private render(): void {
    this.element.hidden = this.chips.length === 0;
    this.list.replaceChildren(
      ...this.chips.map((chip) => {
        const remove = iconButton('close', `Remove ${chip.label}`, { class: 'icon-button context-chip-remove' });
        remove.addEventListener('click', () => this.remove(chip.id));
        const location = chip.location;
        let body: Node[] = chipParts(chip);
        if (location) {
          // The chip's own part opens its place, as in a sent prompt; the × beside it removes it.
          const open = h('button', { type: 'button', class: 'context-chip-open' }, ...body);
          open.addEventListener('click', () => this.options.onOpen(location));
          body = [open];
        }
        return h('span', { class: `context-chip${chip.note ? ' has-note' : ''}`, role: 'listitem', title: chipTitle(chip), 'data-chip-id': chip.id }, ...body, remove);
      }),
    );
    this.renderTotal();
  }

  private renderTotal(): void {
    const count = this.chips.length;
    if (count === 0) {
      this.total.textContent = '';
      return;
    }
    const sum = this.chips.reduce((total, chip) => total + Math.max(0, chip.tokens || 0), 0);
    let text = `${count === 1 ? '1 attachment' : `${count} attachments`}, ${formatTokenSize(sum)}`;
    const limit = this.model?.contextLength;
    const over = limit !== undefined && limit > 0 && sum > limit;
    if (over) {
      text += `: more than ${this.model!.displayName} takes (${formatTokenSize(limit)}). What does not fit will be left out, and named.`;
    }
    this.total.classList.toggle('over', over);
    this.total.replaceChildren(...(over ? [icon('warning', 'context-total-icon')] : []), h('span', {}, text));
  }
}
