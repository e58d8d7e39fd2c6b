// The one protocol between the extension host and the chat webview. Both sides import this module,
// and the webview imports its types from here only (never from the core).
//
// Each message is declared once: its payload in `HostMessages` / `WebviewMessages`, and beside it,
// in `HOST_MESSAGES` / `WEBVIEW_MESSAGES`, its delivery policy and (webview → host) its validation.
// Both tables are complete mapped types, and both ends handle messages through complete handler
// maps (`HostHandlers`, `WebviewHandlers`), so a message added here without a policy, a validator
// or a handler on either end does not compile.
//
// Order: the webview posts `ready` once its script runs; the host answers with `state` (the whole
// view), then sends incremental messages. A reload of the webview posts `ready` again and gets a
// fresh `state`. Keys never cross this boundary.

import type { ErrorKind } from './core/errors';
import type { ImageMime, ProviderId } from './core/types';

export type { ErrorKind, ImageMime, ProviderId };

/** A next step the view offers as a button beside an error (the host chooses which: src/extension/errorWords.ts). */
export type ErrorAction = 'setApiKey' | 'retry' | 'selectModel' | 'openBilling' | 'openSettings' | 'showLog';

/** An image as the webview holds it: already prepared (downscaled, re-encoded) for the model. */
export interface ViewImage {
  readonly id: string;
  readonly name: string;
  readonly mime: ImageMime;
  /** `data:<mime>;base64,...` of the prepared image. */
  readonly dataUrl: string;
  readonly width: number;
  readonly height: number;
  /** Size of the prepared image in bytes. */
  readonly bytes: number;
}

export interface ViewError {
  readonly kind: ErrorKind;
  readonly message: string;
  readonly detail?: string;
  readonly actions: readonly ErrorAction[];
  readonly billingUrl?: string;
}

export interface MessageStats {
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly totalTokens?: number;
  readonly costUsd?: number;
  /** Milliseconds from sending to the first text. */
  readonly firstTokenMs?: number;
  readonly totalMs?: number;
  readonly creditsConsumed?: number;
  /** Milliseconds the model thought: from its first reasoning to its first answer text (or the end). */
  readonly reasoningMs?: number;
}

export type MessageStatus =
  /** Streaming text in. */
  | 'streaming'
  /** Waiting for a provider that answers all at once (Segmind): show a working indicator with elapsed time. */
  | 'waiting'
  | 'done'
  /** Stopped by the user: the partial text stays. */
  | 'stopped'
  | 'error';

export interface ViewMessage {
  readonly id: string;
  readonly role: 'user' | 'assistant';
  readonly text: string;
  /** An answer's reasoning, shown collapsed above it; kept in history and exports, never sent to a model. */
  readonly reasoning?: string;
  readonly images?: readonly ViewImage[];
  readonly modelId?: string;
  readonly modelName?: string;
  readonly status?: MessageStatus;
  /** Epoch ms when the request started, for the elapsed-time indicator. */
  readonly startedAt?: number;
  readonly stats?: MessageStats;
  readonly error?: ViewError;
  /** A line shown above the message, e.g. "Using Llama 3.2 11B Vision: the chat's model cannot see images." */
  readonly note?: string;
  /** What was attached to this prompt (user messages); a chip opens its file. */
  readonly context?: readonly ContextChip[];
}

export interface ModelOption {
  readonly id: string;
  readonly displayName: string;
  readonly provider: ProviderId;
  readonly providerName: string;
  readonly vision: boolean;
  readonly maxImages: number;
  readonly maxImageSide?: number;
  /** Whether a key is available for its provider (never the key itself). */
  readonly hasKey: boolean;
  readonly contextLength?: number;
  /** US dollars per million input and output tokens, where the provider lists them. */
  readonly pricing?: { readonly inputPerMillion: number; readonly outputPerMillion: number };
  /** The provider answered 404/410 for it. */
  readonly retired?: boolean;
  /** It can call tools (natively or through a prompted format). */
  readonly tools?: boolean;
}

/** Per provider, why its live model list is missing or old ("Could not reach DeepInfra's model list…"). */
export type CatalogNotes = Readonly<Partial<Record<ProviderId, string>>>;

export interface ViewState {
  readonly conversationId: string;
  readonly title: string;
  readonly messages: readonly ViewMessage[];
  readonly models: readonly ModelOption[];
  readonly modelId: string;
  readonly catalogNotes?: CatalogNotes;
  /** Model ids chosen lately, newest first: the picker shows them on top. */
  readonly recentModelIds?: readonly string[];
  /** A request is in flight. */
  readonly busy: boolean;
}

