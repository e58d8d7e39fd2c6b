// The buttons on a code block in an answer: Copy, Insert at Cursor, Apply to File, Open in New Editor.

import * as vscode from 'vscode';
import type { CodeRequest } from '../../protocol';
import type { ApplyChanges } from '../apply/applyChanges';
import { showInfo, showWarning } from '../notifications';

export async function runCodeAction({ action, code, language, target }: CodeRequest, apply: ApplyChanges): Promise<void> {
  switch (action) {
    case 'copy':
      await vscode.env.clipboard.writeText(code);
      vscode.window.setStatusBarMessage('$(check) Code copied', 2000);
      return;
    case 'insert': {
      // Focus is in the chat view, so the editor to use is the active one, else the only visible one.
      const visible = vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme !== 'output');
      const editor = vscode.window.activeTextEditor ?? (visible.length === 1 ? visible[0] : undefined);
      if (!editor) {
        const choice = await showInfo('Open a file to insert the code into, or open it in a new editor.', 'Open in New Editor');
        if (choice) await runCodeAction({ action: 'newEditor', code, language }, apply);
        return;
      }
      const done = await editor.edit((edit) => {
        for (const selection of editor.selections) edit.replace(selection, code);
      });
      if (!done) void showWarning('The code could not be inserted: the editor did not accept the edit (is it read-only?).');
      else await vscode.window.showTextDocument(editor.document, editor.viewColumn);
      return;
    }
    case 'apply':
      return apply.apply(code, target);
    case 'newEditor': {
      const languageId = await knownLanguage(language);
      const document = await vscode.workspace.openTextDocument({ content: code, language: languageId });
      await vscode.window.showTextDocument(document, { preview: false });
      return;
    }
    default:
      return unhandled(action);
  }
}

/** Markdown fence names that are not VS Code language ids. */
const LANGUAGE_ALIASES: Record<string, string> = {
  ts: 'typescript',
  js: 'javascript',
  py: 'python',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
  shell: 'shellscript',
  yml: 'yaml',
  md: 'markdown',
  rs: 'rust',
  cs: 'csharp',
  'c++': 'cpp',
  rb: 'ruby',
  kt: 'kotlin',
};

async function knownLanguage(language: string | undefined): Promise<string> {
  if (!language) return 'plaintext';
  const id = LANGUAGE_ALIASES[language.toLowerCase()] ?? language.toLowerCase();
  const known = await vscode.languages.getLanguages();
  return known.includes(id) ? id : 'plaintext';
}

/** Adding a kind of action without handling it here does not compile. */
function unhandled(action: never): never {
  throw new Error(`Unhandled action ${String(action)}`);
}
