// Select Model: a quick pick of every model (built-in, listed by the providers, from settings),
// searched as you type, the recently used on top, then grouped by provider, vision models marked
// with an eye, context and price shown, providers without a key marked, the current model checked.
// The choice persists in `visionChat.model` and joins the recently used (global storage).

import * as vscode from 'vscode';
import type { ModelInfo, ProviderId } from '../core/types';
import { providerName } from '../core/providerTable';
import { PROVIDER_IDS, providerNeedsKey } from './keys';
import { modelPickerRows } from './modelPickerRows';
import { resolveModel } from './models';
import { recentModelIds, rememberModel } from './recentModels';
import type { Services } from './services';

type ModelItem = vscode.QuickPickItem & { model?: ModelInfo };

export async function pickModel(services: Services): Promise<ModelInfo | undefined> {
  const hasKey = new Map<ProviderId, boolean>();
  await Promise.all(PROVIDER_IDS.map(async (p) => hasKey.set(p, !providerNeedsKey(p) || (await services.keys.get(p)).source !== 'none')));
  await services.loadStoredCatalogs();

  const recent = recentModelIds(services.context.globalState);
  const quickPick = vscode.window.createQuickPick<ModelItem>();
  quickPick.title = 'Select Model';
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  const render = (): void => {
    const catalog = services.catalog();
    const current = resolveModel(catalog, services.settings.modelId).model;
    const items: ModelItem[] = modelPickerRows(catalog, current.id, hasKey, services.catalogNotes(), recent).map((row) =>
      row.kind === 'provider'
        ? { label: row.label, kind: vscode.QuickPickItemKind.Separator }
        : row.kind === 'note'
          ? { label: row.label, alwaysShow: true }
          : { ...row, kind: vscode.QuickPickItemKind.Default },
    );
    const activeId = quickPick.activeItems[0]?.model?.id ?? current.id;
    quickPick.placeholder = `Current: ${current.displayName} (${providerName(current.provider)}). Type to search ${catalog.all.length} models.`;
    quickPick.items = items;
    const active = items.find((i) => i.model?.id === activeId);
    if (active) quickPick.activeItems = [active];
  };
  render();
  // The listings are read in the background; the list grows while it is open.
  quickPick.busy = true;
  const changed = services.onDidChangeCatalog(render);
  void services.refreshCatalogs().finally(() => (quickPick.busy = false));

  const chosen = await new Promise<ModelInfo | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]?.model ?? quickPick.activeItems[0]?.model);
      quickPick.hide();
    });
    quickPick.onDidHide(() => resolve(undefined));
    quickPick.show();
  });
  changed.dispose();
  quickPick.dispose();
  if (!chosen) return undefined;
  await services.settings.setModelId(chosen.id);
  await rememberModel(services.context.globalState, chosen.id);
  return chosen;
}