export type CodeAction = 'copy' | 'insert' | 'apply' | 'newEditor';

// ---- context attached to a prompt (issue 14) ----
// The host reads and holds the text of each attachment; the view shows a chip with its size and
// sends only chip ids. Nothing the view posts is read as a file's content.

export type ContextKind = 'file' | 'folder' | 'selection' | 'problems' | 'terminal' | 'changes';

/** A place in the workspace a chip opens: a workspace-relative path, lines 1-based and inclusive. */
export interface ContextLocation {
  readonly path: string;
  readonly startLine?: number;
  readonly endLine?: number;
}

/** One attachment as the view shows it: above the prompt box, then in the sent message. */
export interface ContextChip {
  readonly id: string;
  readonly kind: ContextKind;
  /** What the chip says: "src/app.ts", "app.ts:12-30", "Problems (3)", "Changes". */
  readonly label: string;
  /** Estimated tokens of what would be sent for it. */
  readonly tokens: number;
  /** Where clicking the chip goes, for files, folders and selections. */
  readonly location?: ContextLocation;
  /** What was left out of it ("4 files over 100 KB left out"), or that it did not fit the model. */
  readonly note?: string;
}

/** What the user asked to attach: the host resolves it to a chip (or says why not). */
export type ContextRef =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'activeFile' }
  | { readonly kind: 'selection' }
  | { readonly kind: 'problems' }
  | { readonly kind: 'terminal' }
  | { readonly kind: 'changes' };

/** One row of the `#` completion list. */
export interface ContextSuggestion {
  /** The word the row inserts after `#` ("selection", "src/app.ts"). */
  readonly label: string;
  /** A second, dimmer line ("The active editor's selection", the folder of a file). */
  readonly detail?: string;
  readonly ref: ContextRef;
}

// ---- host → webview ----

/** An image as read from disk, not yet prepared for a model. */
export interface RawImage {
  readonly name: string;
  readonly mime: ImageMime;
  readonly base64: string;
}

/** Every message the host posts, by type: its payload. */
export interface HostMessages {
  state: { readonly state: ViewState };
  models: { readonly models: readonly ModelOption[]; readonly modelId: string; readonly catalogNotes?: CatalogNotes; readonly recentModelIds?: readonly string[] };
  append: { readonly message: ViewMessage };
  /** Text to add to the end of a streaming message. */
  delta: { readonly id: string; readonly text: string };
  /** Reasoning to add to the end of a streaming answer's Thinking section. */
  reasoningDelta: { readonly id: string; readonly text: string };
  update: { readonly id: string; readonly patch: Partial<Omit<ViewMessage, 'id' | 'role'>> };
  remove: { readonly ids: readonly string[] };
  busy: { readonly busy: boolean };
  /** Put text (and images) in the prompt box, e.g. after "edit last prompt". */
  setDraft: { readonly text: string; readonly images?: readonly RawImage[] };
  /** Images to add to the prompt box (from the attach button's file dialog). The webview prepares them. */
  attachImages: { readonly images: readonly RawImage[] };
  /**
   * Prepare these images and send them with the text, as if the user had (Describe Image). The
   * `send` that answers carries the same `requestId`: only that one gets the request's model.
   */
  submit: { readonly requestId: string; readonly text: string; readonly images: readonly RawImage[]; readonly note?: string };
  focusInput: Record<never, never>;
  /** Chips to add above the prompt box (from `#`, the Explorer's or editor's menu, a drop). */
  addContext: { readonly chips: readonly ContextChip[] };
  /** The rows for the `#` query with the same `requestId` (a later query's answer replaces it). */
  contextSuggestions: { readonly requestId: string; readonly suggestions: readonly ContextSuggestion[] };
}

export interface HostMessagePolicy {
  /**
   * Kept until the webview has its state, because it carries something the state does not (a draft
   * to put back, images to submit). Otherwise a message posted before then is dropped: the state
   * the webview is about to get already holds it.
   */
  readonly untilReady: boolean;
}

export const HOST_MESSAGES: { readonly [K in keyof HostMessages]: HostMessagePolicy } = {
  state: { untilReady: false },
  models: { untilReady: false },
  append: { untilReady: false },
  delta: { untilReady: false },
  reasoningDelta: { untilReady: false },
  update: { untilReady: false },
  remove: { untilReady: false },
  busy: { untilReady: false },
  setDraft: { untilReady: true },
  attachImages: { untilReady: true },
  submit: { untilReady: true },
  focusInput: { untilReady: true },
  addContext: { untilReady: true },
  contextSuggestions: { untilReady: false },
};

