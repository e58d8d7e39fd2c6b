// Turning what the user points at into attachments: workspace files and folders, the active file,
// the selection, problems, the terminal's last command, the git diff. The host reads everything
// itself; paths are resolved inside a workspace folder (links followed) before anything is read.

import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextLocation, RawImage } from '../../protocol';
import { IMAGE_EXTENSIONS, readImageFile } from '../imageFiles';
import { displayPath } from '../workspaceFiles';
import { type Attachment, chipFor, contextBlock } from './attachments';
import { ContextStore } from './contextStore';
import { capDiff } from './diffCap';
import { excludeGlob } from './fileIndex';
import { folderContext, MAX_FOLDER_FILES } from './folderContext';
import { type Problem, problemsText, type Severity } from './problemsText';
import type { TerminalOutput } from './terminalOutput';
import { displayName, isInside, MAX_FILE_BYTES, readText, resolveInWorkspace, type ResolvedFile, type WorkspaceRoot, formatSize } from './workspaceText';

export type Sourced = { readonly attachment: Attachment } | { readonly image: RawImage } | { readonly problem: string };

/** Folders are listed up to this many files before the folder limits pick what is read. */
const MAX_FOLDER_LISTING = 5_000;
const GIT_TIMEOUT_MS = 15_000;
/** Output past this is not a diff anyone reads: the command is stopped and the user told. */
const GIT_MAX_BUFFER = 16 * 1024 * 1024;

/** The workspace folders on disk (a virtual workspace's files are not read). */
export function workspaceRoots(): WorkspaceRoot[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, fsPath: f.uri.fsPath }));
}

/** A file's path as chips and blocks name it, or undefined when it is not inside a workspace folder. */
export function workspacePath(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== 'file') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || folder.uri.scheme !== 'file') return undefined;
  const inner = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
  if (!inner || inner.startsWith('..')) return undefined;
  return displayName(workspaceRoots(), { name: folder.name, fsPath: folder.uri.fsPath }, inner);
}

/** A file or folder named by its workspace path. */
export async function fromPath(relative: string): Promise<Sourced> {
  const roots = workspaceRoots();
  if (!roots.length) return { problem: 'Open a folder first: attachments come from the workspace.' };
  const resolved = await resolveInWorkspace(roots, relative);
  if (!resolved) return { problem: `“${relative}” is not a file in this workspace (files outside it, or reached through a link out of it, are not attached).` };
  const stat = await vscode.workspace.fs.stat(vscode.Uri.file(resolved.absolute));
  if (stat.type & vscode.FileType.Directory) return fromFolder(resolved);
  if (IMAGE_EXTENSIONS.includes(path.extname(resolved.relative).slice(1).toLowerCase())) {
    const read = await readImageFile(vscode.Uri.file(resolved.absolute));
    return 'image' in read ? { image: read.image } : { problem: read.problem };
  }
  const read = await readText(resolved.absolute, resolved.relative);
  if ('problem' in read) return { problem: read.problem };
  const block = contextBlock({ kind: 'file', path: resolved.relative, language: languageOf(resolved.relative), text: read.text });
  return { attachment: { chip: chipFor(ContextStore.newId(), 'file', resolved.relative, block, { location: { path: resolved.relative } }), block } };
}

async function fromFolder(folder: ResolvedFile): Promise<Sourced> {
  const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.file(folder.absolute), '**/*'), excludeGlob(), MAX_FOLDER_LISTING);
  const files: ResolvedFile[] = [];
  for (const uri of uris.sort((a, b) => (a.fsPath < b.fsPath ? -1 : a.fsPath > b.fsPath ? 1 : 0))) {
    const relative = workspacePath(uri);
    // A link inside the folder may lead out of the workspace: such files are skipped.
    if (relative && (await isInside(folder.absolute, uri.fsPath))) files.push({ relative, absolute: uri.fsPath });
  }
  const read = await folderContext(files, languageOf);
  const label = `${folder.relative}/`;
  if (!read.files) return { problem: `“${label}” has no text files to attach${read.note ? ` (${read.note.replace(/^Left out: /, '').replace(/\.$/, '')})` : ''}.` };
  const summary = `${read.files} ${read.files === 1 ? 'file' : 'files'}, ${formatSize(read.bytes)}.`;
  const note = [summary, read.note, uris.length >= MAX_FOLDER_LISTING ? `Only the first ${MAX_FOLDER_LISTING} files were looked at.` : undefined].filter(Boolean).join(' ');
  return { attachment: { chip: chipFor(ContextStore.newId(), 'folder', label, read.block, { location: { path: folder.relative }, note }), block: read.block } };
}

