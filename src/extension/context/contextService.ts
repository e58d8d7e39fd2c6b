// Attachments on the VS Code side: the `#` rows, attaching what a row names, the Explorer's and the
// editor's "Add to Vision Chat", files dropped on the prompt box, and opening a sent chip's file. In
// Restricted Mode, workspace content is attached only after the user says yes.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextChip, ContextLocation, ContextRef, ContextSuggestion, HostMessage, RawImage } from '../../protocol';
import { resolveModel } from '../models';
import { showInfo, showWarning } from '../notifications';
import type { Services } from '../services';
import { allowWorkspaceContent } from '../workspaceFiles';
import type { ContextHost } from '../chat/messageRouter';
import { type Sourced, changesRefused, fromActiveFile, fromChanges, fromPath, fromProblems, fromSelection, fromTerminal, workspacePath, workspaceRoots } from './contextSources';
import { ContextStore } from './contextStore';
import { FileIndex } from './fileIndex';
import { rankFiles } from './rankFiles';
import { TerminalOutput } from './terminalOutput';
import { resolveInWorkspace } from './workspaceText';

/** Rows in the `#` list: enough to scroll, few enough to post on every key press. */
export const MAX_SUGGESTIONS = 50;

const SPECIAL: readonly ContextSuggestion[] = [
  { label: 'selection', detail: 'The selected code in the editor', ref: { kind: 'selection' } },
  { label: 'file', detail: 'The file open in the editor', ref: { kind: 'activeFile' } },
  { label: 'problems', detail: 'Problems of the open file (or of the workspace)', ref: { kind: 'problems' } },
  { label: 'terminal', detail: "The active terminal's last command and its output", ref: { kind: 'terminal' } },
  { label: 'changes', detail: 'The git diff of the working tree', ref: { kind: 'changes' } },
];

const MANAGE_TRUST = 'Manage Workspace Trust';

const SENT_LATER = 'What you attach is sent with your next prompt, to the provider of the model you use.';

export interface ContextView {
  post(message: HostMessage): void;
  reveal(preserveFocus: boolean): Promise<void>;
}

export class ContextService implements ContextHost, vscode.Disposable {
  readonly store = new ContextStore();
  private readonly files = new FileIndex(workspacePath);
  private readonly terminals = new TerminalOutput();

  constructor(
    private readonly services: Services,
    private readonly view: ContextView,
  ) {}

  async suggest(query: string): Promise<readonly ContextSuggestion[]> {
    const q = query.trim().toLowerCase();
    const special = SPECIAL.filter((s) => !q || s.label.startsWith(q)).map((s) =>
      s.ref.kind === 'changes' && !vscode.workspace.isTrusted ? { ...s, detail: `${s.detail}: needs a trusted workspace` } : s,
    );
    let paths: string[] = [];
    try {
      paths = await this.files.list();
    } catch (e) {
      this.services.log.warn(`Could not list the workspace's files for #: ${(e as Error).message}`);
    }
    const files: ContextSuggestion[] = rankFiles(paths, q, MAX_SUGGESTIONS - special.length).map(({ path: p }) => {
      const folder = path.posix.dirname(p);
      return { label: p, ...(folder !== '.' ? { detail: folder } : {}), ref: { kind: 'file', path: p } };
    });
    return [...special, ...files];
  }

  async attach(ref: ContextRef): Promise<void> {
    // Refused whatever the answer (no git in Restricted Mode): said at once, not after asking to send it.
    const refused = ref.kind === 'changes' ? changesRefused() : undefined;
    if (refused) {
      if ((await showWarning(refused, MANAGE_TRUST)) === MANAGE_TRUST) await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    }
    if (!(await this.allowed(describeRef(ref)))) return;
    const sourced = await this.source(ref);
    this.deliver([sourced]);
  }

  async drop(uris: readonly string[]): Promise<void> {
    const outside: string[] = [];
    const inside: string[] = [];
    for (const text of uris) {
      const relative = droppedPath(text);
      if (relative) inside.push(relative);
      else outside.push(nameOf(text));
    }
    if (outside.length) {
      void showWarning(`Only files inside the workspace can be attached; not attached: ${listNames(outside)}.`);
    }
    if (!inside.length || !(await this.allowed(inside.length === 1 ? `“${inside[0]}”` : `${inside.length} workspace files`))) return;
    this.deliver(await Promise.all(inside.map((p) => fromPath(p))));
  }

