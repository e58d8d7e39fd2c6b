// A conversation as the chat keeps and persists it: the view's own messages, so what is restored
// after a reload is exactly what was on screen. No `vscode` here (unit-tested in plain Node).

import { randomUUID } from 'node:crypto';
import type { ErrorKind } from '../core/errors';
import { REASONING_LIMIT_CHARS, type ImageData, type ImageMime } from '../core/types';
import { parseLocation, type ContextChip, type ContextKind, type ErrorAction, type MessageStats, type MessageStatus, type RawImage, type ViewError, type ViewImage, type ViewMessage } from '../protocol';
import { isRecord } from '../shared/isRecord';

export interface Conversation {
  readonly id: string;
  title: string;
  readonly createdAt: number;
  updatedAt: number;
  messages: ViewMessage[];
  /**
   * What was sent with a prompt besides its words, by the user message's id: the delimited block of
   * each attachment that fit, by chip id. Kept so Regenerate and Retry send exactly the same, and so
   * Edit Last Prompt can put the chips back; never posted to the view (it shows the chips only).
   */
  context?: Record<string, readonly SentContext[]>;
}

export interface SentContext {
  /** The chip's id in the message's `context`. */
  readonly id: string;
  readonly block: string;
}

export const UNTITLED = 'New chat';
/** One chat's text and images together: past this, a new prompt is refused with a New Chat hint. */
export const MAX_CHAT_BYTES = 50 * 1024 * 1024;
const TITLE_LENGTH = 60;

export function newConversation(now = Date.now()): Conversation {
  return { id: randomUUID(), title: UNTITLED, createdAt: now, updatedAt: now, messages: [] };
}

export function newMessageId(): string {
  return randomUUID();
}

/** About what a chat takes on disk: its text (reasoning included) and its images' bytes (plus a prompt about to be added). */
export function conversationBytes(conversation: Conversation, adding?: { text: string; images: readonly ViewImage[] }): number {
  const messages: readonly Pick<ViewMessage, 'text' | 'images' | 'reasoning'>[] = adding ? [...conversation.messages, adding] : conversation.messages;
  let total = 0;
  for (const sent of Object.values(conversation.context ?? {})) for (const c of sent) total += c.block.length;
  for (const message of messages) {
    total += message.text.length + (message.reasoning?.length ?? 0);
    // From the data itself, not the `bytes` the view reported.
    for (const image of message.images ?? []) total += Math.floor((image.dataUrl.length * 3) / 4);
  }
  return total;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

/** Where the last prompt (user message) is; -1 when there is none. */
export function lastPromptIndex(messages: readonly ViewMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return i;
  return -1;
}

/** The first line of the first prompt, shortened; an image-only prompt is titled by its image. */
export function titleFor(text: string, images: readonly { name: string }[] = []): string {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  const collapsed = line.replace(/\s+/g, ' ');
  if (collapsed) return collapsed.length > TITLE_LENGTH ? collapsed.slice(0, TITLE_LENGTH - 1).trimEnd() + '…' : collapsed;
  if (images.length > 0) return `Image: ${images[0].name}`;
  return UNTITLED;
}

const DATA_URL = /^data:(image\/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]*)$/;

/** Splits a `data:` URL into its MIME type and base64 payload; undefined when it is not an image we take. */
export function parseDataUrl(dataUrl: string): { mime: ImageMime; base64: string } | undefined {
  const match = DATA_URL.exec(dataUrl);
  if (!match) return undefined;
  return { mime: match[1] as ImageMime, base64: match[2].replace(/\s+/g, '') };
}

export function toImageData(image: ViewImage): ImageData | undefined {
  const parsed = parseDataUrl(image.dataUrl);
  if (!parsed) return undefined;
  return { mime: parsed.mime, base64: parsed.base64, name: image.name, width: image.width, height: image.height };
}

export function toRawImage(image: ViewImage): RawImage | undefined {
  const parsed = parseDataUrl(image.dataUrl);
  return parsed ? { name: image.name, mime: parsed.mime, base64: parsed.base64 } : undefined;
}

/**
 * A conversation read back from disk is untrusted: every field is checked, and a bad one is dropped
 * or repaired on its own, never the whole chat (one stray field must not empty it, or make every
 * later prompt there throw). A request that was in flight when the window closed shows as stopped.
 */
