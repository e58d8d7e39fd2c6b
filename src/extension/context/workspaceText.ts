// Reading a workspace file's text for the chat, in plain Node (`vscode` hands in the folders): the
// path must resolve inside a workspace folder, after following links, and the file must be UTF-8
// text under the size cap. Everything here treats the names and contents it meets as hostile.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isWorkspacePath } from '../../protocol';

/** Larger files are refused: select the part that matters instead. */
export const MAX_FILE_BYTES = 256 * 1024;

/** A workspace folder as seen from here: its name (the first segment of paths in a multi-root workspace) and where it is. */
export interface WorkspaceRoot {
  readonly name: string;
  readonly fsPath: string;
}

export interface ResolvedFile {
  /** The path inside the workspace as the user sees it (what chips and blocks say). */
  readonly relative: string;
  readonly absolute: string;
}

/**
 * Where a workspace-relative path leads, or undefined when it leaves the workspace. In a
 * multi-root workspace, a path may start with its folder's name; otherwise each folder is tried.
 */
export async function resolveInWorkspace(roots: readonly WorkspaceRoot[], relative: string): Promise<ResolvedFile | undefined> {
  if (!isWorkspacePath(relative)) return undefined;
  const [first, ...rest] = relative.split('/');
  const named = roots.length > 1 ? roots.find((r) => r.name === first) : undefined;
  const candidates = named && rest.length ? [{ root: named, inner: rest.join('/') }] : roots.map((root) => ({ root, inner: relative }));
  for (const { root, inner } of candidates) {
    const absolute = path.resolve(root.fsPath, ...inner.split('/'));
    if (!(await isInside(root.fsPath, absolute))) continue;
    if (await exists(absolute)) return { relative: displayName(roots, root, inner), absolute };
  }
  return undefined;
}

/** Whether `absolute` stays inside `root` once every link on the way is followed. */
export async function isInside(root: string, absolute: string): Promise<boolean> {
  if (!within(path.resolve(root), path.resolve(absolute))) return false;
  try {
    return within(await fs.realpath(root), await fs.realpath(absolute));
  } catch {
    return false;
  }
}

function within(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The path relative to the workspace for a file under `root`, with the folder's name in a multi-root workspace. */
export function displayName(roots: readonly WorkspaceRoot[], root: WorkspaceRoot, inner: string): string {
  return roots.length > 1 ? `${root.name}/${inner}` : inner;
}

export type TextRead = { readonly text: string; readonly bytes: number } | { readonly problem: string; readonly kind: 'tooBig' | 'binary' | 'unreadable' };

/** A file's text: at most `maxBytes` read (a file growing meanwhile is still refused), UTF-8 only. */
export async function readText(absolute: string, label: string, maxBytes = MAX_FILE_BYTES): Promise<TextRead> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(absolute, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) return { problem: `“${label}” is not a file.`, kind: 'unreadable' };
    if (stat.size > maxBytes) return { problem: tooBig(label, stat.size, maxBytes), kind: 'tooBig' };
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length <= maxBytes) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return { problem: tooBig(label, length, maxBytes), kind: 'tooBig' };
    const text = decodeText(buffer.subarray(0, length));
    if (text === undefined) return { problem: `“${label}” is not a text file (it is binary or not UTF-8), so it was not attached.`, kind: 'binary' };
    return { text, bytes: length };
  } catch (e) {
    return { problem: `“${label}” could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, kind: 'unreadable' };
  } finally {
    await handle?.close();
  }
}

/** UTF-8 text, or undefined for binary data: a NUL byte, or bytes that are not UTF-8. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

function tooBig(label: string, size: number, maxBytes: number): string {
  return `“${label}” is ${formatSize(size)}; files over ${formatSize(maxBytes)} are not attached. Select the part that matters and add the selection instead.`;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

async function exists(absolute: string): Promise<boolean> {
  try {
    await fs.stat(absolute);
    return true;
  } catch {
    return false;
  }
}
