// The buttons beside an error in the chat: what each next step (an `ErrorAction`, data from the
// core) does on the VS Code side.

import * as vscode from 'vscode';
import { billingUrl } from '../../core/errors';
import type { ErrorAction } from '../../protocol';
import { Commands } from '../commands';
import { isWebLink } from '../messageGuard';
import { resolveModel } from '../models';
import type { Services } from '../services';
import type { ChatSession } from '../session';

/** `askAgain` regenerates the last answer (holding later messages until it is under way). */
export async function runErrorAction(
  services: Services,
  session: ChatSession,
  action: ErrorAction,
  messageId: string,
  askAgain: () => Promise<void>,
): Promise<void> {
  const message = session.snapshot().messages.find((m) => m.id === messageId);
  const catalog = services.catalog();
  const provider = (message?.modelId && catalog.get(message.modelId)?.provider) || resolveModel(catalog, services.settings.modelId).model.provider;
  switch (action) {
    case 'setApiKey': {
      const stored = await services.setApiKey(provider);
      // The error was the last answer: ask again now that there is a key.
      if (stored && session.snapshot().messages.at(-1)?.id === messageId) await askAgain();
      return;
    }
    case 'retry':
      await askAgain();
      return;
    case 'selectModel':
      await vscode.commands.executeCommand(Commands.selectModel);
      return;
    case 'openBilling': {
      const url = message?.error?.billingUrl ?? billingUrl(provider);
      if (url && isWebLink(url)) await vscode.env.openExternal(vscode.Uri.parse(url, true));
      return;
    }
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'visionChat');
      return;
    case 'showLog':
      services.log.show(true);
      return;
    default:
      return unhandled(action);
  }
}

/** Adding a kind of action without handling it here does not compile. */
function unhandled(action: never): never {
  throw new Error(`Unhandled action ${String(action)}`);
}
