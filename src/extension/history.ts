// Conversations on disk, in the extension's global storage folder, which every window shares:
//   <id>.json               one chat's text (format 2): its messages, with images by reference only
//   <id>.deleted            a deleted chat's tombstone: no window still holding the chat writes it back
//   images/<sha256>.<ext>   each image once, named by its content, written once and never rewritten
// There is no index file: the history list is derived from the chat files themselves (cached per
// file by size and time), so no window can overwrite another's list, and a chat on disk is always
// listed. Writes are debounced while an answer streams and serialised so a later save never loses
// to an earlier one. No `vscode` here.

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ImageMime } from '../core/types';
import type { ViewImage } from '../protocol';
import { type Conversation, parseDataUrl, reviveConversation } from './conversation';

export interface HistoryEntry {
  readonly id: string;
  readonly title: string;
  readonly updatedAt: number;
  readonly messageCount: number;
}

export interface HistoryLog {
  warn(message: string): void;
}

export interface StoreOptions {
  /** How long saves wait while an answer streams. */
  readonly debounceMs?: number;
  /** Chat text and images together; the oldest chats go first when a save passes it. */
  readonly maxTotalBytes?: number;
  readonly maxConversations?: number;
  /** Told, in words for the user, when chats were removed to stay under `maxTotalBytes`. */
  readonly onPruned?: (message: string) => void;
}

const MB = 1024 * 1024;
/** All chats together, images included. */
export const MAX_HISTORY_BYTES = 500 * MB;
/** Oldest conversations beyond this are deleted, so the folder cannot grow without bound. */
const MAX_CONVERSATIONS = 200;
const FORMAT = 2;
const IMAGES = 'images';
/** Files older versions kept; nothing reads them any more. */
const LEGACY_INDEX = 'index.json';
/** A temporary file this old is a crash's leftover, not another window's write in progress. */
const STALE_TEMP_MS = 10 * 60_000;
/** An unreferenced image this old is not one another window has just written for a chat it is about to save. */
const STALE_IMAGE_MS = 10 * 60_000;
const TOMBSTONE_MS = 30 * 24 * 3_600_000;
const EXTENSIONS: Record<ImageMime, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };
const IMAGE_FILE = /^[0-9a-f]{64}\.(?:png|jpg|gif|webp)$/;
/** The placeholder an image reference stands in for while only the list is needed. */
const NO_PIXELS = 'data:image/png;base64,';

/** An image as a chat file refers to it. */
interface StoredImage extends Omit<ViewImage, 'dataUrl'> {
  readonly file: string;
}

interface ScannedChat extends HistoryEntry {
  readonly file: string;
  /** The chat file's own size (legacy files hold their images inline). */
  readonly bytes: number;
  readonly images: readonly string[];
  readonly inline: boolean;
}

interface Scan {
  readonly chats: ScannedChat[];
  readonly images: Map<string, { size: number; mtimeMs: number }>;
}

export class ConversationStore {
  private readonly dirty = new Map<string, Conversation>();
  /** Deleted in this window: any later save of them is dropped. */
  private readonly deleted = new Set<string>();
  /** Chat files read before, by name, while their size and time are unchanged. */
  private readonly scanned = new Map<string, { size: number; mtimeMs: number; chat: ScannedChat | undefined }>();
  /** Image files known to exist, by the image objects that hold them (hashing is not free). */
  private readonly imageFiles = new WeakMap<ViewImage, string>();
  /** Images whose chats this window removed, with when; removable unless written again since. */
  private readonly released = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly debounceMs: number;
  private readonly maxTotalBytes: number;
  private readonly maxConversations: number;

  constructor(
    private readonly dir: string,
    private readonly log: HistoryLog,
    private readonly options: StoreOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 750;
    this.maxTotalBytes = options.maxTotalBytes ?? MAX_HISTORY_BYTES;
    this.maxConversations = options.maxConversations ?? MAX_CONVERSATIONS;
  }

  /** Newest first, as every window's saves have left the folder. */
  async list(): Promise<readonly HistoryEntry[]> {
    await this.queue;
    const { chats } = await this.scan();
    const inline = chats.filter((c) => c.inline && !this.dirty.has(c.id));
    if (inline.length > 0) await this.migrate(inline);
    return chats.map(({ id, title, updatedAt, messageCount }) => ({ id, title, updatedAt, messageCount }));
  }

