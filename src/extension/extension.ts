// Activation: build the services, register the view, commands and status bar item, and return.
// Nothing here reads from disk or the network; the chat loads its history when the view opens, and
// the credits item fills itself after activation.

import * as vscode from 'vscode';
import type { ProviderId } from '../core/types';
import { isProviderId } from '../core/providerTable';
import { clearApiKeyFlow, setApiKeyFlow } from './apiKeys';
import { ChatController } from './chatController';
import { ChatView } from './chatView';
import { loadProviders, ProviderClients } from './clients';
import { CHAT_VIEW_ID, Commands } from './commands';
import { CreditsStatus } from './credits';
import { describeImage, explainSelection } from './editorCommands';
import { SecretKeyStore } from './keys';
import { confirmSpend, languageModelSpendGate } from './spendLimitQuestion';
import { registerLanguageModelProvider } from './lm/register';
import { pickModel } from './modelPicker';
import { registerPromptCommands } from './prompts/register';
import type { Services } from './services';
import { ConfigurationSettings } from './settings';
import { showError, showWarning } from './notifications';
import { KeyHostConsent, ownHost } from './baseUrls';
import { providerInfo, providerName } from '../core/providerTable';
import { GlobalStorageCatalogStore } from './catalogStore';
import type { CatalogNotes } from '../protocol';

let controller: ChatController | undefined;
/** Set once a provider client was made: only then is there a connection pool to close. */
let clientsUsed = false;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Open Vision Chat', { log: true });
  const settings = new ConfigurationSettings(log);
  const keys = new SecretKeyStore(context.secrets, process.env, (provider) => settings.baseUrl(provider));
  const clients = new ProviderClients(settings, keys, new KeyHostConsent(context.globalState, askToSendKey), new GlobalStorageCatalogStore(context.globalStorageUri));
  const catalogChanged = new vscode.EventEmitter<void>();
  clients.onDidChangeCatalog(() => catalogChanged.fire());
  // The balance is read in the background: it never asks where the key may go, it waits for a chat to.
  const credits = new CreditsStatus({ keys, settings, log, globalState: context.globalState, clientFor: (p) => ((clientsUsed = true), clients.clientFor(p, false)) });
  const view = new ChatView(context.extensionUri, log);
  const keyFlow = { keys, log, clientWithKey: (p: ProviderId, key: string) => ((clientsUsed = true), clients.clientWithKey(p, key)) };

  const spendDeps = { settings, log, spentTodayUsd: () => credits.spentTodayUsd() };

  // `chat` is filled in just below; features reach it only after activation.
  const services: Services = {
    context,
    log,
    keys,
    settings,
    catalog: () => clients.catalog(),
    refreshCatalogs: (force) => ((clientsUsed = true), clients.refreshCatalogs(force)),
    loadStoredCatalogs: () => clients.loadStoredCatalogs(),
    catalogNotes: () => catalogNotes(clients),
    onDidChangeCatalog: catalogChanged.event,
    providerFor: (model) => {
      clientsUsed = true;
      return clients.providerFor(model);
    },
    credits,
    get chat() {
      return chat;
    },
    setApiKey: (provider?: ProviderId) => setApiKeyFlow(keyFlow, provider),
    confirmSpend: (model, estimateInputTokens) => confirmSpend(spendDeps, model, estimateInputTokens),
    confirmLanguageModelSpend: languageModelSpendGate(spendDeps),
  };
  const chat = new ChatController(services, view);
  controller = chat;

  const command = (id: string, run: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await run(...args);
      } catch (e) {
        log.error(`Command ${id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        void showError(`Vision Chat: the command failed (${e instanceof Error ? e.message : String(e)}). See the log for details.`);
      }
    });

  context.subscriptions.push(
    catalogChanged,
    log,
    settings,
    credits,
    view,
    chat,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view),
    command(Commands.openChat, async () => {
      await view.reveal(false);
      view.post({ type: 'focusInput' });
    }),
    command(Commands.newChat, () => chat.newChat()),
    command(Commands.setApiKey, (provider) => services.setApiKey(isProviderId(provider) ? provider : undefined)),
    command(Commands.clearApiKey, () => clearApiKeyFlow(keyFlow)),
    command(Commands.selectModel, () => pickModel(services)),
    command(Commands.explainSelection, () => explainSelection(services)),
    command(Commands.describeImage, (uri) => describeImage(services, uri)),
    command(Commands.refreshCredits, () => credits.refresh()),
    command(Commands.exportChat, () => chat.exportChat()),
    command(Commands.showHistory, () => chat.showHistory()),
    command(Commands.showLog, () => log.show()),
    command(Commands.addToChat, (target, selected) => chat.addToChat(target, selected)),
  );

  registerLanguageModelProvider(services);
  registerPromptCommands(services);
  credits.start();
}

function catalogNotes(clients: ProviderClients): CatalogNotes {
  const notes: Partial<Record<ProviderId, string>> = {};
  for (const [provider, state] of clients.listingStates()) if (state.note) notes[provider] = state.note;
  return notes;
}

export async function deactivate(): Promise<void> {
  await controller?.flush();
  controller = undefined;
  if (clientsUsed) await (await loadProviders()).closeDispatchers();
}

/** The one-time question before a stored key goes to a host other than the provider's own. */
async function askToSendKey(provider: ProviderId, host: string): Promise<boolean> {
  const send = 'Send the Key';
  const name = providerName(provider);
  const choice = await showWarning(
    `Send your ${name} API key to ${host}?`,
    {
      modal: true,
      detail: `visionChat.${providerInfo(provider).baseUrl.setting} in your user settings points to ${host}, not ${name}'s own server (${ownHost(provider)}). Send the key only if you run or trust that server (a gateway or proxy of your own). The answer is remembered for this host.`,
    },
    send,
  );
  return choice === send;
}