  async open(location: ContextLocation): Promise<void> {
    const resolved = await resolveInWorkspace(workspaceRoots(), location.path);
    if (!resolved) {
      void showWarning(`“${location.path}” is not in this workspace any more.`);
      return;
    }
    const uri = vscode.Uri.file(resolved.absolute);
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) {
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return;
    }
    const start = Math.max(0, (location.startLine ?? 1) - 1);
    const end = Math.max(start, (location.endLine ?? location.startLine ?? 1) - 1);
    const selection = location.startLine !== undefined ? new vscode.Range(start, 0, end, Number.MAX_SAFE_INTEGER) : undefined;
    await vscode.window.showTextDocument(uri, { preview: true, ...(selection ? { selection } : {}) });
  }

  /**
   * Add to Vision Chat: from the Explorer (the clicked and the selected resources), or from the
   * editor and the palette (the selection, else the whole file).
   */
  async addToChat(target?: unknown, selected?: unknown): Promise<void> {
    const fromExplorer = Array.isArray(selected) ? selected.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
    if (fromExplorer.length || (target instanceof vscode.Uri && !isActiveEditor(target))) {
      const uris = fromExplorer.length ? fromExplorer : [target as vscode.Uri];
      const inside = uris.map((u) => workspacePath(u));
      const outside = uris.filter((_, i) => inside[i] === undefined).map((u) => path.posix.basename(u.path));
      if (outside.length) void showWarning(`Only files inside the workspace can be attached; not attached: ${listNames(outside)}.`);
      const paths = inside.filter((p): p is string => p !== undefined);
      if (!paths.length || !(await this.allowed(paths.length === 1 ? `“${paths[0]}”` : `${paths.length} workspace files and folders`))) return;
      await this.view.reveal(false);
      this.deliver(await Promise.all(paths.map((p) => fromPath(p))));
      return;
    }
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void showInfo('Open a file, or select code in it, then use Add to Vision Chat.');
      return;
    }
    const ref: ContextRef = editor.selection.isEmpty ? { kind: 'activeFile' } : { kind: 'selection' };
    if (!(await this.allowed(describeRef(ref)))) return;
    const sourced = await this.source(ref);
    await this.view.reveal(false);
    this.deliver([sourced]);
  }

  /** Held, the chips posted (again) to the prompt box: a prompt given back brings its chips back. */
  restore(attachments: readonly { chip: ContextChip; block: string }[]): void {
    for (const a of attachments) this.store.add(a);
    this.view.post({ type: 'addContext', chips: attachments.map((a) => a.chip) });
  }

  private source(ref: ContextRef): Promise<Sourced> | Sourced {
    switch (ref.kind) {
      case 'file':
        return fromPath(ref.path);
      case 'activeFile':
        return fromActiveFile();
      case 'selection':
        return fromSelection();
      case 'problems':
        return fromProblems();
      case 'terminal':
        return fromTerminal(this.terminals);
      case 'changes':
        return fromChanges();
    }
  }

  /** Chips to the prompt box, images to its image row, and one notice for whatever could not be attached. */
  private deliver(results: readonly Sourced[]): void {
    const chips: ContextChip[] = [];
    const images: RawImage[] = [];
    const problems: string[] = [];
    for (const r of results) {
      if ('attachment' in r) {
        this.store.add(r.attachment);
        chips.push(r.attachment.chip);
      } else if ('image' in r) {
        images.push(r.image);
      } else {
        problems.push(r.problem);
      }
    }
    if (chips.length) this.view.post({ type: 'addContext', chips });
    if (images.length) this.view.post({ type: 'attachImages', images });
    if (problems.length) void showWarning(problems.length === 1 ? problems[0] : `${problems.length} items were not attached: ${problems.join(' ')}`);
  }

  /** In Restricted Mode, asks before workspace content is attached (it leaves with the next prompt). */
  private allowed(what: string): Promise<boolean> {
    if (vscode.workspace.isTrusted) return Promise.resolve(true);
    const model = resolveModel(this.services.catalog(), this.services.settings.modelId).model;
    return allowWorkspaceContent(model, what, SENT_LATER);
  }

  dispose(): void {
    this.files.dispose();
    this.terminals.dispose();
  }
}

function describeRef(ref: ContextRef): string {
  switch (ref.kind) {
    case 'file':
      return `“${ref.path}”`;
    case 'activeFile':
      return 'the file open in the editor';
    case 'selection':
      return 'the selected code';
    case 'problems':
      return 'the problems list';
    case 'terminal':
      return "the terminal's last command and its output";
    case 'changes':
      return 'the git diff of the workspace';
  }
}

function isActiveEditor(uri: vscode.Uri): boolean {
  return vscode.window.activeTextEditor?.document.uri.toString() === uri.toString();
}

/** A dropped `text/uri-list` entry as a workspace path, or undefined when it is not a workspace file. */
function droppedPath(text: string): string | undefined {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(text.trim(), true);
  } catch {
    return undefined;
  }
  // A browser-hosted workbench (code-server) names the same files `vscode-remote://…`.
  if (uri.scheme !== 'file' && uri.scheme !== 'vscode-remote') return undefined;
  return workspacePath(vscode.Uri.file(uri.path));
}

function nameOf(text: string): string {
  try {
    const uri = vscode.Uri.parse(text.trim(), true);
    return path.posix.basename(uri.path) || uri.scheme;
  } catch {
    return 'an unreadable link';
  }
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 5).map((n) => `“${n.slice(0, 80)}”`).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}
