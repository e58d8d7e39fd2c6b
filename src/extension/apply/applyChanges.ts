// Apply to File: a code block from an answer, shown as VS Code's diff between the file and the file
// with the block in place. Nothing is written until the user accepts; Accept is one edit (one undo
// step) and a save; Reject leaves the file as it was. Where the block goes is placeChange's call.

import * as vscode from 'vscode';
import { isPathHint } from '../../protocol';
import { Commands } from '../commands';
import { showInfo, showWarning } from '../notifications';
import { placeChange, type Placement } from './placeChange';

/** The right side of the diff: the proposed text, served from memory, never written anywhere. */
export const PROPOSED_SCHEME = 'vision-chat-proposed';

/** One change under review: the file, the text it had when the diff opened, the proposed text. */
interface Pending {
  readonly file: vscode.Uri;
  readonly proposed: vscode.Uri;
  readonly original: string;
  readonly text: string;
  readonly block: string;
}

/** What the user can do instead when a block cannot be placed. */
export type Fallback = (code: string) => Promise<void>;

let next = 0;

export class ApplyChanges implements vscode.Disposable {
  private readonly pending = new Map<string, Pending>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly insertAtCursor: Fallback) {
    this.disposables = [
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, {
        onDidChange: this.changed.event,
        provideTextDocumentContent: (uri) => this.pending.get(uri.toString())?.text ?? '',
      }),
      vscode.commands.registerCommand(Commands.acceptChange, (uri?: unknown) => this.accept(this.find(uri))),
      vscode.commands.registerCommand(Commands.rejectChange, (uri?: unknown) => this.reject(this.find(uri))),
      // Closing the diff without a choice is a reject: the pending change must not linger.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const input = tab.input;
          if (input instanceof vscode.TabInputTextDiff && input.modified.scheme === PROPOSED_SCHEME) this.pending.delete(input.modified.toString());
        }
      }),
    ];
  }

  dispose(): void {
    this.pending.clear();
    for (const d of this.disposables) d.dispose();
  }

  /** Apply to File… on a code block: `target` is the file the answer named, if any. */
  async apply(code: string, target: string | undefined): Promise<void> {
    const file = await this.chooseFile(target);
    if (!file) return;
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(file);
    } catch (e) {
      void showWarning(`Vision Chat could not open ${vscode.workspace.asRelativePath(file)} to apply the code (${e instanceof Error ? e.message : String(e)}).`);
      return;
    }
    const name = vscode.workspace.asRelativePath(file);
    const original = document.getText();
    const placement = placeChange(original, code);
    if (placement.kind === 'unchanged') {
      void showInfo(`${name} already has this code: there is nothing to apply.`);
      return;
    }
    if (placement.kind === 'ambiguous' || placement.kind === 'notFound') {
      await this.cannotPlace(placement, name, code);
      return;
    }
    const proposed = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: file.path, query: `change=${++next}` });
    this.pending.set(proposed.toString(), { file, proposed, original, text: placement.text, block: code });
    const where = placement.kind === 'whole' ? 'the whole file' : `lines ${placement.startLine + 1}–${placement.endLine + 1}`;
    await vscode.commands.executeCommand('vscode.diff', file, proposed, `${baseName(file)}: Vision Chat’s change (${where})`, { preview: false });
    // Accept (✓) and Reject sit in the diff editor's title bar, and in the palette while it is active.
    vscode.window.setStatusBarMessage(`Review Vision Chat’s change to ${name}: Accept or Reject in the diff editor’s title bar`, 15_000);
  }

  /** The change the command is for: its proposed URI (title bar), else the active diff. */
  private find(arg: unknown): Pending | undefined {
    if (arg instanceof vscode.Uri && this.pending.has(arg.toString())) return this.pending.get(arg.toString());
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputTextDiff) return this.pending.get(input.modified.toString());
    return this.pending.size === 1 ? [...this.pending.values()][0] : undefined;
  }

  private async accept(pending: Pending | undefined): Promise<void> {
    if (!pending) {
      void showInfo('There is no change from Vision Chat to accept here: open one with Apply to File… on a code block.');
      return;
    }
    this.pending.delete(pending.proposed.toString());
    const document = await vscode.workspace.openTextDocument(pending.file);
    let text = pending.text;
    if (document.getText() !== pending.original) {
      // The file changed while the diff was open: place the block again in what it holds now.
      const again = placeChange(document.getText(), pending.block);
      if (again.kind !== 'whole' && again.kind !== 'excerpt') {
        await closeDiff(pending.proposed);
        void showWarning(`${vscode.workspace.asRelativePath(pending.file)} changed while the diff was open, and the code no longer fits it. Nothing was written; apply the block again.`);
        return;
      }
      text = again.text;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(pending.file, fullRange(document), text);
    const applied = await vscode.workspace.applyEdit(edit);
    await closeDiff(pending.proposed);
    if (!applied) {
      void showWarning(`VS Code did not accept the edit to ${vscode.workspace.asRelativePath(pending.file)} (is it read-only?). Nothing was written.`);
      return;
    }
    await document.save();
    await vscode.window.showTextDocument(document, { preview: false });
    vscode.window.setStatusBarMessage(`$(check) Change applied to ${baseName(pending.file)}: Undo reverts it`, 5000);
  }

  private async reject(pending: Pending | undefined): Promise<void> {
    if (!pending) return;
    this.pending.delete(pending.proposed.toString());
    await closeDiff(pending.proposed);
    vscode.window.setStatusBarMessage(`Change to ${baseName(pending.file)} rejected: the file is as it was`, 5000);
  }

  private async cannotPlace(placement: Placement, name: string, code: string): Promise<void> {
    const why = placement.kind === 'ambiguous'
      ? `its first lines match ${placement.places} places in ${name}`
      : `its first and last lines are not both in ${name}`;
    const insert = 'Insert at Cursor';
    const choice = await showWarning(`Vision Chat cannot tell where this code goes: ${why}. Nothing was changed.`, insert);
    if (choice === insert) await this.insertAtCursor(code);
  }

  /** The file named by the answer if the workspace has exactly one such, else the active editor's, else the user's pick. */
  private async chooseFile(target: string | undefined): Promise<vscode.Uri | undefined> {
    const named = target && isPathHint(target) ? await findNamed(target) : [];
    if (named.length === 1) return named[0];
    const active = vscode.window.activeTextEditor?.document.uri;
    if (!target && active && (active.scheme === 'file' || active.scheme === 'vscode-remote' || active.scheme === 'untitled')) return active;
    return pickFile(target, named);
  }
}