  async load(id: string): Promise<Conversation | undefined> {
    const pending = this.dirty.get(id);
    if (pending) return pending;
    if (this.deleted.has(id)) return undefined;
    await this.queue;
    try {
      if (await exists(this.tombstoneFor(id))) return undefined;
      const parsed: unknown = JSON.parse(await fs.readFile(this.fileFor(id), 'utf8'));
      return reviveConversation(await this.withImages(parsed, id), id);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`Could not read conversation ${id}: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Saves later (debounced), or at once with `immediate` (e.g. when an answer has ended). */
  save(conversation: Conversation, immediate = false): Promise<void> {
    if (this.deleted.has(conversation.id)) return immediate ? this.queue : Promise.resolve();
    this.dirty.set(conversation.id, conversation);
    if (immediate) return this.flush(true);
    this.timer ??= setTimeout(() => void this.flush(), this.debounceMs);
    return Promise.resolve();
  }

  /** Writes everything pending; resolves when it is on disk. `enforceLimits` also prunes to the limits. */
  flush(enforceLimits = false): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.dirty.values()];
    this.dirty.clear();
    if (batch.length > 0) this.enqueue(() => this.write(batch, enforceLimits));
    return this.queue;
  }

  /** Deleted means deleted: in this window, in others that still hold it, and its images once unused. */
  async delete(id: string): Promise<void> {
    this.deleted.add(id);
    this.dirty.delete(id);
    this.enqueue(async () => {
      await fs.mkdir(this.dir, { recursive: true });
      await fs.writeFile(this.tombstoneFor(id), '');
      await this.remove(await this.scannedChat(id), id);
      await this.prune(new Set());
    });
    await this.queue;
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((e: unknown) => {
      this.log.warn(`Could not save the chat history: ${(e as Error).message}`);
    });
  }

  private async write(batch: readonly Conversation[], enforceLimits: boolean): Promise<void> {
    await fs.mkdir(path.join(this.dir, IMAGES), { recursive: true });
    const written = new Set<string>();
    for (const conversation of batch) {
      if (this.deleted.has(conversation.id)) continue;
      if (await exists(this.tombstoneFor(conversation.id))) {
        // Deleted in another window: this one must not bring it back.
        this.deleted.add(conversation.id);
        continue;
      }
      // An empty chat is not history: New Chat on an empty chat should not add a line to the list.
      if (conversation.messages.length === 0) {
        await fs.rm(this.fileFor(conversation.id), { force: true });
        continue;
      }
      await writeAtomically(this.fileFor(conversation.id), JSON.stringify(await this.withoutImages(conversation)));
      written.add(conversation.id);
    }
    if (enforceLimits) await this.prune(written);
  }

  /** The chat as stored: every image replaced by a reference to its file, written first if new. */
  private async withoutImages(conversation: Conversation): Promise<object> {
    const messages = [];
    for (const message of conversation.messages) {
      if (!message.images?.length) {
        messages.push(message);
        continue;
      }
      const images: StoredImage[] = [];
      for (const image of message.images) {
        const file = await this.storeImage(image);
        if (!file) continue;
        const { dataUrl: _pixels, ...rest } = image;
        images.push({ ...rest, file });
      }
      messages.push({ ...message, images });
    }
    const { id, title, createdAt, updatedAt, context } = conversation;
    return { format: FORMAT, id, title, createdAt, updatedAt, messages, ...(context ? { context } : {}) };
  }

  private async storeImage(image: ViewImage): Promise<string | undefined> {
    const known = this.imageFiles.get(image);
    if (known) return known;
    const parsed = parseDataUrl(image.dataUrl);
    if (!parsed) return undefined;
    const bytes = Buffer.from(parsed.base64, 'base64');
    const file = `${createHash('sha256').update(bytes).digest('hex')}.${EXTENSIONS[parsed.mime]}`;
    const target = path.join(this.dir, IMAGES, file);
    try {
      await fs.writeFile(target, bytes, { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // Already there (another chat, or another window): mark it in use so no pruning takes it now.
      const now = new Date();
      await fs.utimes(target, now, now);
    }
    this.imageFiles.set(image, file);
    return file;
  }

  /** A parsed chat file with its image references turned back into images; a missing one is dropped. */
  private async withImages(parsed: unknown, id: string): Promise<unknown> {
    return mapImages(parsed, async (ref) => {
      try {
        const bytes = await fs.readFile(path.join(this.dir, IMAGES, ref.file));
        const mime = (Object.entries(EXTENSIONS).find(([, ext]) => ref.file.endsWith(`.${ext}`))?.[0] ?? 'image/png') as ImageMime;
        const { file: _file, ...rest } = ref;
        const image: ViewImage = { ...rest, mime, dataUrl: `data:${mime};base64,${bytes.toString('base64')}`, bytes: bytes.length };
        return image;
      } catch (e) {
        this.log.warn(`An image of conversation ${id} could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the chat opens without it.`);
        return undefined;
      }
    });
  }

  /** Rewrites chats that still hold their images inline (saved before format 2) in the new layout. */
  private async migrate(chats: readonly ScannedChat[]): Promise<void> {
    for (const chat of chats) {
      const conversation = await this.load(chat.id);
      if (conversation) this.dirty.set(conversation.id, conversation);
    }
    this.timer ??= setTimeout(() => void this.flush(), this.debounceMs);
  }

  // ---- the folder as it is now ----

  private async scan(): Promise<Scan> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`Could not read the chat history folder: ${(e as Error).message}`);
      return { chats: [], images: new Map() };
    }
    const now = Date.now();
    const tombstones = new Set(names.filter((n) => n.endsWith('.deleted')).map((n) => n.slice(0, -'.deleted'.length)));
    const chats: ScannedChat[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (name === LEGACY_INDEX) {
        await fs.rm(file, { force: true });
      } else if (name.endsWith('.tmp')) {
        await removeIfOlder(file, now - STALE_TEMP_MS);
      } else if (name.endsWith('.deleted')) {
        await removeIfOlder(file, now - TOMBSTONE_MS);
      } else if (name.endsWith('.json')) {
        if (tombstones.has(name.slice(0, -'.json'.length))) {
          await fs.rm(file, { force: true });
          continue;
        }
        const chat = await this.scanChat(name);
        if (chat && !this.deleted.has(chat.id)) chats.push(chat);
      }
    }
    chats.sort((a, b) => b.updatedAt - a.updatedAt);
    const images = new Map<string, { size: number; mtimeMs: number }>();
    for (const name of await fs.readdir(path.join(this.dir, IMAGES)).catch(() => [] as string[])) {
      const stat = await fs.stat(path.join(this.dir, IMAGES, name)).catch(() => undefined);
      if (stat?.isFile()) images.set(name, { size: stat.size, mtimeMs: stat.mtimeMs });
    }
    return { chats, images };
  }

  private async scanChat(name: string): Promise<ScannedChat | undefined> {
    const file = path.join(this.dir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile()) return undefined;
    const cached = this.scanned.get(name);
    if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.chat;
    let chat: ScannedChat | undefined;
    try {
      const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
      const images: string[] = [];
      let inline = false;
      const listed = await mapImages(parsed, (ref) => {
        images.push(ref.file);
        return Promise.resolve({ ...ref, dataUrl: NO_PIXELS });
      }, () => (inline = true));
      const conversation = reviveConversation(listed, name.slice(0, -'.json'.length));
      if (conversation && conversation.messages.length > 0) {
        const { id, title, updatedAt, messages } = conversation;
        chat = { id, title, updatedAt, messageCount: messages.length, file: name, bytes: stat.size, images, inline };
      }
    } catch (e) {
      this.log.warn(`A saved chat (${name}) could not be read and is not listed: ${(e as Error).message}`);
    }
    this.scanned.set(name, { size: stat.size, mtimeMs: stat.mtimeMs, chat });
    return chat;
  }

  private async scannedChat(id: string): Promise<ScannedChat | undefined> {
    return this.scanChat(path.basename(this.fileFor(id)));
  }

  /**
   * Keeps the folder within the limits: the newest chats (those just saved first) while they fit in
   * count and bytes, then images no chat refers to any more.
   */
  private async prune(keep: ReadonlySet<string>): Promise<void> {
    const { chats, images } = await this.scan();
    const ordered = [...chats.filter((c) => keep.has(c.id)), ...chats.filter((c) => !keep.has(c.id))];
    const counted = new Set<string>();
    const referenced = new Set<string>();
    let total = 0;
    let kept = 0;
    const overBytes: ScannedChat[] = [];
    for (const chat of ordered) {
      const newImages = chat.images.filter((f) => !counted.has(f));
      const cost = chat.bytes + newImages.reduce((sum, f) => sum + (images.get(f)?.size ?? 0), 0);
      const fitsCount = kept < this.maxConversations;
      const fitsBytes = total + cost <= this.maxTotalBytes;
      if (keep.has(chat.id) || (fitsCount && fitsBytes)) {
        kept++;
        total += cost;
        for (const f of chat.images) {
          counted.add(f);
          referenced.add(f);
        }
        continue;
      }
      if (!fitsBytes && fitsCount) overBytes.push(chat);
      await this.remove(chat, chat.id);
    }
    const now = Date.now();
    for (const [name, { mtimeMs }] of images) {
      if (referenced.has(name) || !IMAGE_FILE.test(name)) continue;
      const releasedAt = this.released.get(name);
      if (mtimeMs < now - STALE_IMAGE_MS || (releasedAt !== undefined && mtimeMs <= releasedAt)) {
        await fs.rm(path.join(this.dir, IMAGES, name), { force: true });
        this.released.delete(name);
      }
    }
    if (overBytes.length > 0) {
      const limit = `${Math.round(this.maxTotalBytes / MB)} MB`;
      // No titles here: they are prompt text, and notifications render links.
      const what = overBytes.length === 1 ? 'the oldest chat was removed' : `the ${overBytes.length} oldest chats were removed`;
      this.log.warn(`History over ${limit}: removed ${overBytes.map((c) => c.id).join(', ')}`);
      this.options.onPruned?.(`Vision Chat's history reached its ${limit} limit, so ${what}. Export chats you want to keep (Vision Chat: Export Chat).`);
    }
  }