/** The active editor's whole text (unsaved edits included: what the user sees). */
export function fromActiveFile(): Sourced {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return { problem: 'No file is open in the editor. Open one, then attach #file.' };
  const document = editor.document;
  const label = displayPath(document.uri);
  const text = document.getText();
  if (text.length > MAX_FILE_BYTES) {
    return { problem: `“${label}” is over ${formatSize(MAX_FILE_BYTES)}; files that long are not attached. Select the part that matters and attach #selection.` };
  }
  const relative = workspacePath(document.uri);
  const block = contextBlock({ kind: 'file', path: relative ?? label, language: document.languageId, text });
  return { attachment: { chip: chipFor(ContextStore.newId(), 'file', label, block, relative ? { location: { path: relative } } : {}), block } };
}

/** The active editor's selection, with its file and lines. */
export function fromSelection(): Sourced {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return { problem: 'Nothing is selected. Select some code in an editor, then attach #selection.' };
  const { document, selection } = editor;
  const startLine = selection.start.line + 1;
  // A selection ending at column 0 of the next line does not really include that line.
  const endLine = (selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line) + 1;
  const text = document.getText(selection);
  const label = displayPath(document.uri);
  if (text.length > MAX_FILE_BYTES) return { problem: `The selection in “${label}” is over ${formatSize(MAX_FILE_BYTES)}; select less.` };
  const relative = workspacePath(document.uri);
  const block = contextBlock({ kind: 'selection', path: relative ?? label, startLine, endLine, language: document.languageId, text });
  const lines = startLine === endLine ? `${startLine}` : `${startLine}-${endLine}`;
  const location: ContextLocation | undefined = relative ? { path: relative, startLine, endLine } : undefined;
  return { attachment: { chip: chipFor(ContextStore.newId(), 'selection', `${path.posix.basename(label)}:${lines}`, block, location ? { location } : {}), block } };
}

const SEVERITIES: Record<vscode.DiagnosticSeverity, Severity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** The active file's problems, or the workspace's when no file is open. */
export function fromProblems(): Sourced {
  const editor = vscode.window.activeTextEditor;
  const entries: [vscode.Uri, readonly vscode.Diagnostic[]][] = editor
    ? [[editor.document.uri, vscode.languages.getDiagnostics(editor.document.uri)]]
    : vscode.languages.getDiagnostics().filter(([uri]) => workspacePath(uri) !== undefined);
  const problems: Problem[] = entries.flatMap(([uri, diagnostics]) =>
    diagnostics.map((d) => ({
      path: workspacePath(uri) ?? displayPath(uri),
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      severity: SEVERITIES[d.severity],
      message: d.message,
      ...(d.source ? { source: d.source } : {}),
      ...(d.code !== undefined ? { code: String(typeof d.code === 'object' ? d.code.value : d.code) } : {}),
    })),
  );
  const where = editor ? `“${displayPath(editor.document.uri)}”` : 'the workspace';
  if (!problems.length) return { problem: `There are no problems in ${where} right now.` };
  const { text, shown, note } = problemsText(problems);
  const block = contextBlock({ kind: 'problems', text, ...(note ? { note } : {}) });
  const label = editor ? `Problems in ${path.posix.basename(displayPath(editor.document.uri))} (${shown})` : `Problems (${shown})`;
  return { attachment: { chip: chipFor(ContextStore.newId(), 'problems', label, block, note ? { note } : {}), block } };
}

/** The active terminal's last command and its output. */
export function fromTerminal(terminals: TerminalOutput): Sourced {
  const last = terminals.lastCommand();
  if ('problem' in last) return { problem: last.problem };
  const exit = last.exitCode !== undefined ? `\n(exit code ${last.exitCode})` : '';
  const note = last.cut ? 'Only the end of the output was kept.' : undefined;
  const block = contextBlock({ kind: 'terminal', text: `$ ${last.commandLine}\n${last.output.replace(/\s+$/, '')}${exit}`, ...(note ? { note } : {}) });
  const command = last.commandLine.length > 40 ? `${last.commandLine.slice(0, 39)}…` : last.commandLine;
  return { attachment: { chip: chipFor(ContextStore.newId(), 'terminal', `Terminal: ${command || 'last command'}`, block, note ? { note } : {}), block } };
}

