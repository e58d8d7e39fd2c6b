// Reading an image file for the chat: through `vscode.workspace.fs` (works for remote and virtual
// workspaces), with a size limit and the type taken from the bytes, not the file name.

import * as vscode from 'vscode';
import { sniffMime } from '../core/images';
// Larger files are refused before they are read into memory and posted to the webview.
import { MAX_IMAGE_BYTES } from '../imageHeader';
import type { RawImage } from '../protocol';

export const IMAGE_GLOB = '**/*.{png,jpg,jpeg,gif,webp,PNG,JPG,JPEG,GIF,WEBP}';
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'gif', 'webp'];

export type ImageReadResult = { image: RawImage } | { problem: string };

export async function readImageFile(uri: vscode.Uri): Promise<ImageReadResult> {
  const name = uri.path.split('/').pop() || 'image';
  let size: number;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return { problem: `“${name}” is a folder, not an image.` };
    size = stat.size;
  } catch {
    return { problem: `“${name}” could not be found or read.` };
  }
  if (size > MAX_IMAGE_BYTES) {
    return { problem: `“${name}” is ${(size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_IMAGE_BYTES / 1024 / 1024} MB. Save a smaller copy and try again.` };
  }
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    return { problem: `“${name}” could not be read: ${(e as Error).message}` };
  }
  const mime = sniffMime(bytes);
  if (!mime) return { problem: `“${name}” is not a PNG, JPEG, GIF or WebP image (judging by its contents).` };
  return { image: { name, mime, base64: Buffer.from(bytes).toString('base64') } };
}