  private async remove(chat: ScannedChat | undefined, id: string): Promise<void> {
    await fs.rm(this.fileFor(id), { force: true });
    const now = Date.now();
    for (const f of chat?.images ?? []) this.released.set(f, now);
  }

  private fileFor(id: string): string {
    // Ids are our own UUIDs, but chat files are read from disk: never let one name a path outside.
    return path.join(this.dir, `${safeId(id)}.json`);
  }

  private tombstoneFor(id: string): string {
    return path.join(this.dir, `${safeId(id)}.deleted`);
  }
}

function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9-]/g, '_');
}

/**
 * The parsed chat with each image reference (`file`) replaced by what `replace` makes of it;
 * `onInline` hears of images stored inline (older files). Anything malformed is left for
 * `reviveConversation` to judge.
 */
async function mapImages(
  parsed: unknown,
  replace: (ref: StoredImage) => Promise<ViewImage | undefined>,
  onInline: () => void = () => undefined,
): Promise<unknown> {
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { messages?: unknown }).messages)) return parsed;
  const messages = [];
  for (const message of (parsed as { messages: unknown[] }).messages) {
    const images = (message as { images?: unknown } | null)?.images;
    if (!Array.isArray(images)) {
      messages.push(message);
      continue;
    }
    const out: unknown[] = [];
    for (const image of images as unknown[]) {
      const file = (image as { file?: unknown } | null)?.file;
      if (typeof file === 'string') {
        if (!IMAGE_FILE.test(file)) continue;
        const replaced = await replace(image as StoredImage);
        if (replaced) out.push(replaced);
      } else {
        if (typeof (image as { dataUrl?: unknown } | null)?.dataUrl === 'string') onInline();
        out.push(image);
      }
    }
    messages.push({ ...(message as object), images: out });
  }
  return { ...(parsed as object), messages };
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

async function removeIfOlder(file: string, before: number): Promise<void> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (stat && stat.mtimeMs < before) await fs.rm(file, { force: true });
}

/** A crash mid-write leaves the old file, never half a file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  await fs.writeFile(temporary, text, 'utf8');
  await fs.rename(temporary, file);
}
