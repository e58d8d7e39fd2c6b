// Explain Selection and Describe Image: the two ways workspace content reaches the chat. In
// Restricted Mode both ask before anything from the workspace is sent to a provider.

import * as vscode from 'vscode';
import { buildExplainPrompt, CONTEXT_LINES } from './explain';
import { readImageFile } from './imageFiles';
import { modelLabel, resolveModel, standInVisionModel } from './models';
import type { Services } from './services';
import { allowWorkspaceContent, displayPath, pickImage } from './workspaceFiles';
import { showInfo, showWarning } from './notifications';

/** What the Restricted Mode question says leaves the machine. */
const SENT_TO_CHAT = 'Only the content shown in the chat is sent.';

export async function explainSelection(services: Services): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) {
    void showInfo('Select some code in an editor first, then run Explain Selection.');
    return;
  }
  const document = editor.document;
  const fileName = displayPath(document.uri);
  const chatModel = resolveModel(services.catalog(), services.settings.modelId).model;
  if (!(await allowWorkspaceContent(chatModel, `the selected code from “${fileName}”`, SENT_TO_CHAT))) return;

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
  if (truncated) void showInfo('The selection is long: only its beginning was sent.');
  await services.chat.ask(prompt, { preserveFocus: services.settings.revealWithoutFocus });
}

export async function describeImage(services: Services, target?: unknown): Promise<void> {
  const uri = target instanceof vscode.Uri ? target : await pickImage({ title: 'Describe Image', openLabel: 'Describe' });
  if (!uri) return;

  // Describe Image always needs eyes: borrow the vision model for this turn if the chat's cannot see.
  // Chosen before the Restricted Mode question, so that it names the provider the image goes to.
  const catalog = services.catalog();
  const chatModel = resolveModel(catalog, services.settings.modelId).model;
  const model = chatModel.vision ? chatModel : standInVisionModel(catalog, services.settings.visionModelId);
  if (!model) {
    void showWarning('No model that can see images is available. Check the visionChat.openaiCompatible.models setting.');
    return;
  }
  if (!(await allowWorkspaceContent(model, `the image “${displayPath(uri)}”`, SENT_TO_CHAT))) return;
  const read = await readImageFile(uri);
  if ('problem' in read) {
    void showWarning(read.problem);
    return;
  }
  const borrowed = model !== chatModel;
  await services.chat.askWithImages(`Describe the image “${read.image.name}”.`, [read.image], {
    modelId: borrowed ? model.id : undefined,
    note: borrowed ? `Using ${modelLabel(model)} for this image: the chat's model, ${modelLabel(chatModel)}, cannot see images.` : undefined,
  });
}