// ---- webview → host ----

/** Every message the webview posts, by type: its payload. */
export interface WebviewMessages {
  ready: Record<never, never>;
  /** `requestId` when this answers the host's `submit`; `context`: ids of the chips above the prompt box. */
  send: {
    readonly text: string;
    readonly images: readonly ViewImage[];
    readonly note?: string;
    readonly requestId?: string;
    readonly context?: readonly string[];
  };
  stop: Record<never, never>;
  /** Ask again for the last answer (also the Retry of an error). */
  regenerate: Record<never, never>;
  /** Take the last prompt back into the prompt box, removing it and its answer from the chat. */
  editLast: Record<never, never>;
  selectModel: { readonly modelId: string };
  /** Open the model quick pick. */
  pickModel: Record<never, never>;
  /** Open the file dialog for images. */
  pickImage: Record<never, never>;
  errorAction: { readonly action: ErrorAction; readonly messageId: string };
  /** `target`: the file the answer named for this block (a hint: the host checks it), for Apply. */
  code: { readonly action: CodeAction; readonly code: string; readonly language?: string; readonly target?: string };
  /** A link in an answer was clicked; the host opens http(s) links only. */
  openLink: { readonly href: string };
  newChat: Record<never, never>;
  /** The user typed `#` and then `query` (maybe empty): the host answers with `contextSuggestions`. */
  suggestContext: { readonly requestId: string; readonly query: string };
  /** Attach what a `#` row names. */
  attachContext: { readonly ref: ContextRef };
  /** Files dropped on the prompt box (`text/uri-list` entries); the host keeps only workspace files. */
  dropFiles: { readonly uris: readonly string[] };
  /** A chip was removed from the prompt box: the host may forget its text. */
  removeContext: { readonly id: string };
  /** A chip in a sent message was clicked. */
  openContext: { readonly location: ContextLocation };
  /**
   * Something the user should hear about that the webview found. A kind, never text: the host shows
   * its own fixed words, so nothing the view renders (model output, file names) reaches a notification.
   */
  notify: { readonly notice: ViewNotice };
}

export type NotifyLevel = 'info' | 'warning' | 'error';

/** A code block's button, as the host acts on it. */
export type CodeRequest = WebviewMessages['code'];

/** What the chat view may ask the host to announce (the view itself shows the details). */
export type ViewNotice = 'imageNotPrepared';

/**
 * When the host acts on a message. `inTurn`: after every earlier `inTurn` message has been handled,
 * for messages that change the chat or the model it uses (a prompt sent right after choosing a model
 * must use it). `atOnce`: the moment it arrives, never waiting behind another: Stop, so it cuts an
 * answer short; Ready, so a reloaded view is not left empty while a prompt waits for its key; and
 * messages that change neither the chat nor its model, several of which open a dialog or quick pick
 * that would otherwise hold every later message until the user closes it.
 */
export type Ordering = 'inTurn' | 'atOnce';

export interface WebviewMessagePolicy<K extends keyof WebviewMessages> {
  /**
   * The message's fields checked one by one (the webview renders hostile model output, so it is only
   * semi-trusted): the payload with nothing but its own fields, or undefined when malformed.
   */
  readonly parse: (fields: Fields) => WebviewMessages[K] | undefined;
  readonly ordering: Ordering | ((message: WebviewMessages[K]) => Ordering);
}

/** A message object from the webview whose fields are not yet checked. */
export type Fields = Readonly<Record<string, unknown>>;

/** Far above any prompt a person types, far below what would hurt the extension host. */
const MAX_TEXT = 1_000_000;
/** Prepared images are downscaled; a data URL beyond this is not one we made. */
const MAX_DATA_URL = 30 * 1024 * 1024;
const MAX_IMAGES = 8;
/** Chips on one prompt; far above what fits any model's context. */
const MAX_CONTEXT = 64;
const MAX_DROPPED = 256;