/** Workspace files whose path ends with `target` (so "app.ts" and "src/app.ts" both find src/app.ts). */
async function findNamed(target: string): Promise<vscode.Uri[]> {
  if (!vscode.workspace.workspaceFolders?.length) return [];
  const base = target.split('/').pop()!;
  const found = await vscode.workspace.findFiles(`**/${base}`, '**/node_modules/**', 50);
  const suffix = `/${target.replace(/^\.\//, '')}`;
  return found.filter((uri) => uri.path.endsWith(suffix));
}

async function pickFile(target: string | undefined, candidates: readonly vscode.Uri[]): Promise<vscode.Uri | undefined> {
  type Item = vscode.QuickPickItem & { uri: vscode.Uri };
  const files = candidates.length
    ? candidates
    : vscode.workspace.workspaceFolders?.length ? await vscode.workspace.findFiles('**/*', '**/node_modules/**', 5000) : [];
  const active = vscode.window.activeTextEditor?.document.uri;
  const items: Item[] = files
    .map((uri) => ({ uri, label: baseName(uri), description: vscode.workspace.asRelativePath(uri, true) }))
    .sort((a, b) => a.description.localeCompare(b.description));
  if (active && !files.some((f) => f.toString() === active.toString())) items.unshift({ uri: active, label: baseName(active), description: 'open in the editor' });
  const placeHolder = candidates.length > 1
    ? `Several files match ${target}: choose the one to apply the code to`
    : target ? `${target} is not in the workspace: choose the file to apply the code to` : 'Choose the file to apply the code to';
  const picked = await vscode.window.showQuickPick(items, { title: 'Apply to File', placeHolder, matchOnDescription: true });
  return picked?.uri;
}

async function closeDiff(proposed: vscode.Uri): Promise<void> {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposed.toString()) await vscode.window.tabGroups.close(tab);
    }
  }
}

function fullRange(document: vscode.TextDocument): vscode.Range {
  return document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
}

function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}
