// Explain Selection and Describe Image: the two ways workspace content reaches the chat. In
// Restricted Mode both ask before anything from the workspace is sent to a provider.

import * as vscode from 'vscode';
import { PROVIDER_NAMES } from '../core/types';
import { buildExplainPrompt, CONTEXT_LINES } from './explain';
import { IMAGE_EXTENSIONS, IMAGE_GLOB, readImageFile } from './imageFiles';
import { modelLabel, resolveModel } from './models';
import type { Services } from './services';

export async function explainSelection(services: Services): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) {
    void vscode.window.showInformationMessage('Select some code in an editor first, then run Explain Selection.');
    return;
  }
  const document = editor.document;
  const fileName = displayName(document.uri, document.isUntitled);
  if (!(await allowWorkspaceContent(services, `the selected code from “${fileName}”`))) return;

  const selection = editor.selection;
  const startLine = selection.start.line;
  // A selection ending at column 0 of the next line does not really include that line.
  const endLine = selection.end.character === 0 && selection.end.line > startLine ? selection.end.line - 1 : selection.end.line;
  const linesBetween = (from: number, to: number) =>
    from > to ? '' : document.getText(new vscode.Range(from, 0, to, document.lineAt(to).text.length));
  const { prompt, truncated } = buildExplainPrompt({
    code: document.getText(selection),
    languageId: document.languageId,
    fileName,
    startLine: startLine + 1,
    endLine: endLine + 1,
    before: linesBetween(Math.max(0, startLine - CONTEXT_LINES), startLine - 1),
    after: linesBetween(endLine + 1, Math.min(document.lineCount - 1, endLine + CONTEXT_LINES)),
  });
  if (truncated) void vscode.window.showInformationMessage('The selection is long: only its beginning was sent.');
  await services.chat.ask(prompt, { preserveFocus: services.settings.revealWithoutFocus });
}

export async function describeImage(services: Services, target?: unknown): Promise<void> {
  const uri = target instanceof vscode.Uri ? target : await pickWorkspaceImage();
  if (!uri) return;
  const name = displayName(uri, false);
  if (!(await allowWorkspaceContent(services, `the image “${name}”`))) return;
  const read = await readImageFile(uri);
  if ('problem' in read) {
    void vscode.window.showWarningMessage(read.problem);
    return;
  }

  // Describe Image always needs eyes: borrow the vision model for this turn if the chat's cannot see.
  const catalog = services.catalog();
  const chatModel = resolveModel(catalog, services.settings.modelId).model;
  let modelId: string | undefined;
  let note: string | undefined;
  if (!chatModel.vision) {
    const configured = catalog.get(services.settings.visionModelId);
    const visionModel = configured?.vision ? configured : catalog.visionModels()[0];
    if (!visionModel) {
      void vscode.window.showWarningMessage('No model that can see images is available. Check the visionChat.openaiCompatible.models setting.');
      return;
    }
    modelId = visionModel.id;
    note = `Using ${modelLabel(visionModel)} for this image: the chat's model, ${modelLabel(chatModel)}, cannot see images.`;
  }
  await services.chat.askWithImages(`Describe the image “${read.image.name}”.`, [read.image], { modelId, note });
}

async function pickWorkspaceImage(): Promise<vscode.Uri | undefined> {
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const browse: Item = { label: '$(folder-opened) Browse…', description: 'Choose an image file from disk', alwaysShow: true };
  const found = vscode.workspace.workspaceFolders?.length ? await vscode.workspace.findFiles(IMAGE_GLOB, '**/node_modules/**', 500) : [];
  const items: Item[] = found
    .map((uri) => ({ uri, label: `$(file-media) ${uri.path.split('/').pop()}`, description: vscode.workspace.asRelativePath(uri, true) }))
    .sort((a, b) => a.description.localeCompare(b.description));
  const picked = await vscode.window.showQuickPick([...items, browse], {
    title: 'Describe Image',
    placeHolder: items.length ? 'Choose an image from the workspace' : 'No images in the workspace: browse for one',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Images: IMAGE_EXTENSIONS }, openLabel: 'Describe' });
  return chosen?.[0];
}

/** In Restricted Mode, ask before sending anything from the workspace to a provider. */
async function allowWorkspaceContent(services: Services, what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const model = resolveModel(services.catalog(), services.settings.modelId).model;
  const choice = await vscode.window.showWarningMessage(
    `This workspace is in Restricted Mode. Send ${what} to ${PROVIDER_NAMES[model.provider]}?`,
    { modal: true, detail: 'Only the content shown in the chat is sent. Trust the workspace to stop being asked.' },
    'Send',
  );
  return choice === 'Send';
}

/** Workspace-relative where possible; never an absolute path of the user's machine. */
function displayName(uri: vscode.Uri, untitled: boolean): string {
  if (untitled || uri.scheme === 'untitled') return uri.path.split('/').pop() || 'Untitled';
  const relative = vscode.workspace.asRelativePath(uri, false);
  return relative === uri.fsPath || relative === uri.path ? uri.path.split('/').pop() || relative : relative;
}