const IMAGE_MIMES: readonly ImageMime[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const ERROR_ACTIONS: readonly ErrorAction[] = ['setApiKey', 'retry', 'selectModel', 'openBilling', 'openSettings', 'showLog'];
const CODE_ACTIONS: readonly CodeAction[] = ['copy', 'insert', 'apply', 'newEditor'];
const VIEW_NOTICES: readonly ViewNotice[] = ['imageNotPrepared'];
/** Error actions that ask again: ordered like Regenerate, so Retry after choosing a model uses it. */
const ASKING_AGAIN: readonly ErrorAction[] = ['retry', 'setApiKey'];

const noFields = (): Record<never, never> => ({});

export const WEBVIEW_MESSAGES: { readonly [K in keyof WebviewMessages]: WebviewMessagePolicy<K> } = {
  ready: { parse: noFields, ordering: 'atOnce' },
  send: {
    parse: (m) => {
      if (!isText(m.text) || !Array.isArray(m.images) || m.images.length > MAX_IMAGES) return undefined;
      const images = m.images.map(parseImage);
      if (images.some((i) => i === undefined)) return undefined;
      const note = isText(m.note) ? m.note : undefined;
      const requestId = isShortString(m.requestId) ? m.requestId : undefined;
      let context: string[] | undefined;
      if (m.context !== undefined) {
        if (!Array.isArray(m.context) || m.context.length > MAX_CONTEXT || !m.context.every((id) => isShortString(id))) return undefined;
        context = m.context as string[];
      }
      return {
        text: m.text,
        images: images as ViewImage[],
        ...(note ? { note } : {}),
        ...(requestId ? { requestId } : {}),
        ...(context?.length ? { context } : {}),
      };
    },
    ordering: 'inTurn',
  },
  stop: { parse: noFields, ordering: 'atOnce' },
  regenerate: { parse: noFields, ordering: 'inTurn' },
  editLast: { parse: noFields, ordering: 'inTurn' },
  selectModel: { parse: (m) => (isShortString(m.modelId) ? { modelId: m.modelId } : undefined), ordering: 'inTurn' },
  pickModel: { parse: noFields, ordering: 'atOnce' },
  pickImage: { parse: noFields, ordering: 'atOnce' },
  errorAction: {
    parse: (m) => (isOneOf(m.action, ERROR_ACTIONS) && isShortString(m.messageId) ? { action: m.action, messageId: m.messageId } : undefined),
    ordering: (m) => (ASKING_AGAIN.includes(m.action) ? 'inTurn' : 'atOnce'),
  },
  code: {
    parse: (m) =>
      isOneOf(m.action, CODE_ACTIONS) && isText(m.code)
        ? {
          action: m.action,
          code: m.code,
          ...(isShortString(m.language) ? { language: m.language } : {}),
          ...(typeof m.target === 'string' && isPathHint(m.target) ? { target: m.target } : {}),
        }
        : undefined,
    ordering: 'atOnce',
  },
  openLink: { parse: (m) => (isShortString(m.href, 8192) ? { href: m.href } : undefined), ordering: 'atOnce' },
  suggestContext: {
    parse: (m) => (isShortString(m.requestId) && typeof m.query === 'string' && m.query.length <= 512 ? { requestId: m.requestId, query: m.query } : undefined),
    ordering: 'atOnce',
  },
  attachContext: {
    parse: (m) => {
      const ref = parseContextRef(m.ref);
      return ref ? { ref } : undefined;
    },
    ordering: 'atOnce',
  },
  dropFiles: {
    parse: (m) =>
      Array.isArray(m.uris) && m.uris.length > 0 && m.uris.length <= MAX_DROPPED && m.uris.every((u) => isShortString(u, 4096))
        ? { uris: m.uris as string[] }
        : undefined,
    ordering: 'atOnce',
  },
  removeContext: { parse: (m) => (isShortString(m.id) ? { id: m.id } : undefined), ordering: 'atOnce' },
  openContext: {
    parse: (m) => {
      const location = parseLocation(m.location);
      return location ? { location } : undefined;
    },
    ordering: 'atOnce',
  },
  newChat: { parse: noFields, ordering: 'inTurn' },
  notify: {
    parse: (m) => (isOneOf(m.notice, VIEW_NOTICES) ? { notice: m.notice } : undefined),
    ordering: 'atOnce',
  },
};

// ---- the unions and handler maps both ends use ----

/** One message: its `type` and its payload. */
type Tagged<M> = { [K in keyof M]: { readonly type: K } & M[K] }[keyof M];

export type HostMessage = Tagged<HostMessages>;
export type WebviewMessage = Tagged<WebviewMessages>;
export type HostMessageOf<K extends keyof HostMessages> = { readonly type: K } & HostMessages[K];
export type WebviewMessageOf<K extends keyof WebviewMessages> = { readonly type: K } & WebviewMessages[K];

/** The webview's handling of every host message: leaving one out does not compile. */
export type HostHandlers = { readonly [K in keyof HostMessages]: (message: HostMessageOf<K>) => void };
/** The host's handling of every webview message: leaving one out does not compile. */
export type WebviewHandlers = { readonly [K in keyof WebviewMessages]: (message: WebviewMessageOf<K>) => Promise<void> | void };

/** Calls the handler for the message's type. */
export function dispatch<R>(handlers: { readonly [K in keyof HostMessages]: (message: HostMessageOf<K>) => R }, message: HostMessage): R;
export function dispatch<R>(handlers: { readonly [K in keyof WebviewMessages]: (message: WebviewMessageOf<K>) => R }, message: WebviewMessage): R;
export function dispatch(handlers: Readonly<Record<string, (message: never) => unknown>>, message: { readonly type: string }): unknown {
  // Sound by construction: each handler is keyed by the type of the message it takes.
  return (handlers[message.type] as (message: unknown) => unknown)(message);
}

/** A message of a type the webview knows (the host is trusted; this only keeps an unknown type from throwing). */
export function isHostMessage(value: unknown): value is HostMessage {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  return typeof type === 'string' && Object.hasOwn(HOST_MESSAGES, type);
}

/** A message from the webview checked field by field, or undefined when it is malformed or unknown. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Fields;
  const type = fields.type;
  if (typeof type !== 'string' || !Object.hasOwn(WEBVIEW_MESSAGES, type)) return undefined;
  const payload = (WEBVIEW_MESSAGES[type as keyof WebviewMessages].parse as (fields: Fields) => object | undefined)(fields);
  return payload ? ({ type, ...payload } as WebviewMessage) : undefined;
}

/** How the host orders a (checked) message from the webview. */
export function orderingOf(message: WebviewMessage): Ordering {
  const ordering = WEBVIEW_MESSAGES[message.type].ordering as Ordering | ((message: WebviewMessage) => Ordering);
  return typeof ordering === 'function' ? ordering(message) : ordering;
}

// ---- field checks ----

function parseImage(value: unknown): ViewImage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const i = value as Fields;
  if (!isShortString(i.id) || !isShortString(i.name, 512) || !isOneOf(i.mime, IMAGE_MIMES)) return undefined;
  if (typeof i.dataUrl !== 'string' || i.dataUrl.length > MAX_DATA_URL || !i.dataUrl.startsWith(`data:${i.mime};base64,`)) return undefined;
  if (!isCount(i.width) || !isCount(i.height) || !isCount(i.bytes)) return undefined;
  return { id: i.id, name: i.name, mime: i.mime, dataUrl: i.dataUrl, width: i.width, height: i.height, bytes: i.bytes };
}

