// Vision Chat: Export Chat as Markdown: the chat as a .md file, its images written beside it.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Conversation } from '../conversation';
import { renderChatMarkdown, safeFileName } from '../exportMarkdown';
import { showInfo } from '../notifications';

export async function exportChat(conversation: Conversation, log: { info(message: string): void }): Promise<void> {
  if (conversation.messages.length === 0) {
    void showInfo('This chat is empty: there is nothing to export yet.');
    return;
  }
  const stem = safeFileName(conversation.title) || 'chat';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: 'Export Chat as Markdown',
    defaultUri: folder ? vscode.Uri.joinPath(folder, `${stem}.md`) : undefined,
    filters: { Markdown: ['md'] },
    saveLabel: 'Export',
  });
  if (!target) return;
  const base = path.posix.basename(target.path).replace(/\.md$/i, '');
  const dir = vscode.Uri.joinPath(target, '..');
  // The save dialog asked before replacing the document itself; the images beside it take free
  // names rather than replacing files already there (the folder's names compared as the OS would).
  const beside = new Set((await vscode.workspace.fs.readDirectory(dir).then(undefined, () => [])).map(([name]) => name.toLowerCase()));
  const exported = renderChatMarkdown(conversation, base, { isTaken: (name) => beside.has(name.toLowerCase()) });
  for (const image of exported.images) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, image.fileName), image.bytes);
  await vscode.workspace.fs.writeFile(target, Buffer.from(exported.markdown, 'utf8'));
  const images = exported.images.length ? ` and ${exported.images.length} image${exported.images.length === 1 ? '' : 's'} beside it` : '';
  log.info(`Exported the chat to ${target.toString(true)}${images}`);
  await vscode.window.showTextDocument(target, { preview: false });
}
