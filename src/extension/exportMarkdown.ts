// Export Chat as Markdown: the conversation as a document, images written as files beside it and
// referenced by name (never inlined), model names and answer stats kept. No `vscode` here.

import { isProviderId, providerName } from '../core/providerTable';
import type { ContextChip, MessageStats, ViewMessage } from '../protocol';
import type { Conversation } from './conversation';
import { parseDataUrl } from './conversation';
import { formatUsd } from './creditsLedger';
import { fenced } from './explain';

export interface ExportedImage {
  readonly fileName: string;
  readonly bytes: Buffer;
}

export interface ExportedChat {
  readonly markdown: string;
  readonly images: readonly ExportedImage[];
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };

export interface ExportOptions {
  readonly exportedAt?: Date;
  /** Whether a file of this name is already beside the document: its image gets the next free number. */
  readonly isTaken?: (fileName: string) => boolean;
}

/** `baseName` prefixes the image files (the Markdown file's name without extension). */
export function renderChatMarkdown(conversation: Conversation, baseName: string, options: ExportOptions = {}): ExportedChat {
  const { exportedAt = new Date(), isTaken = () => false } = options;
  const images: ExportedImage[] = [];
  const prefix = safeFileName(baseName) || 'chat';
  const out: string[] = [`# ${escapeInline(conversation.title)}`, '', `_Exported from Open Vision Chat on ${exportedAt.toISOString().slice(0, 10)}._`];

  for (const message of conversation.messages) {
    out.push('', `## ${message.role === 'user' ? 'You' : speaker(message)}`, '');
    if (message.note) out.push(`> ${escapeInline(message.note)}`, '');
    if (message.reasoning?.trim()) out.push(thinkingBlock(message.reasoning, message.stats?.reasoningMs), '');
    if (message.text) out.push(message.text.replace(/\s+$/, ''), '');
    if (message.context?.length) out.push(`Attached: ${message.context.map(attachmentLine).join(', ')}`, '');
    for (const image of message.images ?? []) {
      const parsed = parseDataUrl(image.dataUrl);
      if (!parsed) continue;
      const fileName = freeName((n) => `${prefix}-image-${n}.${EXTENSIONS[parsed.mime]}`, images.length + 1, (name) => isTaken(name) || images.some((i) => i.fileName === name));
      images.push({ fileName, bytes: Buffer.from(parsed.base64, 'base64') });
      out.push(`![${escapeInline(image.name)}](${encodeURI(fileName)})`, '');
    }
    if (message.status === 'stopped') out.push('_(stopped before the end)_', '');
    if (message.status === 'error' && message.error) {
      out.push(`> **Error:** ${escapeInline(message.error.message)}`, '');
      if (message.error.detail) out.push(fenced(message.error.detail, 'text'), '');
    }
    const stats = message.stats ? statsLine(message.stats) : '';
    if (stats) out.push(`<sub>${stats}</sub>`, '');
  }
  return { markdown: out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n', images };
}

/** A chip as the export names it: its label (a path stays a path, its lines shown), and a note it had. */
function attachmentLine(chip: ContextChip): string {
  const where = chip.location?.startLine !== undefined ? ` (lines ${chip.location.startLine}–${chip.location.endLine ?? chip.location.startLine})` : '';
  const note = chip.note ? ` — ${escapeInline(chip.note)}` : '';
  return `\`${chip.label.replace(/`/g, "'").replace(/[\r\n]+/g, ' ')}\`${where}${note}`;
}

/**
 * An answer's reasoning, collapsed as in the chat: `<details>` (GitHub, VS Code's preview and most
 * renderers fold it), the text quoted inside so an unclosed code fence in it ends with the quote
 * instead of swallowing the rest of the document, and a `</details>` in it made harmless.
 */
function thinkingBlock(reasoning: string, reasoningMs: number | undefined): string {
  const summary = reasoningMs !== undefined ? `Thinking (${formatMs(reasoningMs)})` : 'Thinking';
  const quoted = reasoning
    .trim()
    .replace(/<(\/?details)/gi, '&lt;$1')
    .split(/\r?\n/)
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');
  return `<details>\n<summary>${summary}</summary>\n\n${quoted}\n\n</details>`;
}

function speaker(message: ViewMessage): string {
  // A saved chat is outside input: its model id may name no provider we know.
  const provider = message.modelId?.split(':')[0];
  const named = isProviderId(provider) ? providerName(provider) : undefined;
  const name = escapeInline(message.modelName ?? message.modelId ?? 'Assistant');
  return named ? `${name} (${named})` : name;
}

export function statsLine(stats: MessageStats): string {
  const parts: string[] = [];
  if (stats.promptTokens !== undefined || stats.completionTokens !== undefined) {
    parts.push(`${stats.promptTokens ?? '?'} → ${stats.completionTokens ?? '?'} tokens`);
  } else if (stats.totalTokens !== undefined) {
    parts.push(`${stats.totalTokens} tokens`);
  }
  if (stats.costUsd !== undefined) parts.push(formatUsd(stats.costUsd));
  if (stats.creditsConsumed !== undefined) parts.push(`${stats.creditsConsumed} credits`);
  if (stats.firstTokenMs !== undefined) parts.push(`first token ${formatMs(stats.firstTokenMs)}`);
  if (stats.totalMs !== undefined) parts.push(`total ${formatMs(stats.totalMs)}`);
  return parts.join(' · ');
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A file-name stem from a title: letters, digits, dashes; never a path. */
export function safeFileName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .slice(0, 60)
    .replace(/-+$/, '')
    .toLowerCase();
}

/** The first name `nameFor(n)` from `n` on that no file beside the document has. */
function freeName(nameFor: (n: number) => string, from: number, isTaken: (fileName: string) => boolean): string {
  let n = from;
  while (isTaken(nameFor(n))) n++;
  return nameFor(n);
}

/**
 * Outside text (a title, a model name, a note, an error message, an image's name) as one line of
 * plain text: line breaks would start a heading or a list, and brackets, emphasis marks, backticks,
 * angle brackets and entities would make links, HTML or formatting. Parentheses too: some renderers
 * (marked) read an image's alt text again after unescaping its brackets.
 */
function escapeInline(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029\v\f]+/g, ' ')
    .replace(/[\\`*_[\]()<>#|~&!]/g, '\\$&');
}

