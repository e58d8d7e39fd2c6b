// Conversations on disk: one JSON file per conversation (images make them big) plus a small index
// for the history list, in the extension's global storage folder. Writes are debounced while an
// answer streams and serialised so a later save never loses to an earlier one. No `vscode` here.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { type Conversation, reviveConversation } from './conversation';

export interface HistoryEntry {
  readonly id: string;
  readonly title: string;
  readonly updatedAt: number;
  readonly messageCount: number;
}

export interface HistoryLog {
  warn(message: string): void;
}

const INDEX_FILE = 'index.json';
/** Oldest conversations beyond this are deleted, so the folder cannot grow without bound. */
const MAX_CONVERSATIONS = 200;

export class ConversationStore {
  private index: HistoryEntry[] | undefined;
  private readonly dirty = new Map<string, Conversation>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly log: HistoryLog,
    private readonly debounceMs = 750,
  ) {}

  /** Newest first. */
  async list(): Promise<readonly HistoryEntry[]> {
    await this.queue;
    return [...(await this.readIndex())];
  }

  async load(id: string): Promise<Conversation | undefined> {
    const pending = this.dirty.get(id);
    if (pending) return pending;
    await this.queue;
    try {
      const text = await fs.readFile(this.fileFor(id), 'utf8');
      return reviveConversation(JSON.parse(text));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`Could not read conversation ${id}: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Saves later (debounced), or at once with `immediate` (e.g. when an answer has ended). */
  save(conversation: Conversation, immediate = false): Promise<void> {
    this.dirty.set(conversation.id, conversation);
    if (immediate) return this.flush();
    this.timer ??= setTimeout(() => void this.flush(), this.debounceMs);
    return Promise.resolve();
  }

  /** Writes everything pending; resolves when it is on disk. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.dirty.values()];
    this.dirty.clear();
    if (batch.length > 0) this.enqueue(() => this.write(batch));
    return this.queue;
  }

  async delete(id: string): Promise<void> {
    this.dirty.delete(id);
    this.enqueue(async () => {
      const index = await this.readIndex();
      this.index = index.filter((e) => e.id !== id);
      await this.writeIndex();
      await fs.rm(this.fileFor(id), { force: true });
    });
    await this.queue;
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((e: unknown) => {
      this.log.warn(`Could not save the chat history: ${(e as Error).message}`);
    });
  }

  private async write(batch: readonly Conversation[]): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    let index = await this.readIndex();
    for (const conversation of batch) {
      index = index.filter((e) => e.id !== conversation.id);
      // An empty chat is not history: New Chat on an empty chat should not add a line to the list.
      if (conversation.messages.length === 0) {
        await fs.rm(this.fileFor(conversation.id), { force: true });
        continue;
      }
      await writeAtomically(this.fileFor(conversation.id), JSON.stringify(conversation));
      index.push({
        id: conversation.id,
        title: conversation.title,
        updatedAt: conversation.updatedAt,
        messageCount: conversation.messages.length,
      });
    }
    index.sort((a, b) => b.updatedAt - a.updatedAt);
    for (const old of index.splice(MAX_CONVERSATIONS)) await fs.rm(this.fileFor(old.id), { force: true });
    this.index = index;
    await this.writeIndex();
  }

  private async readIndex(): Promise<HistoryEntry[]> {
    if (this.index) return this.index;
    try {
      const parsed: unknown = JSON.parse(await fs.readFile(path.join(this.dir, INDEX_FILE), 'utf8'));
      this.index = Array.isArray(parsed) ? parsed.filter(isEntry) : [];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`The chat history index was unreadable and starts over: ${(e as Error).message}`);
      this.index = [];
    }
    return this.index;
  }

  private async writeIndex(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await writeAtomically(path.join(this.dir, INDEX_FILE), JSON.stringify(this.index ?? []));
  }

  private fileFor(id: string): string {
    // Ids are our own UUIDs, but the index is read from disk: never let one name a path outside.
    return path.join(this.dir, `${id.replace(/[^A-Za-z0-9-]/g, '_')}.json`);
  }
}

function isEntry(value: unknown): value is HistoryEntry {
  const e = value as HistoryEntry;
  return typeof e === 'object' && e !== null && typeof e.id === 'string' && typeof e.title === 'string' && typeof e.updatedAt === 'number';
}

/** A crash mid-write leaves the old file, never half a file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, text, 'utf8');
  await fs.rename(temporary, file);
}
