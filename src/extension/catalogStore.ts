// The live catalogs' store: small JSON files in the extension's global storage, so a listing read
// in one window serves the next session without a request.

import * as vscode from 'vscode';
import type { CatalogStore } from '../core/liveCatalogs';

export class GlobalStorageCatalogStore implements CatalogStore {
  constructor(private readonly folder: vscode.Uri) {}

  async read(name: string): Promise<string | undefined> {
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.folder, name)));
    } catch {
      return undefined;
    }
  }

  async write(name: string, text: string): Promise<void> {
    await vscode.workspace.fs.createDirectory(this.folder);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.folder, name), new TextEncoder().encode(text));
  }
}
