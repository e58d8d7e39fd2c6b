// The provider core's vocabulary. Nothing in src/core imports `vscode`: it runs in plain Node,
// inside the extension host, the simulator's tests and the benchmarks alike.

import type { ListedModel } from './modelListings';
import type { ProviderId } from './providerTable';

/** The providers and their facts are in the provider table (./providerTable). */
export type { ProviderId };

/** How a model is called: OpenAI-style chat messages, or Segmind's LLaVA `{images, prompt}` body. */
export type ModelProtocol = 'chat' | 'llava';

/**
 * How a model calls tools: `native` through the OpenAI `tools` field and streamed `tool_calls`;
 * `prompted` through Llama 3.1+'s documented JSON function-calling prompt (for endpoints with no
 * `tools` field, Segmind's). A model without the field calls no tools.
 */
export type ToolCapability = 'native' | 'prompted';

export interface ModelInfo {
  /** Unique across providers: `provider:providerModelId`, e.g. `segmind:llava-v1.6`. */
  readonly id: string;
  readonly provider: ProviderId;
  /** What the provider calls it: a Segmind slug or an OpenAI `model` id. */
  readonly providerModelId: string;
  readonly displayName: string;
  readonly protocol: ModelProtocol;
  /** Whether the model takes images, and how many in one request (0 when it takes none). */
  readonly vision: boolean;
  readonly maxImages: number;
  /** Longest side, in pixels, an image may have; larger ones are downscaled before sending. */
  readonly maxImageSide?: number;
  readonly contextLength: number;
  readonly maxOutputTokens: number;
  /** How the model calls tools; absent when it cannot. */
  readonly tools?: ToolCapability;
  /** The most tools one request may offer, where there is a limit. */
  readonly maxTools?: number;
  /** US dollars per million tokens, where the provider's listing gives them. */
  readonly pricing?: ModelPricing;
  /** Where the entry comes from: shipped with the extension, the provider's own listing, or the user's settings. */
  readonly source?: 'builtin' | 'live' | 'settings';
  /** The provider answered 404/410 for it: it is gone, and a request would fail the same way again. */
  readonly retired?: boolean;
}

export interface ModelPricing {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

/**
 * A streamed answer stops at this many characters (a runaway server would otherwise fill memory,
 * the view and the history): the text so far is kept, and `end` carries `ANSWER_LIMIT_REASON`.
 */
export const ANSWER_LIMIT_CHARS = 8_000_000;
export const ANSWER_LIMIT_REASON = 'vision-chat:answer-limit';

/**
 * A model's streamed reasoning stops at this many characters (far beyond any real model's thinking):
 * a server that reasons without end would otherwise never answer and fill memory. The reasoning so
 * far is kept and `end` carries `REASONING_LIMIT_REASON`.
 */
export const REASONING_LIMIT_CHARS = 2_000_000;
export const REASONING_LIMIT_REASON = 'vision-chat:reasoning-limit';

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

export interface ImageData {
  readonly mime: ImageMime;
  /** The image's bytes, base64-encoded (no `data:` prefix). */
  readonly base64: string;
  readonly name?: string;
  readonly width?: number;
  readonly height?: number;
}

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  readonly role: Role;
  readonly content: string;
  readonly images?: readonly ImageData[];
  /** An assistant turn's tool calls (its `content` is the text said before them, often empty). */
  readonly toolCalls?: readonly ToolCall[];
  /** A `tool` turn: the call whose result `content` is. */
  readonly toolCallId?: string;
}

/** A tool the model may call: its parameters are a JSON schema (an object schema). */
export interface ToolDefinition {
  readonly name: string;
  readonly description?: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** `auto`: the model decides; `required`: it must call one of the tools. */
export type ToolMode = 'auto' | 'required';

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments, parsed: always a JSON object. */
  readonly arguments: Readonly<Record<string, unknown>>;
}

export interface ChatOptions {
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  /** Sent as the first `system` message when the conversation has none. */
  readonly systemPrompt?: string;
}

