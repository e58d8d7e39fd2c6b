// The rows of Select Model, without VS Code: one group per provider, each model a row. Kept apart
// from the quick pick (modelPicker.ts) so what each row says can be tested.

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
): ModelPickerRow[] {
  const rows: ModelPickerRow[] = [];
  for (const provider of PROVIDER_IDS) {
    const models = catalog.byProvider(provider);
    if (models.length === 0) continue;
    const keyNote = hasKey.get(provider) ? '' : ' — no API key yet';
    rows.push({ kind: 'provider', label: `${providerName(provider)}${keyNote}` });
    const note = notes[provider];
    if (note) rows.push({ kind: 'note', label: `$(warning) ${note}` });
    for (const model of models) {
      const isCurrent = model.id === currentId;
      rows.push({
        kind: 'model',
        model,
        label: `${model.vision ? '$(eye)' : '$(comment)'} ${model.displayName}`,
        // The provider in every row: VS Code shows the group's separator beside its first row only.
        description: [
          providerName(provider),
          isCurrent ? 'current' : '',
          model.retired ? '$(error) retired' : '',
          model.vision ? 'sees images' : 'text only',
          hasKey.get(provider) ? '' : '$(key) needs a key',
        ]
          .filter(Boolean)
          .join(' · '),
        // Searched too (matchOnDetail): the id, the context, the price.
        detail: [model.providerModelId, `${contextText(model.contextLength)} context`, model.pricing ? priceText(model.pricing) : ''].filter(Boolean).join(' · '),
        picked: isCurrent,
      });
    }
  }
  return rows;
}
