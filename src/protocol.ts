// The one protocol between the extension host and the chat webview. Both sides import this module;
// every message is a member of one of the two discriminated unions below.
//
// Order: the webview posts `ready` once its script runs; the host answers with `state` (the whole
// view), then sends incremental messages. A reload of the webview posts `ready` again and gets a
// fresh `state`. Keys never cross this boundary.

import type { ErrorAction, ErrorKind } from './core/errors';
import type { ImageMime, ProviderId } from './core/types';

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
}

export interface ViewState {
  readonly conversationId: string;
  readonly title: string;
  readonly messages: readonly ViewMessage[];
  readonly models: readonly ModelOption[];
  readonly modelId: string;
  /** A request is in flight. */
  readonly busy: boolean;
}

export type CodeAction = 'copy' | 'insert' | 'newEditor';

// ---- host → webview ----

export type HostMessage =
  | { readonly type: 'state'; readonly state: ViewState }
  | { readonly type: 'models'; readonly models: readonly ModelOption[]; readonly modelId: string }
  | { readonly type: 'append'; readonly message: ViewMessage }
  /** Text to add to the end of a streaming message. */
  | { readonly type: 'delta'; readonly id: string; readonly text: string }
  | { readonly type: 'update'; readonly id: string; readonly patch: Partial<Omit<ViewMessage, 'id' | 'role'>> }
  | { readonly type: 'remove'; readonly ids: readonly string[] }
  | { readonly type: 'busy'; readonly busy: boolean }
  /** Put text (and images) in the prompt box, e.g. after "edit last prompt". */
  | { readonly type: 'setDraft'; readonly text: string; readonly images?: readonly RawImage[] }
  /** Images to add to the prompt box (from the attach button's file dialog). The webview prepares them. */
  | { readonly type: 'attachImages'; readonly images: readonly RawImage[] }
  /** Prepare these images and send them with the text, as if the user had (Describe Image). */
  | { readonly type: 'submit'; readonly text: string; readonly images: readonly RawImage[]; readonly note?: string }
  | { readonly type: 'focusInput' };

/** An image as read from disk, not yet prepared for a model. */
export interface RawImage {
  readonly name: string;
  readonly mime: ImageMime;
  readonly base64: string;
}

// ---- webview → host ----

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'send'; readonly text: string; readonly images: readonly ViewImage[]; readonly note?: string }
  | { readonly type: 'stop' }
  /** Ask again for the last answer (also the Retry of an error). */
  | { readonly type: 'regenerate' }
  /** Take the last prompt back into the prompt box, removing it and its answer from the chat. */
  | { readonly type: 'editLast' }
  | { readonly type: 'selectModel'; readonly modelId: string }
  /** Open the model quick pick. */
  | { readonly type: 'pickModel' }
  /** Open the file dialog for images. */
  | { readonly type: 'pickImage' }
  | { readonly type: 'errorAction'; readonly action: ErrorAction; readonly messageId: string }
  | { readonly type: 'code'; readonly action: CodeAction; readonly code: string; readonly language?: string }
  /** A link in an answer was clicked; the host opens http(s) links only. */
  | { readonly type: 'openLink'; readonly href: string }
  | { readonly type: 'newChat' }
  /** Something the user should hear about that the webview found (an image it could not read). */
  | { readonly type: 'notify'; readonly level: 'info' | 'warning' | 'error'; readonly message: string };

export function isWebviewMessage(value: unknown): value is WebviewMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
