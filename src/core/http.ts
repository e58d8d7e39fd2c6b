// The HTTP layer every provider shares: pooled dispatchers (proxy-aware, keep-alive), one guard per
// call that owns cancellation and timeouts, and `send`, which retries what is safe to retry.

import { setTimeout as delay } from 'node:timers/promises';
import { Agent, EnvHttpProxyAgent, ProxyAgent, request, type Dispatcher } from 'undici';
import { ProviderError, fromResponse, isProviderError, networkError, timeoutError, tooLargeError, webPageError } from './errors';
import { headerValue, type ResponseHeaders } from './headers';
import type { ChatEvent, ProviderId, RetryOptions, RetryReason, TimeoutOptions } from './types';

/** `requestTimeoutSeconds` defaults to 120 s; Segmind's synchronous path alone may take ~100 s. */
export const DEFAULT_TIMEOUTS: TimeoutOptions = { firstByteMs: 120_000, idleMs: 120_000 };

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxTotalMs: 30_000 };

/** Statuses that say "try again later" rather than "this request is wrong". */
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** Failures to connect or to get a response at all; nothing reached the model, so retrying is safe. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Error bodies are read up to this many characters: enough for any message, not a runaway page. */
const ERROR_BODY_LIMIT = 64 * 1024;

/** The most a whole answer body (a non-streamed completion, a Segmind answer) may weigh: the 5 MB test answer fits. */
export const BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** The most a balance or key check body may weigh: they are a few hundred bytes. */
export const SMALL_BODY_LIMIT_BYTES = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// Dispatchers: one per proxy setting, reused so connections stay alive between requests.

const proxyDispatchers = new Map<string, Dispatcher>();
/** The dispatcher that follows the environment, and the environment it was made for. */
let environment: { readonly key: string; readonly dispatcher: Dispatcher } | undefined;

/**
 * The dispatcher for an explicit proxy URL (`ProxyAgent`), or else the one that follows
 * HTTPS_PROXY/HTTP_PROXY/NO_PROXY. The environment is read on every call (four variables, cheap
 * next to a request) and a changed proxy gets a new dispatcher. With no proxy variable set it is a
 * plain `Agent`: what `EnvHttpProxyAgent` goes direct with anyway, without its parsing of the
 * origin and NO_PROXY on every request.
 */
export function dispatcherFor(proxy: string | undefined): Dispatcher {
  const explicit = proxy?.trim();
  if (explicit) {
    let dispatcher = proxyDispatchers.get(explicit);
    if (!dispatcher) {
      dispatcher = proxyAgent(explicit);
      proxyDispatchers.set(explicit, dispatcher);
    }
    return dispatcher;
  }
  const env = process.env;
  // The same precedence as EnvHttpProxyAgent: lower case first, an empty value means none.
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY ?? '';
  const httpsProxy = env.https_proxy ?? env.HTTPS_PROXY ?? '';
  // NO_PROXY is not part of the key: EnvHttpProxyAgent re-reads it itself when it changes.
  const key = httpProxy || httpsProxy ? `${httpProxy}\n${httpsProxy}` : '';
  if (environment?.key === key) return environment.dispatcher;
  if (environment) void environment.dispatcher.close().catch(() => undefined);
  environment = { key, dispatcher: key ? new EnvHttpProxyAgent() : new Agent() };
  return environment.dispatcher;
}

function proxyAgent(url: string): Dispatcher {
  try {
    return new ProxyAgent(url);
  } catch {
    throw new ProviderError({
      kind: 'network',
      message: 'The proxy setting (http.proxy) is not a valid URL. Fix it in Settings, then retry.',
      nextStep: 'fixSetting',
    });
  }
}

/** Closes every pooled connection (extension deactivation, end of a test run). */
export async function closeDispatchers(): Promise<void> {
  const all = [...proxyDispatchers.values()];
  if (environment) all.push(environment.dispatcher);
  proxyDispatchers.clear();
  environment = undefined;
  await Promise.all(all.map((d) => d.destroy().catch(() => undefined)));
}

// ---------------------------------------------------------------------------------------------
// The guard: one AbortController per call, aborted by the caller's signal or by a timeout. Its
// signal goes to undici, which destroys the socket when it fires.

type TimeoutPhase = 'firstByte' | 'idle';

