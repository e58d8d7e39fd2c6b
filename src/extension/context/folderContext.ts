// A folder as context: its text files in path order until a total size or file count is reached;
// what was left out (too big, binary, images, past the limit) is counted for the chip's note.
// Plain Node: the caller lists the files (VS Code's search honours the user's excludes).

import { contextBlock } from './attachments';
import { formatSize, MAX_FILE_BYTES, readText, type ResolvedFile } from './workspaceText';

/** A folder adds at most this much text, and this many files. */
export const MAX_FOLDER_BYTES = 512 * 1024;
export const MAX_FOLDER_FILES = 100;

const IMAGE = /\.(?:png|jpe?g|gif|webp|bmp|ico|svgz)$/i;

export interface FolderContext {
  /** The blocks of the files added, one per file. */
  readonly block: string;
  readonly files: number;
  readonly bytes: number;
  /** What was left out, for the chip's note; undefined when nothing was. */
  readonly note?: string;
}

export interface FolderLimits {
  readonly maxBytes?: number;
  readonly maxFiles?: number;
  readonly maxFileBytes?: number;
}

/** Reads `files` (sorted by the caller) into one folder attachment; languageOf names each fence. */
export async function folderContext(files: readonly ResolvedFile[], languageOf: (path: string) => string | undefined, limits: FolderLimits = {}): Promise<FolderContext> {
  const { maxBytes = MAX_FOLDER_BYTES, maxFiles = MAX_FOLDER_FILES, maxFileBytes = MAX_FILE_BYTES } = limits;
  const blocks: string[] = [];
  let bytes = 0;
  let tooBig = 0;
  let binary = 0;
  let images = 0;
  let unreadable = 0;
  let pastLimit = 0;
  for (const file of files) {
    if (IMAGE.test(file.relative)) {
      images++;
      continue;
    }
    if (blocks.length >= maxFiles || bytes >= maxBytes) {
      pastLimit++;
      continue;
    }
    const read = await readText(file.absolute, file.relative, maxFileBytes);
    if ('problem' in read) {
      if (read.kind === 'tooBig') tooBig++;
      else if (read.kind === 'binary') binary++;
      else unreadable++;
      continue;
    }
    if (bytes + read.bytes > maxBytes) {
      pastLimit++;
      continue;
    }
    bytes += read.bytes;
    blocks.push(contextBlock({ kind: 'file', path: file.relative, language: languageOf(file.relative), text: read.text }));
  }
  const left = [
    count(pastLimit, 'file', `past the folder limit (${formatSize(maxBytes)} or ${maxFiles} files)`),
    count(tooBig, 'file', `over ${formatSize(maxFileBytes)}`),
    count(binary, 'binary file', ''),
    count(images, 'image', '(attach images one by one)'),
    count(unreadable, 'unreadable file', ''),
  ].filter(Boolean);
  return { block: blocks.join('\n\n'), files: blocks.length, bytes, ...(left.length ? { note: `Left out: ${left.join(', ')}.` } : {}) };
}

function count(n: number, noun: string, why: string): string {
  if (!n) return '';
  return `${n} ${noun}${n === 1 ? '' : 's'}${why ? ` ${why}` : ''}`;
}