export function reviveConversation(value: unknown, fallbackId?: string): Conversation | undefined {
  if (!isRecord(value)) return undefined;
  const id = typeof value.id === 'string' && value.id ? value.id : fallbackId;
  if (!id) return undefined;
  const messages: ViewMessage[] = [];
  const seen = new Set<string>();
  for (const raw of Array.isArray(value.messages) ? (value.messages as unknown[]) : []) {
    const message = reviveMessage(raw);
    if (!message) continue;
    // Updates find messages by id: a repeated one would send them to the wrong message.
    const unique = seen.has(message.id) ? { ...message, id: newMessageId() } : message;
    seen.add(unique.id);
    messages.push(unique);
  }
  const now = Date.now();
  const createdAt = finite(value.createdAt) ?? now;
  const context = reviveSentContext(value.context, messages);
  return {
    id,
    title: typeof value.title === 'string' && value.title.trim() ? value.title : UNTITLED,
    createdAt,
    updatedAt: finite(value.updatedAt) ?? createdAt,
    messages,
    ...(context ? { context } : {}),
  };
}

/** One prompt's attachments together, far above what any model's context holds. */
const MAX_SENT_CONTEXT_CHARS = 8 * 1024 * 1024;

/** Blocks only for user messages that are there and show a chip of that id; each prompt's within the cap. */
function reviveSentContext(raw: unknown, messages: readonly ViewMessage[]): Record<string, SentContext[]> | undefined {
  if (!isRecord(raw)) return undefined;
  const out: Record<string, SentContext[]> = {};
  for (const message of messages) {
    if (message.role !== 'user' || !message.context?.length || !Object.hasOwn(raw, message.id)) continue;
    const entries = raw[message.id];
    if (!Array.isArray(entries)) continue;
    const chipIds = new Set(message.context.map((c) => c.id));
    const sent: SentContext[] = [];
    let chars = 0;
    for (const entry of entries as unknown[]) {
      if (!isRecord(entry) || typeof entry.id !== 'string' || !chipIds.has(entry.id) || typeof entry.block !== 'string') continue;
      if (sent.some((s) => s.id === entry.id) || chars + entry.block.length > MAX_SENT_CONTEXT_CHARS) continue;
      chars += entry.block.length;
      sent.push({ id: entry.id, block: entry.block });
    }
    if (sent.length) out[message.id] = sent;
  }
  return Object.keys(out).length ? out : undefined;
}

const CONTEXT_KINDS: Record<ContextKind, true> = { file: true, folder: true, selection: true, problems: true, terminal: true, changes: true };
const MAX_CHIPS = 64;

function reviveChips(raw: unknown): ContextChip[] {
  if (!Array.isArray(raw)) return [];
  const chips: ContextChip[] = [];
  for (const c of raw.slice(0, MAX_CHIPS) as unknown[]) {
    if (!isRecord(c) || typeof c.id !== 'string' || !c.id || c.id.length > 256 || typeof c.kind !== 'string' || !(c.kind in CONTEXT_KINDS)) continue;
    if (typeof c.label !== 'string' || !c.label.trim() || chips.some((k) => k.id === c.id)) continue;
    const tokens = finite(c.tokens);
    const location = parseLocation(c.location);
    chips.push({
      id: c.id,
      kind: c.kind as ContextKind,
      label: c.label.slice(0, 512),
      tokens: tokens !== undefined && tokens >= 0 ? Math.round(tokens) : 0,
      ...(location ? { location } : {}),
      ...(typeof c.note === 'string' && c.note ? { note: c.note.slice(0, 2000) } : {}),
    });
  }
  return chips;
}


const STATUSES: Record<MessageStatus, true> = { streaming: true, waiting: true, done: true, stopped: true, error: true };
const ERROR_KINDS: Record<ErrorKind, true> = {
  badKey: true,
  forbidden: true,
  unknownModel: true,
  outOfCredits: true,
  validation: true,
  rateLimited: true,
  server: true,
  network: true,
  timeout: true,
  cancelled: true,
  protocol: true,
  unsupported: true,
  noKey: true,
};
const ERROR_ACTIONS: Record<ErrorAction, true> = { setApiKey: true, retry: true, selectModel: true, openBilling: true, openSettings: true, showLog: true };
const STAT_FIELDS: Record<keyof MessageStats, true> = {
  promptTokens: true,
  completionTokens: true,
  totalTokens: true,
  costUsd: true,
  firstTokenMs: true,
  totalMs: true,
  creditsConsumed: true,
  reasoningMs: true,
};

