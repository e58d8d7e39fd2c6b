// What both clients share: settings resolved once, pooled dispatcher, and GETs of small JSON answers.

import { BUILTIN_MODELS } from './catalog';
import { cancelledError, protocolError, wrongBaseUrlError } from './errors';
import { creditsFromHeaders, type ResponseHeaders } from './headers';
import { DEFAULT_RETRY, DEFAULT_TIMEOUTS, RequestGuard, SMALL_BODY_LIMIT_BYTES, asProviderError, dispatcherFor, readBody, result, send, type HttpCall } from './http';
import type { ChatEvent, ChatProvider, ChatRequest, Credits, ModelInfo, ProviderConfig, ProviderId, RetryOptions, TimeoutOptions, Usage } from './types';

/** Settings shared by both clients, resolved once at construction. */
export abstract class HttpProvider implements ChatProvider {
  abstract readonly id: ProviderId;
  protected readonly baseUrl: string;
  protected readonly key: string | undefined;
  protected readonly timeouts: TimeoutOptions;
  protected readonly retry: RetryOptions;
  protected readonly visionModels: readonly ModelInfo[];
  private readonly proxy: string | undefined;

  constructor(config: ProviderConfig) {
    this.baseUrl = config.baseUrl.trim().replace(/\/+$/, '');
    this.key = config.apiKey?.trim() || undefined;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...definedFields(config.timeouts) };
    this.retry = { ...DEFAULT_RETRY, ...definedFields(config.retry) };
    this.visionModels = config.visionModels ?? BUILTIN_MODELS.filter((m) => m.vision);
    this.proxy = config.proxy;
  }

  abstract stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatEvent>;
  abstract checkKey(signal?: AbortSignal): Promise<{ readonly credits?: Credits }>;

  protected call(method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string, model?: string): HttpCall {
    return { provider: this.id, method, url, headers, body, key: this.key, model, retry: this.retry, dispatcher: dispatcherFor(this.proxy) };
  }

  /** How every successful answer ends: its usage, the balance the response reported, then `end`. */
  protected *completion(usage: Usage | undefined, headers: ResponseHeaders, finishReason: string | undefined): Generator<ChatEvent> {
    if (usage) yield { type: 'usage', usage };
    const credits = creditsFromHeaders(headers);
    if (credits) yield { type: 'credits', credits };
    yield { type: 'end', outcome: 'complete', finishReason };
  }

  /** A GET (or a small POST) whose JSON body is the answer: key checks, balances (64 KB), listings (`limitBytes`). */
  protected async getJson(
    url: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    options: { limitBytes?: number; method?: 'GET' | 'POST'; body?: string } = {},
  ): Promise<{ json: unknown; credits?: Credits }> {
    const guard = new RequestGuard(signal, this.timeouts);
    let completed = false;
    try {
      const method = options.method ?? 'GET';
      const withBody = options.body === undefined ? headers : { 'content-type': 'application/json', ...headers };
      const response = await result(send(this.call(method, url, { accept: 'application/json', ...withBody }, options.body), guard));
      const text = await readBody(response.body, guard, options.limitBytes ?? SMALL_BODY_LIMIT_BYTES, this.id);
      completed = true;
      let json: unknown;
      try {
        json = text.trim() ? JSON.parse(text) : undefined;
      } catch {
        throw protocolError(this.id, 'the body is not JSON', text, this.key);
      }
      return { json, credits: creditsFromHeaders(response.headers) };
    } catch (error) {
      if (guard.cancelled) throw cancelledError(this.id);
      const failure = asProviderError(error, guard, this.id, this.key);
      throw failure.status === 404 ? wrongBaseUrlError(this.id, failure) : failure;
    } finally {
      guard.dispose(completed);
    }
  }
}


function definedFields<T extends object>(value: Partial<T> | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
