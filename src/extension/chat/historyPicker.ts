// Vision Chat: Show Chat History…: a quick pick of the saved chats, newest first, to reopen one or
// delete it (the trash button).

import * as vscode from 'vscode';
import { newConversation } from '../conversation';
import { showWarning } from '../notifications';
import type { CurrentChat } from './currentChat';

/** Resolves once the chosen chat is on screen (or the pick was dismissed). */
export async function showHistoryPicker(chat: CurrentChat, reveal: () => Promise<void>): Promise<void> {
  const session = await chat.session();
  await chat.save();
  type Item = vscode.QuickPickItem & { id: string };
  const deleteButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete this chat' };
  const quickPick = vscode.window.createQuickPick<Item>();
  quickPick.title = 'Chat History';
  quickPick.placeholder = 'Reopen a chat';
  quickPick.matchOnDescription = true;
  const refresh = async () => {
    const entries = await chat.store.list();
    quickPick.items = entries.map((e) => ({
      id: e.id,
      label: e.id === session.conversationId ? `$(comment-discussion) ${e.title}` : e.title,
      description: `${relativeTime(e.updatedAt)} · ${e.messageCount} messages${e.id === session.conversationId ? ' · open now' : ''}`,
      buttons: [deleteButton],
    }));
    if (entries.length === 0) quickPick.placeholder = 'No saved chats yet';
  };
  await refresh();
  const chosen = await new Promise<string | undefined>((resolve) => {
    quickPick.onDidTriggerItemButton(async (e) => {
      // Leave the chat first: stopping its answer saves it one last time, which the delete then wins over.
      if (e.item.id === session.conversationId) chat.switchTo(newConversation());
      await chat.store.delete(e.item.id);
      await refresh();
    });
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]?.id);
      quickPick.hide();
    });
    quickPick.onDidHide(() => resolve(undefined));
    quickPick.show();
  });
  quickPick.dispose();
  if (!chosen || chosen === session.conversationId) {
    if (chosen) await reveal();
    return;
  }
  const conversation = await chat.store.load(chosen);
  if (!conversation) {
    void showWarning('That chat could not be read from disk; it may have been deleted.');
    return;
  }
  chat.switchTo(conversation);
  await reveal();
}

function relativeTime(at: number, now = Date.now()): string {
  const minutes = Math.round((now - at) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(at).toLocaleDateString();
}
