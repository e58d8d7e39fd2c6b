// The webview is semi-trusted: it renders model output, which is hostile input. Every message it
// posts is checked field by field before the host acts on it; anything malformed is dropped.

import type { ErrorAction } from '../core/errors';
import type { ImageMime } from '../core/types';
import type { CodeAction, ViewImage, WebviewMessage } from '../protocol';

/** Far above any prompt a person types, far below what would hurt the extension host. */
const MAX_TEXT = 1_000_000;
/** Prepared images are downscaled; a data URL beyond this is not one we made. */
const MAX_DATA_URL = 30 * 1024 * 1024;
const MAX_IMAGES = 8;

const IMAGE_MIMES: readonly ImageMime[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const ERROR_ACTIONS: readonly ErrorAction[] = ['setApiKey', 'retry', 'selectModel', 'openBilling', 'openSettings', 'showLog'];
const CODE_ACTIONS: readonly CodeAction[] = ['copy', 'insert', 'newEditor'];
const LEVELS = ['info', 'warning', 'error'] as const;

type Fields = Record<string, unknown>;

export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Fields;
  switch (m.type) {
    case 'ready':
    case 'stop':
    case 'regenerate':
    case 'editLast':
    case 'pickModel':
    case 'pickImage':
    case 'newChat':
      return { type: m.type };
    case 'send': {
      if (!isText(m.text) || !Array.isArray(m.images) || m.images.length > MAX_IMAGES) return undefined;
      const images = m.images.map(parseImage);
      if (images.some((i) => i === undefined)) return undefined;
      const note = isText(m.note) ? m.note : undefined;
      return { type: 'send', text: m.text, images: images as ViewImage[], ...(note ? { note } : {}) };
    }
    case 'selectModel':
      return isShortString(m.modelId) ? { type: 'selectModel', modelId: m.modelId } : undefined;
    case 'errorAction':
      return isOneOf(m.action, ERROR_ACTIONS) && isShortString(m.messageId)
        ? { type: 'errorAction', action: m.action, messageId: m.messageId }
        : undefined;
    case 'code':
      if (!isOneOf(m.action, CODE_ACTIONS) || !isText(m.code)) return undefined;
      return { type: 'code', action: m.action, code: m.code, ...(isShortString(m.language) ? { language: m.language } : {}) };
    case 'openLink':
      return isShortString(m.href, 8192) ? { type: 'openLink', href: m.href } : undefined;
    case 'notify':
      return isOneOf(m.level, LEVELS) && isShortString(m.message, 2000) ? { type: 'notify', level: m.level, message: m.message } : undefined;
    default:
      return undefined;
  }
}

function parseImage(value: unknown): ViewImage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const i = value as Fields;
  if (!isShortString(i.id) || !isShortString(i.name, 512) || !isOneOf(i.mime, IMAGE_MIMES)) return undefined;
  if (typeof i.dataUrl !== 'string' || i.dataUrl.length > MAX_DATA_URL || !i.dataUrl.startsWith(`data:${i.mime};base64,`)) return undefined;
  if (!isCount(i.width) || !isCount(i.height) || !isCount(i.bytes)) return undefined;
  return { id: i.id, name: i.name, mime: i.mime, dataUrl: i.dataUrl, width: i.width, height: i.height, bytes: i.bytes };
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_TEXT;
}

function isShortString(value: unknown, max = 256): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

/** Only web links leave the editor; `command:`, `file:`, `javascript:` and the like are refused. */
export function isWebLink(href: string): boolean {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
