// Workspace content on its way to a provider, shared by Explain Selection, Describe Image and the
// palette prompts: choosing an image, asking first in Restricted Mode, and naming files without
// revealing where they sit on the user's machine.

import * as vscode from 'vscode';
import { providerName } from '../core/providerTable';
import type { ModelInfo } from '../core/types';
import { IMAGE_EXTENSIONS, IMAGE_GLOB } from './imageFiles';
import { showWarning } from './notifications';

export interface ImagePickOptions {
  /** The quick pick's title: the command or prompt the image is for. */
  readonly title: string;
  /** The open dialog's button after "Browse…". */
  readonly openLabel: string;
  /** Offer the image open in the editor first. */
  readonly offerOpenImage?: boolean;
}

/** An image from the editor (when offered), from the workspace, or from disk through "Browse…". */
export async function pickImage(options: ImagePickOptions): Promise<vscode.Uri | undefined> {
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const openUri = options.offerOpenImage ? activeImageUri() : undefined;
  const open: Item[] = openUri ? [{ uri: openUri, label: `$(eye) ${fileName(openUri)}`, description: 'open in the editor' }] : [];
  const found = vscode.workspace.workspaceFolders?.length ? await vscode.workspace.findFiles(IMAGE_GLOB, '**/node_modules/**', 500) : [];
  const items: Item[] = found
    .filter((uri) => uri.toString() !== openUri?.toString())
    .map((uri) => ({ uri, label: `$(file-media) ${fileName(uri)}`, description: vscode.workspace.asRelativePath(uri, true) }))
    .sort((a, b) => a.description.localeCompare(b.description));
  const browse: Item = { label: '$(folder-opened) Browse…', description: 'Choose an image file from disk', alwaysShow: true };
  const picked = await vscode.window.showQuickPick([...open, ...items, browse], {
    title: options.title,
    placeHolder: open.length ? 'Choose an image' : items.length ? 'Choose an image from the workspace' : 'No images in the workspace: browse for one',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Images: IMAGE_EXTENSIONS }, openLabel: options.openLabel });
  return chosen?.[0];
}

function activeImageUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri = input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : undefined;
  return uri && IMAGE_EXTENSIONS.includes(uri.path.split('.').pop()?.toLowerCase() ?? '') ? uri : undefined;
}

/**
 * In Restricted Mode, asks before anything from the workspace goes to `model`'s provider.
 * `what` names the content ("the image “a.png”"); `whatIsSent` tells how much of it leaves.
 */
export async function allowWorkspaceContent(model: ModelInfo, what: string, whatIsSent: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await showWarning(
    `This workspace is in Restricted Mode. Send ${what} to ${providerName(model.provider)}?`,
    { modal: true, detail: `${whatIsSent} Trust the workspace to stop being asked.` },
    'Send',
  );
  return choice === 'Send';
}

/** Workspace-relative where possible; never an absolute path of the user's machine. */
export function displayPath(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') return fileName(uri) || 'Untitled';
  const relative = vscode.workspace.asRelativePath(uri, false);
  return relative === uri.fsPath || relative === uri.path ? fileName(uri) || relative : relative;
}

function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? '';
}