export interface ChatRequest {
  readonly model: ModelInfo;
  readonly messages: readonly ChatMessage[];
  readonly options?: ChatOptions;
  /** Tools offered to the model; only for a model with a `tools` capability. */
  readonly tools?: readonly ToolDefinition[];
  /** Default `auto`. */
  readonly toolMode?: ToolMode;
}

export interface Usage {
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly totalTokens?: number;
  /** The provider's own estimate of the request's price in US dollars (DeepInfra's `estimated_cost`). */
  readonly costUsd?: number;
}

export interface Credits {
  /** The account's balance, as the provider reports it (Segmind: `x-remaining-credits`). */
  readonly remaining: number;
  /** What this request consumed, when reported (`x-credits-consumed`). */
  readonly consumed?: number;
  /** Free credits, when reported apart (Segmind's `get-user-credits`). */
  readonly free?: number;
}

/** Why a request is being tried again, as data: the host says it in its own words. */
export type RetryReason =
  | { readonly kind: 'rateLimited'; readonly status?: number }
  | { readonly kind: 'server'; readonly status?: number }
  /** No response at all: the connection failed before the request reached the model. */
  | { readonly kind: 'connection' };

/**
 * What a stream yields. Provider errors are thrown as `ProviderError`; cancelling through the
 * AbortSignal is not an error: the stream yields `end` with outcome `cancelled` and returns.
 */
export type ChatEvent =
  | { readonly type: 'delta'; readonly text: string }
  /**
   * The model's reasoning before (or between) its answer: `reasoning_content` or `reasoning` deltas,
   * or a leading `<think>…</think>`. Shown apart from the answer and never sent back to a model.
   */
  | { readonly type: 'reasoning'; readonly text: string }
  /** One tool call, complete (id, name, parsed arguments); after any text the model said before it. */
  | { readonly type: 'toolCall'; readonly call: ToolCall }
  /** The provider does not stream (Segmind): the whole answer comes at once, show a working indicator. */
  | { readonly type: 'waiting' }
  | { readonly type: 'retry'; readonly attempt: number; readonly delayMs: number; readonly reason: RetryReason }
  | { readonly type: 'usage'; readonly usage: Usage }
  | { readonly type: 'credits'; readonly credits: Credits }
  | { readonly type: 'end'; readonly outcome: 'complete' | 'cancelled'; readonly finishReason?: string };

export interface ChatProvider {
  readonly id: ProviderId;
  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatEvent>;
  /** A cheap call that proves the key works (Segmind: `get-user-credits`). Throws ProviderError when it does not. */
  checkKey(signal?: AbortSignal): Promise<{ readonly credits?: Credits }>;
  /** The account's balance, where the provider has an endpoint for it. */
  getCredits?(signal?: AbortSignal): Promise<Credits>;
  /** What the provider says it serves, where it has a listing (see the provider table's `catalog`). */
  listModels?(signal?: AbortSignal): Promise<readonly ListedModel[]>;
}

export interface TimeoutOptions {
  /** Connect and first byte of the response. */
  readonly firstByteMs: number;
  /** Longest silence between two chunks of a streamed body. */
  readonly idleMs: number;
}

export interface RetryOptions {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No retry starts once this much time has passed since the first attempt. */
  readonly maxTotalMs: number;
}

export interface ProviderConfig {
  readonly baseUrl: string;
  /** Optional for OpenAI-compatible servers (Ollama needs none). Never logged or put in an error. */
  readonly apiKey?: string;
  readonly timeouts?: Partial<TimeoutOptions>;
  readonly retry?: Partial<RetryOptions>;
  /** An explicit proxy URL (VS Code's `http.proxy`); otherwise HTTPS_PROXY/HTTP_PROXY/NO_PROXY apply. */
  readonly proxy?: string;
  /** The models named when an image is refused for a model that cannot see (default: the built-in vision models). */
  readonly visionModels?: readonly ModelInfo[];
}
