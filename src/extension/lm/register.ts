import * as vscode from 'vscode';
import type { Services } from '../services';
import { LM_VENDOR, VisionChatModelProvider } from './provider';

/** Registers our catalog as a VS Code Language Model Chat Provider (vendor `visionChat`). */
export function registerLanguageModelProvider(services: Services): void {
  // Editors built on an older VS Code (or forks without the API) lack it: the rest of the extension still works.
  if (typeof vscode.lm?.registerLanguageModelChatProvider !== 'function') {
    services.log.warn('[lm] This editor has no Language Model Chat Provider API; our models are not offered to its chat.');
    return;
  }
  const provider = new VisionChatModelProvider(services);
  services.context.subscriptions.push(provider, vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, provider));
  // The extension starts after VS Code has (onStartupFinished): offering the models now puts them in
  // the Chat view's picker without Manage Models… first.
  provider.offerModels();
}
