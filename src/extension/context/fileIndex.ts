// The workspace's file paths for the `#` list: found once through VS Code's search (which skips what
// files.exclude and search.exclude hide), capped, and found again after files are created or deleted.

import * as vscode from 'vscode';

/** A workspace with more files is listed up to here; the rest is reachable through the Explorer's menu. */
export const MAX_INDEXED_FILES = 20_000;

export class FileIndex implements vscode.Disposable {
  private paths: Promise<string[]> | undefined;
  private readonly watcher: vscode.FileSystemWatcher;

  constructor(private readonly relativePath: (uri: vscode.Uri) => string | undefined) {
    // Only creations and deletions change the list; edits do not.
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.watcher.onDidCreate(() => (this.paths = undefined));
    this.watcher.onDidDelete(() => (this.paths = undefined));
    vscode.workspace.onDidChangeWorkspaceFolders(() => (this.paths = undefined));
  }

  /** Workspace-relative paths, at most MAX_INDEXED_FILES. */
  list(): Promise<string[]> {
    this.paths ??= this.find().catch((e: unknown) => {
      this.paths = undefined;
      throw e;
    });
    return this.paths;
  }

  private async find(): Promise<string[]> {
    if (!vscode.workspace.workspaceFolders?.length) return [];
    const uris = await vscode.workspace.findFiles('**/*', excludeGlob(), MAX_INDEXED_FILES);
    return uris.map((u) => this.relativePath(u)).filter((p): p is string => p !== undefined);
  }

  dispose(): void {
    this.watcher.dispose();
  }
}

/**
 * files.exclude and search.exclude as one glob: `findFiles` applies files.exclude by itself only
 * when given no glob, and never search.exclude (which hides node_modules and the like).
 */
export function excludeGlob(): string | undefined {
  const patterns = new Set<string>();
  for (const section of ['files', 'search']) {
    const excluded = vscode.workspace.getConfiguration(section).get<Record<string, unknown>>('exclude') ?? {};
    // A `{ when: … }` value depends on sibling files; it is left to the user's own search.
    for (const [glob, on] of Object.entries(excluded)) if (on === true && !/[{}]/.test(glob)) patterns.add(glob);
  }
  return patterns.size ? `{${[...patterns].join(',')}}` : undefined;
}
