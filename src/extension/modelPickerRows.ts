// The rows of Select Model, without VS Code: the recently used models, then one group per
// provider, each model a row. Kept apart from the quick pick (modelPicker.ts) so what each row
// says can be tested.

import type { Catalog } from '../core/catalog';
import { PROVIDER_IDS, providerName } from '../core/providerTable';
import type { ModelInfo, ProviderId } from '../core/types';
import { contextText, priceText } from './models';

export type ModelPickerRow =
  | { readonly kind: 'provider'; readonly label: string }
  /** Why the provider's live list is missing or old, under its separator. */
  | { readonly kind: 'note'; readonly label: string }
  | { readonly kind: 'model'; readonly model: ModelInfo; readonly label: string; readonly description: string; readonly detail: string; readonly picked: boolean };

export function modelPickerRows(
  catalog: Catalog,
  currentId: string,
  hasKey: ReadonlyMap<ProviderId, boolean>,
  notes: Readonly<Partial<Record<ProviderId, string>>> = {},
  /** Model ids chosen lately, newest first: shown in a group of their own on top, not again below. */
  recentIds: readonly string[] = [],
): ModelPickerRow[] {
  const rows: ModelPickerRow[] = [];
  const recent = recentIds.map((id) => catalog.get(id)).filter((m): m is ModelInfo => m !== undefined);
  if (recent.length > 0) {
    rows.push({ kind: 'provider', label: 'Recently used' });
    for (const model of recent) rows.push(modelRow(model, currentId, hasKey));
  }
  const shown = new Set(recent.map((m) => m.id));
  for (const provider of PROVIDER_IDS) {
    const all = catalog.byProvider(provider);
    if (all.length === 0) continue;
    const models = all.filter((m) => !shown.has(m.id));
    const note = notes[provider];
    const keyNote = hasKey.get(provider) ? '' : ' — no API key yet';
    rows.push({ kind: 'provider', label: `${providerName(provider)}${keyNote}` });
    if (note) rows.push({ kind: 'note', label: `$(warning) ${note}` });
    for (const model of models) rows.push(modelRow(model, currentId, hasKey));
  }
  return rows;
}

function modelRow(model: ModelInfo, currentId: string, hasKey: ReadonlyMap<ProviderId, boolean>): ModelPickerRow {
  const isCurrent = model.id === currentId;
  return {
    kind: 'model',
    model,
    label: `${model.vision ? '$(eye)' : '$(comment)'} ${model.displayName}`,
    // The provider in every row: VS Code shows the group's separator beside its first row only.
    description: [
      providerName(model.provider),
      isCurrent ? 'current' : '',
      model.retired ? '$(error) retired' : '',
      model.vision ? 'sees images' : 'text only',
      hasKey.get(model.provider) ? '' : '$(key) needs a key',
    ]
      .filter(Boolean)
      .join(' · '),
    // Searched too (matchOnDetail): the id, the context, the price.
    detail: [model.providerModelId, `${contextText(model.contextLength)} context`, model.pricing ? priceText(model.pricing) : ''].filter(Boolean).join(' · '),
    picked: isCurrent,
  };
}
