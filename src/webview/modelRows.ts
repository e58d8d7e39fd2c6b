// What the chat view's model picker lists, without the DOM: the recently used models on top, then
// one group per provider (with its catalog note and whether it has a key), each model with what it
// takes (images, tools), its context and its price; and the search that narrows them as you type.
// Kept apart from the picker's DOM (modelPicker.ts) so a 1 000-model catalog is filtered without
// touching the page: the search text of each model is built once, when the list arrives.

import type { CatalogNotes, ModelOption } from '../protocol';

export type PickerRow =
  | { readonly kind: 'group'; readonly label: string }
  /** Why the provider's live list is missing or old. */
  | { readonly kind: 'note'; readonly text: string }
  /** `recent`: listed under "Recently used", where no provider heading names its provider. */
  | { readonly kind: 'model'; readonly model: ModelOption; readonly marks: ModelMarks; readonly recent?: boolean };

/** What a row shows beside the name. */
export interface ModelMarks {
  readonly vision: boolean;
  readonly tools: boolean;
  /** "128K", "1M"; empty when unknown. */
  readonly context: string;
  /** "$0.06/$0.24 per M"; empty when the provider lists no price. */
  readonly price: string;
  readonly retired: boolean;
  readonly noKey: boolean;
}

interface Entry {
  readonly model: ModelOption;
  readonly marks: ModelMarks;
  /** Lower-case name, provider, id and marks: what a search term is looked for in. */
  readonly haystack: string;
}

export class ModelRows {
  private entries: readonly Entry[] = [];
  private recent: readonly Entry[] = [];
  private notes: CatalogNotes = {};

  set(models: readonly ModelOption[], notes: CatalogNotes = {}, recentIds: readonly string[] = []): void {
    this.entries = models.map((model) => {
      const marks = modelMarks(model);
      const words = [model.displayName, model.providerName, model.id, marks.vision ? 'vision images' : '', marks.tools ? 'tools' : '', marks.retired ? 'retired' : ''];
      return { model, marks, haystack: words.join(' ').toLowerCase() };
    });
    const byId = new Map(this.entries.map((e) => [e.model.id, e]));
    this.recent = recentIds.map((id) => byId.get(id)).filter((e): e is Entry => e !== undefined);
    this.notes = notes;
  }

  get size(): number {
    return this.entries.length;
  }

  find(id: string): ModelOption | undefined {
    return this.entries.find((e) => e.model.id === id)?.model;
  }

  /**
   * The rows for a search: every whitespace-separated term must occur in the model's name, provider,
   * id or marks ("zephyr orb", "vision 90b"). With no search, the recently used come first under a
   * heading of their own and are not repeated below; while searching, each model shows once, in its
   * provider's group.
   */
  rows(query: string): PickerRow[] {
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    const matches = terms.length === 0 ? this.entries : this.entries.filter((e) => terms.every((t) => e.haystack.includes(t)));
    const rows: PickerRow[] = [];
    const shown = new Set<string>();
    if (terms.length === 0 && this.recent.length > 0) {
      rows.push({ kind: 'group', label: 'Recently used' });
      for (const e of this.recent) {
        rows.push({ kind: 'model', model: e.model, marks: e.marks, recent: true });
        shown.add(e.model.id);
      }
    }
    // One group per provider, in the order the catalog first names them.
    const groups = new Map<string, Entry[]>();
    for (const e of matches) {
      if (shown.has(e.model.id)) continue;
      let group = groups.get(e.model.provider);
      if (!group) groups.set(e.model.provider, (group = []));
      group.push(e);
    }
    for (const [provider, group] of groups) {
      const first = group[0]!.model;
      rows.push({ kind: 'group', label: first.hasKey ? first.providerName : `${first.providerName} — no API key set` });
      const note = this.notes[provider as keyof CatalogNotes];
      if (note) rows.push({ kind: 'note', text: note });
      for (const e of group) rows.push({ kind: 'model', model: e.model, marks: e.marks });
    }
    return rows;
  }
}

export function modelMarks(model: ModelOption): ModelMarks {
  return {
    vision: model.vision,
    tools: model.tools === true,
    context: model.contextLength ? contextText(model.contextLength) : '',
    price: model.pricing ? `$${money(model.pricing.inputPerMillion)}/$${money(model.pricing.outputPerMillion)} per M` : '',
    retired: model.retired === true,
    noKey: !model.hasKey,
  };
}

/** What a screen reader says for a row: the name, then what the marks show. */
export function spokenName(model: ModelOption, marks: ModelMarks): string {
  const parts = [model.displayName, model.providerName];
  parts.push(marks.vision ? 'sees images' : 'text only');
  if (marks.tools) parts.push('calls tools');
  if (marks.context) parts.push(`${marks.context} context`);
  if (model.pricing) parts.push(`$${money(model.pricing.inputPerMillion)} input, $${money(model.pricing.outputPerMillion)} output per million tokens`);
  if (marks.retired) parts.push('retired by the provider');
  if (marks.noKey) parts.push(`no API key set for ${model.providerName}`);
  return parts.join(', ');
}

/** "128K", "8K", "1M" tokens. */
export function contextText(tokens: number): string {
  if (tokens >= 1_000_000) return `${Number((tokens / 1_048_576).toFixed(1))}M`;
  return `${Math.round(tokens / 1024)}K`;
}

/** Prices per million tokens: "$0.06", "$0.015", "$1.20". */
export function money(value: number): string {
  return value >= 1 ? value.toFixed(2) : String(Number(value.toPrecision(2)));
}
