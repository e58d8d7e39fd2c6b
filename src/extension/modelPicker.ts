// Select Model: a quick pick grouped by provider, vision models marked with an eye, providers
// without a key marked, the current model checked. The choice persists in `visionChat.model`.

import * as vscode from 'vscode';
import type { ModelInfo, ProviderId } from '../core/types';
import { providerName } from '../core/providerTable';
import { PROVIDER_IDS, providerNeedsKey } from './keys';
import { resolveModel } from './models';
import type { Services } from './services';

type ModelItem = vscode.QuickPickItem & { model?: ModelInfo };

export async function pickModel(services: Services): Promise<ModelInfo | undefined> {
  const catalog = services.catalog();
  const current = resolveModel(catalog, services.settings.modelId).model;
  const hasKey = new Map<ProviderId, boolean>();
  await Promise.all(PROVIDER_IDS.map(async (p) => hasKey.set(p, !providerNeedsKey(p) || (await services.keys.get(p)).source !== 'none')));

  const items: ModelItem[] = [];
  for (const provider of PROVIDER_IDS) {
    const models = catalog.byProvider(provider);
    if (models.length === 0) continue;
    const keyNote = hasKey.get(provider) ? '' : ' — no API key yet';
    items.push({ label: `${providerName(provider)}${keyNote}`, kind: vscode.QuickPickItemKind.Separator });
    for (const model of models) {
      const isCurrent = model.id === current.id;
      items.push({
        model,
        label: `${model.vision ? '$(eye)' : '$(comment)'} ${model.displayName}`,
        description: [isCurrent ? 'current' : '', model.vision ? 'sees images' : 'text only', hasKey.get(provider) ? '' : '$(key) needs a key']
          .filter(Boolean)
          .join(' · '),
        detail: model.providerModelId,
        picked: isCurrent,
      });
    }
  }

  const quickPick = vscode.window.createQuickPick<ModelItem>();
  quickPick.title = 'Select Model';
  quickPick.placeholder = `Current: ${current.displayName} (${providerName(current.provider)})`;
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  quickPick.items = items;
  const active = items.find((i) => i.model?.id === current.id);
  if (active) quickPick.activeItems = [active];

  const chosen = await new Promise<ModelInfo | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]?.model ?? quickPick.activeItems[0]?.model);
      quickPick.hide();
    });
    quickPick.onDidHide(() => resolve(undefined));
    quickPick.show();
  });
  quickPick.dispose();
  if (!chosen) return undefined;
  await services.settings.setModelId(chosen.id);
  return chosen;
}