export class RequestGuard {
  private readonly controller = new AbortController();
  /** What undici listens to: the caller's abort and both timeouts end up here. */
  readonly signal: AbortSignal = this.controller.signal;
  private readonly timeouts: TimeoutOptions;
  /** One timer for both clocks: set once, then `refresh()`ed (re-armed without a new allocation). */
  private timer: NodeJS.Timeout | undefined;
  /** The duration the timer was made with (a refresh keeps it). */
  private timerMs = 0;
  private phase: TimeoutPhase = 'firstByte';
  private expired: TimeoutPhase | undefined;
  private settled = false;
  /** Whether any part of a response arrived: a failure after this point is not retried. */
  responded = false;

  constructor(
    private readonly userSignal: AbortSignal | undefined,
    timeouts: TimeoutOptions,
  ) {
    this.timeouts = timeouts;
    if (!userSignal) return;
    if (userSignal.aborted) this.controller.abort(userSignal.reason);
    else userSignal.addEventListener('abort', this, { once: true });
  }

  /** The caller's signal fired (the guard is its own listener: no closure per call). */
  handleEvent(): void {
    this.clearTimer();
    this.controller.abort(this.userSignal?.reason);
  }

  private onTimeout(): void {
    this.expired = this.phase;
    this.controller.abort(new Error(`${this.phase} timeout`));
  }

  /** The caller aborted: the stream ends with outcome `cancelled`, not an error. */
  get cancelled(): boolean {
    return this.userSignal?.aborted === true;
  }

  /** Which timeout fired, if one did. */
  get timedOut(): TimeoutPhase | undefined {
    return this.expired;
  }

  /** Starts the first-byte clock (connect, send, wait for headers). */
  awaitingResponse(): void {
    this.responded = false;
    this.arm('firstByte', this.timeouts.firstByteMs);
  }

  /** Headers arrived: from now on only silence between chunks counts. */
  receiving(): void {
    this.responded = true;
    this.arm('idle', this.timeouts.idleMs);
  }

  /** A chunk arrived. `refresh()` restarts the same timer object: no allocation per chunk. */
  progress(): void {
    this.timer?.refresh();
  }

  /** No clock while waiting between retries: the retry policy bounds that wait. */
  pause(): void {
    this.clearTimer();
  }

  /** The error that explains why the signal fired, for a timeout; undefined for a user abort. */
  timeoutError(provider: ProviderId): ProviderError | undefined {
    if (!this.expired) return undefined;
    return timeoutError(provider, this.expired, this.expired === 'firstByte' ? this.timeouts.firstByteMs : this.timeouts.idleMs);
  }

  /** Ends the call; when it ends early (the consumer stopped iterating), the connection is closed. */
  dispose(completed: boolean): void {
    if (this.settled) return;
    this.settled = true;
    this.clearTimer();
    this.userSignal?.removeEventListener('abort', this);
    if (!completed && !this.controller.signal.aborted) this.controller.abort(new Error('stream abandoned'));
  }