/** Why #changes cannot be attached whatever the user answers: git is not run in Restricted Mode. */
export function changesRefused(): string | undefined {
  if (vscode.workspace.isTrusted) return undefined;
  return 'Vision Chat does not run git in Restricted Mode (a repository\'s settings could run programs). Trust the workspace to attach #changes.';
}

/** The working tree's changes against HEAD (staged and not), from git, in every workspace folder. */
export async function fromChanges(): Promise<Sourced> {
  const refused = changesRefused();
  if (refused) return { problem: refused };
  const roots = workspaceRoots();
  if (!roots.length) return { problem: 'Open a folder first: #changes is the git diff of the workspace.' };
  const diffs: string[] = [];
  const problems: string[] = [];
  for (const root of roots) {
    const result = await gitDiff(root.fsPath);
    if ('diff' in result) diffs.push(roots.length > 1 ? prefixPaths(result.diff, root.name) : result.diff);
    else problems.push(roots.length > 1 ? `${root.name}: ${result.problem}` : result.problem);
  }
  const diff = diffs.join('\n');
  if (!diff.trim()) return { problem: problems.length ? problems.join(' ') : 'There are no changes in the working tree.' };
  const capped = capDiff(diff);
  const block = contextBlock({ kind: 'changes', language: 'diff', text: capped.text, ...(capped.note ? { note: capped.note } : {}) });
  const label = `Changes (${capped.files} ${capped.files === 1 ? 'file' : 'files'})`;
  return { attachment: { chip: chipFor(ContextStore.newId(), 'changes', label, block, capped.note ? { note: capped.note } : {}), block } };
}

function gitDiff(cwd: string): Promise<{ diff: string } | { problem: string }> {
  const run = (args: string[]) =>
    new Promise<{ stdout: string; error?: { code?: unknown; killed?: boolean; message: string; stderr: string } }>((resolve) => {
      execFile(gitPath(), args, { cwd, timeout: GIT_TIMEOUT_MS, maxBuffer: GIT_MAX_BUFFER, windowsHide: true }, (error, stdout, stderr) =>
        resolve({ stdout: String(stdout), ...(error ? { error: { code: error.code, killed: error.killed, message: error.message, stderr: String(stderr) } } : {}) }),
      );
    });
  // No external diff tools or text conversions: only git's own diff of the files.
  const base = ['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '--no-textconv'];
  return (async () => {
    let result = await run([...base, 'HEAD']);
    // A repository without a commit yet has no HEAD: its staged files are the change.
    if (result.error && /unknown revision|bad revision|ambiguous argument 'HEAD'/i.test(result.error.stderr)) result = await run([...base, '--cached']);
    if (!result.error) return { diff: result.stdout };
    if (result.error.code === 'ENOENT') return { problem: 'Git was not found. Install git, or set git.path, to attach #changes.' };
    if (result.error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return { problem: `The diff is over ${formatSize(GIT_MAX_BUFFER)}; attach the changed files instead.` };
    if (result.error.killed) return { problem: `git diff took longer than ${GIT_TIMEOUT_MS / 1000} s and was stopped.` };
    if (/not a git repository/i.test(result.error.stderr)) return { problem: 'This folder is not a git repository.' };
    return { problem: `git diff failed: ${(result.error.stderr || result.error.message).trim().split('\n')[0]?.slice(0, 300)}` };
  })();
}

/** The git of the user's own git.path setting (never a workspace's: it could name any program), else the PATH's. */
function gitPath(): string {
  const user = vscode.workspace.getConfiguration('git').inspect<unknown>('path')?.globalValue;
  if (typeof user === 'string' && user) return user;
  if (Array.isArray(user) && typeof user[0] === 'string' && user[0]) return user[0];
  return 'git';
}

function prefixPaths(diff: string, folder: string): string {
  return diff.replace(/^(diff --git a\/)(\S+) b\/(\S+)/gm, `$1${folder}/$2 b/${folder}/$3`).replace(/^(---|\+\+\+) ([ab])\//gm, `$1 $2/${folder}/`);
}

/** The fence's language for a path: its extension, which renderers and models both read. */
export function languageOf(relative: string): string | undefined {
  const ext = path.posix.extname(relative).slice(1).toLowerCase();
  return ext || undefined;
}

export { MAX_FOLDER_FILES };