const SIMPLE_REFS = ['activeFile', 'selection', 'problems', 'terminal', 'changes'] as const;

function parseContextRef(value: unknown): ContextRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Fields;
  if (r.kind === 'file') return isWorkspacePath(r.path) ? { kind: 'file', path: r.path } : undefined;
  return isOneOf(r.kind, SIMPLE_REFS) ? { kind: r.kind } : undefined;
}

/** A location as the view (or a saved chat) names it, checked: a workspace path and whole line numbers. */
export function parseLocation(value: unknown): ContextLocation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const l = value as Fields;
  if (!isWorkspacePath(l.path)) return undefined;
  const line = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 10_000_000;
  if (l.startLine !== undefined && !line(l.startLine)) return undefined;
  if (l.endLine !== undefined && !line(l.endLine)) return undefined;
  return { path: l.path, ...(l.startLine !== undefined ? { startLine: l.startLine } : {}), ...(l.endLine !== undefined ? { endLine: l.endLine } : {}) };
}

/**
 * A workspace-relative path as the view may name one (from a chip or a `#` row the host gave it):
 * forward slashes, no `..` segment, nothing absolute. The host still resolves it inside a workspace
 * folder before reading.
 */
export function isWorkspacePath(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024) return false;
  if (value.startsWith('/') || value.includes('\\') || /^[A-Za-z]:/.test(value) || value.includes('\0')) return false;
  return value.split('/').every((segment) => segment !== '..' && segment !== '');
}

/**
 * A relative file path with an extension: segments of word characters that may start with one dot
 * (`.vscode/`), so no `..`, no scheme, no drive, nothing absolute, nothing a glob would read.
 */
const PATH_HINT = /^(?:\.\/)?(?:\.?[\w@+-][\w@.+-]*\/)*\.?[\w@+-][\w@.+-]*\.[A-Za-z][\w-]{0,11}$/;

/** A file path as an answer may name one for a code block (Apply to File): a hint, never trusted further. */
export function isPathHint(word: string): boolean {
  return word.length <= 260 && PATH_HINT.test(word);
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