function reviveMessage(raw: unknown): ViewMessage | undefined {
  if (!isRecord(raw) || (raw.role !== 'user' && raw.role !== 'assistant')) return undefined;
  const role = raw.role;
  const images = Array.isArray(raw.images) ? raw.images.map(reviveImage).filter((i): i is ViewImage => i !== undefined) : [];
  const text = typeof raw.text === 'string' ? raw.text : '';
  const context = role === 'user' ? reviveChips(raw.context) : [];
  if (role === 'user' && !text && images.length === 0 && context.length === 0) return undefined;
  let status = typeof raw.status === 'string' && raw.status in STATUSES ? (raw.status as MessageStatus) : undefined;
  const error = reviveError(raw.error);
  if (role === 'assistant' && !status) status = error ? 'error' : raw.status === undefined ? 'done' : 'stopped';
  // Shown as stopped: nothing is coming any more.
  const interrupted = status === 'streaming' || status === 'waiting';
  const stats = reviveStats(raw.stats);
  // Only answers think; a saved file may hold any length: no more than a model could have sent.
  const reasoning = role === 'assistant' && typeof raw.reasoning === 'string' ? raw.reasoning.slice(0, REASONING_LIMIT_CHARS) : '';
  const message: ViewMessage = {
    id: typeof raw.id === 'string' && raw.id ? raw.id : newMessageId(),
    role,
    text,
    ...(reasoning ? { reasoning } : {}),
    ...(images.length ? { images } : {}),
    ...(typeof raw.modelId === 'string' ? { modelId: raw.modelId } : {}),
    ...(typeof raw.modelName === 'string' ? { modelName: raw.modelName } : {}),
    ...(role === 'assistant' && status ? { status: interrupted ? 'stopped' : status } : {}),
    ...(!interrupted && finite(raw.startedAt) !== undefined ? { startedAt: finite(raw.startedAt) } : {}),
    ...(stats ? { stats } : {}),
    ...(status === 'error' ? { error: error ?? { kind: 'protocol', message: 'This answer failed.', actions: ['retry'] } } : {}),
    ...(typeof raw.note === 'string' && raw.note ? { note: raw.note } : {}),
    ...(context.length ? { context } : {}),
  };
  return message;
}

function reviveImage(raw: unknown): ViewImage | undefined {
  if (!isRecord(raw) || typeof raw.dataUrl !== 'string') return undefined;
  const parsed = parseDataUrl(raw.dataUrl);
  if (!parsed) return undefined;
  const bytes = Math.floor((parsed.base64.length * 3) / 4) - (parsed.base64.endsWith('==') ? 2 : parsed.base64.endsWith('=') ? 1 : 0);
  return {
    id: typeof raw.id === 'string' && raw.id ? raw.id : newMessageId(),
    name: typeof raw.name === 'string' && raw.name ? raw.name : 'image',
    mime: parsed.mime,
    dataUrl: raw.dataUrl,
    width: dimension(raw.width),
    height: dimension(raw.height),
    bytes,
  };
}

function reviveError(raw: unknown): ViewError | undefined {
  if (!isRecord(raw)) return undefined;
  const actions = Array.isArray(raw.actions) ? raw.actions.filter((a): a is ErrorAction => typeof a === 'string' && a in ERROR_ACTIONS) : [];
  const kind = typeof raw.kind === 'string' && raw.kind in ERROR_KINDS ? (raw.kind as ErrorKind) : 'protocol';
  return {
    kind,
    message: typeof raw.message === 'string' && raw.message ? raw.message : 'This answer failed.',
    ...(typeof raw.detail === 'string' ? { detail: raw.detail } : {}),
    actions: [...new Set(actions.length ? actions : (['retry'] as ErrorAction[]))],
    ...(typeof raw.billingUrl === 'string' && /^https:\/\//i.test(raw.billingUrl) ? { billingUrl: raw.billingUrl } : {}),
  };
}

function reviveStats(raw: unknown): MessageStats | undefined {
  if (!isRecord(raw)) return undefined;
  const stats = Object.fromEntries(Object.entries(raw).filter(([k, v]) => k in STAT_FIELDS && finite(v) !== undefined));
  return Object.keys(stats).length ? (stats as MessageStats) : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function dimension(value: unknown): number {
  const n = finite(value);
  return n !== undefined && n >= 0 ? Math.round(n) : 0;
}
