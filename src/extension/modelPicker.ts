// Select Model: a quick pick grouped by provider, vision models marked with an eye, providers
// without a key marked, the current model checked. The choice persists in `visionChat.model`.

import * as vscode from 'vscode';
import type { ModelInfo, ProviderId } from '../core/types';
import { providerName } from '../core/providerTable';
import { PROVIDER_IDS, providerNeedsKey } from './keys';
import { modelPickerRows } from './modelPickerRows';
import { resolveModel } from './models';
import type { Services } from './services';

type ModelItem = vscode.QuickPickItem & { model?: ModelInfo };

export async function pickModel(services: Services): Promise<ModelInfo | undefined> {
  const catalog = services.catalog();
  const current = resolveModel(catalog, services.settings.modelId).model;
  const hasKey = new Map<ProviderId, boolean>();
  await Promise.all(PROVIDER_IDS.map(async (p) => hasKey.set(p, !providerNeedsKey(p) || (await services.keys.get(p)).source !== 'none')));

  const items: ModelItem[] = modelPickerRows(catalog, current.id, hasKey).map((row) =>
    row.kind === 'provider' ? { label: row.label, kind: vscode.QuickPickItemKind.Separator } : { ...row, kind: vscode.QuickPickItemKind.Default },
  );

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
