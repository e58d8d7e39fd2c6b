// What an attachment becomes in the request: one delimited block per attachment, before the
// question, and the choice of which blocks fit the model. No `vscode` here.
//
// The block: `<context kind="file" path="src/a.ts" lines="1-40">`, the text in a fence long enough
// that nothing inside closes it, `</context>`. Models read both the tag and the fence well, the path
// is named where an answer can repeat it (Apply to File finds it there), and a test can find each file.

import type { ContextChip, ContextKind } from '../../protocol';
import { fenced } from '../explain';
import { estimateTextTokens, formatCount } from '../tokens';

/** One attachment as the host holds it: the chip the view shows and the block the model gets. */
export interface Attachment {
  readonly chip: ContextChip;
  readonly block: string;
}

export interface BlockSource {
  readonly kind: ContextKind;
  /** Workspace-relative path, for files, folders' files and selections. */
  readonly path?: string;
  readonly startLine?: number;
  readonly endLine?: number;
  /** The fence's language (a VS Code language id or a file extension). */
  readonly language?: string;
  readonly text: string;
  /** A line inside the block, after the text, saying what was left out of it. */
  readonly note?: string;
}

/** The block the model gets for one piece of context. */
export function contextBlock(source: BlockSource): string {
  const attributes = [`kind="${source.kind}"`];
  if (source.path) attributes.push(`path="${escapeAttribute(source.path)}"`);
  if (source.startLine !== undefined) attributes.push(`lines="${source.startLine}-${source.endLine ?? source.startLine}"`);
  const parts = [`<context ${attributes.join(' ')}>`, fenced(source.text, fenceLanguage(source.language))];
  if (source.note) parts.push(`(${source.note})`);
  parts.push('</context>');
  return parts.join('\n');
}

/** The text of a user message as the model gets it: the blocks, then the question. */
export function withContext(question: string, blocks: readonly string[]): string {
  return blocks.length ? [...blocks, question].join('\n\n') : question;
}

/** What a block adds to the message: its text and the blank line that separates it. */
export function blockTokens(block: string): number {
  return estimateTextTokens(block) + 1;
}

export interface Fitted {
  /** The attachments that are sent, in the order they were attached. */
  readonly kept: readonly Attachment[];
  /** Every chip, those left out with a note saying so: what the sent message shows. */
  readonly chips: readonly ContextChip[];
  /** Names what was left out and why, for the message's note; undefined when all fit. */
  readonly note?: string;
}

/**
 * Keeps the attachments that fit in `budget` tokens, in the order they were attached; one that does
 * not fit is left out whole (a cut file would mislead the model) and named, and smaller ones after
 * it may still go in.
 */
export function fitAttachments(attachments: readonly Attachment[], budget: number, model: { readonly displayName: string; readonly contextLength: number }): Fitted {
  const kept: Attachment[] = [];
  const chips: ContextChip[] = [];
  const leftOut: ContextChip[] = [];
  let used = 0;
  for (const attachment of attachments) {
    const cost = blockTokens(attachment.block);
    if (used + cost <= budget) {
      used += cost;
      kept.push(attachment);
      chips.push(attachment.chip);
    } else {
      leftOut.push(attachment.chip);
      chips.push({ ...attachment.chip, note: joinNote(attachment.chip.note, `Not sent: did not fit ${model.displayName}'s context.`) });
    }
  }
  if (!leftOut.length) return { kept, chips };
  const names = leftOut.map((c) => `${c.label} (${formatCount(c.tokens)} tokens)`).join(', ');
  const verb = leftOut.length === 1 ? 'it did' : 'they did';
  const note = `Left out: ${names}; ${verb} not fit ${model.displayName}'s ${formatCount(model.contextLength)}-token context with the question and the room kept for the answer.`;
  return { kept, chips, note };
}

/** The chip of an attachment whose block is known: its size is what the block costs. */
export function chipFor(id: string, kind: ContextKind, label: string, block: string, extra: Pick<ContextChip, 'location' | 'note'> = {}): ContextChip {
  return { id, kind, label, tokens: blockTokens(block), ...(extra.location ? { location: extra.location } : {}), ...(extra.note ? { note: extra.note } : {}) };
}

function joinNote(a: string | undefined, b: string): string {
  return a ? `${a} ${b}` : b;
}

/** A fence's info word must be one word a renderer takes as a language. */
function fenceLanguage(language: string | undefined): string {
  return language && /^[\w+#.-]{1,32}$/.test(language) && language !== 'plaintext' ? language : '';
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\r\n]/g, ' ');
}