  private arm(phase: TimeoutPhase, ms: number): void {
    this.phase = phase;
    const enabled = ms > 0 && Number.isFinite(ms) && !this.controller.signal.aborted;
    // Both clocks usually have the same length (120 s): then the running timer is simply restarted.
    if (enabled && this.timer && this.timerMs === ms) {
      this.timer.refresh();
      return;
    }
    this.clearTimer();
    if (!enabled) return;
    this.timer = setTimeout(() => this.onTimeout(), ms);
    this.timer.unref();
    this.timerMs = ms;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Sending with retries.

export type ResponseBody = Dispatcher.ResponseData['body'];

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: ResponseHeaders;
  readonly body: ResponseBody;
}

export interface HttpCall {
  readonly provider: ProviderId;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Scrubbed out of every error. */
  readonly key?: string;
  /** The model's display name, for 403/404 messages. */
  readonly model?: string;
  readonly retry: RetryOptions;
  readonly dispatcher: Dispatcher;
}

/**
 * Sends the request and returns the first 2xx response, headers read and body untouched. On the way
 * it retries 429/500/502/503/504 and connection failures, with exponential backoff and full jitter,
 * at most `maxRetries` times and never past `maxTotalMs`, honouring `Retry-After`; it yields a
 * `retry` event before each wait. Retries happen only before a 2xx response, so never after any
 * text was delivered. Other statuses throw their ProviderError at once.
 */
export async function* send(call: HttpCall, guard: RequestGuard): AsyncGenerator<ChatEvent, HttpResponse, void> {
  const startedAt = Date.now();
  for (let attempt = 0; ; attempt++) {
    let failure: ProviderError;
    guard.awaitingResponse();
    try {
      const response = await request(call.url, {
        method: call.method,
        headers: call.headers,
        body: call.body,
        dispatcher: call.dispatcher,
        signal: guard.signal,
        // The guard's own clocks cover connect + headers and the gaps between chunks.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      guard.receiving();
      if (response.statusCode >= 200 && response.statusCode < 300) {
        if (!headerValue(response.headers, 'content-type')?.toLowerCase().includes('text/html')) return response;
        response.body.destroy();
        throw webPageError(call.provider);
      }
      const text = await readText(response.body, guard, ERROR_BODY_LIMIT);
      failure = fromResponse(call.provider, response.statusCode, text, response.headers, call.key, { model: call.model });
      if (!RETRYABLE_STATUS.has(response.statusCode)) throw failure;
    } catch (error) {
      if (isProviderError(error) || guard.signal.aborted || guard.responded || !isConnectionError(error)) throw error;
      failure = networkError(call.provider, error, call.key, 'connect');
    }
    guard.pause();
    const wait = retryDelay(call.retry, attempt, failure.retryAfterMs, Date.now() - startedAt);
    if (wait === undefined) throw failure;
    yield { type: 'retry', attempt: attempt + 1, delayMs: wait, reason: retryReason(failure) };
    await delay(wait, undefined, { signal: guard.signal });
  }
}

/**
 * How long to wait before retry number `attempt + 1`, or undefined to give up: when the retries are
 * spent, when the wait would pass `maxTotalMs`, or when `Retry-After` asks for longer than
 * `maxDelayMs` (better to show "wait N s" than to sit silent that long).
 */
export function retryDelay(retry: RetryOptions, attempt: number, retryAfterMs: number | undefined, elapsedMs: number): number | undefined {
  if (attempt >= retry.maxRetries) return undefined;
  if (retryAfterMs !== undefined && retryAfterMs > retry.maxDelayMs) return undefined;
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  const jittered = Math.floor(Math.random() * ceiling);
  const wait = Math.max(jittered, retryAfterMs ?? 0);
  return elapsedMs + wait > retry.maxTotalMs ? undefined : wait;
}

/** Why this failure is retried (the host words it). */
function retryReason(failure: ProviderError): RetryReason {
  if (failure.kind === 'rateLimited') return { kind: 'rateLimited', status: failure.status };
  if (failure.kind === 'server') return { kind: 'server', status: failure.status };
  return { kind: 'connection' };
}

export function isConnectionError(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  }
  return false;
}

/** Reads a body as text, refreshing the idle clock; stops (and drops the connection) past `limit` characters. */
export async function readText(body: ResponseBody, guard: RequestGuard, limit = Infinity): Promise<string> {
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    guard.progress();
    const text = decoder.decode(chunk, STREAMING);
    parts.push(text);
    length += text.length;
    if (length > limit) {
      body.destroy();
      return parts.join('');
    }
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/**
 * Reads a whole answer body as text, refreshing the idle clock; past `limitBytes` it stops, drops
 * the connection and throws `tooLargeError`, so a runaway body never sits whole in memory.
 */
export async function readBody(body: ResponseBody, guard: RequestGuard, limitBytes: number, provider: ProviderId): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    guard.progress();
    bytes += chunk.length;
    if (bytes > limitBytes) {
      body.destroy();
      throw tooLargeError(provider, limitBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, bytes).toString('utf8');
}

/** Hoisted so decoding a chunk allocates no options object. */
export const STREAMING: TextDecodeOptions = { stream: true };

/**
 * Any failure of a call as a ProviderError: the timeout that fired, a ProviderError as is, anything
 * else (socket cut, DNS, TLS, a proxy refusing) as a network error. Call only when not cancelled.
 */
export function asProviderError(error: unknown, guard: RequestGuard, provider: ProviderId, key: string | undefined): ProviderError {
  const timeout = guard.timeoutError(provider);
  if (timeout) return timeout;
  if (isProviderError(error)) return error;
  return networkError(provider, error, key, guard.responded ? 'stream' : 'connect');
}

/** Runs a generator that yields only bookkeeping events (retries) to its return value. */
export async function result<T>(generator: AsyncGenerator<ChatEvent, T, void>): Promise<T> {
  for (;;) {
    const step = await generator.next();
    if (step.done) return step.value;
  }
}
