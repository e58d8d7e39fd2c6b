// The Set API Key and Clear API Key flows: pick a provider, paste the key into a password box,
// prove it with a cheap call, and store it only in SecretStorage.

import * as vscode from 'vscode';
import { isProviderError } from '../core/errors';
import { errorText } from './errorWords';
import { PROVIDER_IDS, providerInfo, providerName } from '../core/providerTable';
import type { ChatProvider, Credits, ProviderId } from '../core/types';
import { formatBalance } from './creditsLedger';
import { describeKeySource, keyProblem } from './keys';
import type { KeyStore } from './services';
import { showInfo, showWarning } from './notifications';

export interface ApiKeyDependencies {
  readonly keys: KeyStore;
  readonly log: vscode.LogOutputChannel;
  /** A client that uses this key (not yet stored), for the check. */
  clientWithKey(provider: ProviderId, key: string): Promise<ChatProvider>;
}

function keyPage(provider: ProviderId): string | undefined {
  return providerInfo(provider).key.page;
}

type ProviderItem = vscode.QuickPickItem & { provider: ProviderId };

async function pickProvider(keys: KeyStore, title: string, filter: (source: string) => boolean): Promise<ProviderId | undefined | null> {
  const items: ProviderItem[] = [];
  for (const provider of PROVIDER_IDS) {
    const { source } = await keys.get(provider);
    if (!filter(source)) continue;
    items.push({
      provider,
      label: providerName(provider),
      description: describeKeySource(source, provider),
      detail: keyPage(provider) ? `Get a key at ${keyPage(provider)}` : 'Only if your server asks for one (Ollama does not)',
    });
  }
  if (items.length === 0) return null;
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Choose a provider' });
  return picked?.provider;
}

/** Returns true when a key was stored. */
export async function setApiKeyFlow(deps: ApiKeyDependencies, provider?: ProviderId): Promise<boolean> {
  const chosen = provider ?? (await pickProvider(deps.keys, 'Set API Key', () => true));
  if (!chosen) return false;
  const name = providerName(chosen);
  let value = '';
  for (;;) {
    const entered = await vscode.window.showInputBox({
      title: `${name} API Key`,
      prompt: keyPage(chosen)
        ? `Paste your ${name} API key (from ${keyPage(chosen)}). It is kept in VS Code's secret storage.`
        : `Paste the key your server expects. It is kept in VS Code's secret storage.`,
      password: true,
      ignoreFocusOut: true,
      value,
      validateInput: (text) => keyProblem(text),
    });
    if (entered === undefined) return false;
    value = entered.trim();
    if (!value || keyProblem(value)) return false;

    const check = await checkKey(deps, chosen, value);
    if (check.ok) {
      await deps.keys.set(chosen, value);
      const balance = check.credits ? ` Balance: ${formatBalance(check.credits.remaining)} credits.` : '';
      void showInfo(`${name} key saved: it works.${balance}`);
      deps.log.info(`${name} key saved after a successful check`);
      return true;
    }
    if (check.cancelled) return false;
    const choice = await showWarning(
      `The ${name} key could not be confirmed: ${check.reason}`,
      { modal: false },
      'Save Anyway',
      'Try Again',
    );
    if (choice === 'Save Anyway') {
      await deps.keys.set(chosen, value);
      deps.log.info(`${name} key saved without a successful check`);
      return true;
    }
    if (choice !== 'Try Again') return false;
  }
}

type CheckResult = { ok: true; credits?: Credits } | { ok: false; cancelled: boolean; reason: string };

async function checkKey(deps: ApiKeyDependencies, provider: ProviderId, key: string): Promise<CheckResult> {
  const name = providerName(provider);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking the ${name} key…`, cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        const client = await deps.clientWithKey(provider, key);
        const result = await client.checkKey(controller.signal);
        return { ok: true, credits: result.credits };
      } catch (e) {
        if (token.isCancellationRequested) return { ok: false, cancelled: true, reason: 'cancelled' };
        const reason = isProviderError(e) ? errorText(e) : 'the check failed unexpectedly (see the log).';
        deps.log.warn(`${name} key check failed: ${isProviderError(e) ? `${e.kind} ${e.status ?? ''}`.trim() : (e as Error).message}`);
        return { ok: false, cancelled: false, reason };
      } finally {
        subscription.dispose();
      }
    },
  );
}

export async function clearApiKeyFlow(deps: Pick<ApiKeyDependencies, 'keys' | 'log'>): Promise<void> {
  const provider = await pickProvider(deps.keys, 'Clear API Key', (source) => source === 'secretStorage');
  if (provider === null) {
    void showInfo('No API key is stored in VS Code. (Keys from environment variables are not stored and cannot be cleared here.)');
    return;
  }
  if (!provider) return;
  await deps.keys.delete(provider);
  const { source } = await deps.keys.get(provider);
  const still = source === 'environment' ? ` The key from the environment is still used.` : '';
  deps.log.info(`${providerName(provider)} key cleared`);
  void showInfo(`${providerName(provider)} key removed from VS Code.${still}`);
}
