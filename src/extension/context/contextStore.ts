// The attachments the view shows as chips above the prompt box, by chip id. The view only ever
// holds ids and labels; the text sent is what the host read and keeps here. No `vscode` here.

import { randomUUID } from 'node:crypto';
import type { Attachment } from './attachments';

/** Chips above one prompt box, far more than fit any model. */
const MAX_ENTRIES = 128;
/** What the held texts may take together; the oldest (most likely already sent) go first. */
const MAX_HELD_CHARS = 16 * 1024 * 1024;

export class ContextStore {
  /** In insertion order: the first entries are the oldest. */
  private readonly entries = new Map<string, Attachment>();

  /** A fresh id for a chip. */
  static newId(): string {
    return `ctx-${randomUUID()}`;
  }

  /** Holds an attachment (again, when a prompt is given back); forgets the oldest past the limits. */
  add(attachment: Attachment): void {
    this.entries.delete(attachment.chip.id);
    this.entries.set(attachment.chip.id, attachment);
    let chars = 0;
    for (const a of this.entries.values()) chars += a.block.length;
    for (const [id, a] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && chars <= MAX_HELD_CHARS) break;
      if (id === attachment.chip.id) break;
      this.entries.delete(id);
      chars -= a.block.length;
    }
  }

  remove(id: string): void {
    this.entries.delete(id);
  }

  /** The attachments for the ids a `send` names, in its order; ids the store does not hold are counted. */
  resolve(ids: readonly string[]): { attachments: Attachment[]; missing: number } {
    const attachments: Attachment[] = [];
    let missing = 0;
    for (const id of new Set(ids)) {
      const found = this.entries.get(id);
      if (found) attachments.push(found);
      else missing++;
    }
    return { attachments, missing };
  }

  get size(): number {
    return this.entries.size;
  }
}
