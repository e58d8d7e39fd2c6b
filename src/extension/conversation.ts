// A conversation as the chat keeps and persists it: the view's own messages, so what is restored
// after a reload is exactly what was on screen. No `vscode` here (unit-tested in plain Node).

import { randomUUID } from 'node:crypto';
import type { ImageData, ImageMime } from '../core/types';
import type { RawImage, ViewImage, ViewMessage } from '../protocol';

export interface Conversation {
  readonly id: string;
  title: string;
  readonly createdAt: number;
  updatedAt: number;
  messages: ViewMessage[];
}

export const UNTITLED = 'New chat';
const TITLE_LENGTH = 60;

export function newConversation(now = Date.now()): Conversation {
  return { id: randomUUID(), title: UNTITLED, createdAt: now, updatedAt: now, messages: [] };
}

export function newMessageId(): string {
  return randomUUID();
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
 * A conversation read back from disk is untrusted: keep only well-formed messages, and a request
 * that was in flight when the window closed is shown as stopped, not as forever streaming.
 */
export function reviveConversation(value: unknown): Conversation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as Partial<Conversation>;
  if (typeof raw.id !== 'string' || !Array.isArray(raw.messages)) return undefined;
  const messages: ViewMessage[] = [];
  for (const m of raw.messages as unknown[]) {
    if (typeof m !== 'object' || m === null) continue;
    const message = m as ViewMessage;
    if (typeof message.id !== 'string' || typeof message.text !== 'string') continue;
    if (message.role !== 'user' && message.role !== 'assistant') continue;
    const interrupted = message.status === 'streaming' || message.status === 'waiting';
    messages.push(interrupted ? { ...message, status: 'stopped', startedAt: undefined } : message);
  }
  const now = Date.now();
  return {
    id: raw.id,
    title: typeof raw.title === 'string' && raw.title ? raw.title : UNTITLED,
    createdAt: typeof raw.createdAt === 'number' ? raw.createdAt : now,
    updatedAt: typeof raw.updatedAt === 'number' ? raw.updatedAt : now,
    messages,
  };
}
