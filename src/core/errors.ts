import { creditsFromHeaders, retryAfterMs, type ResponseHeaders } from './headers';
import { providerInfo, providerMention, providerName, providerSubject } from './providerTable';
import type { Credits, ProviderId } from './types';

export type ErrorKind =
  | 'badKey'
  | 'forbidden'
  | 'unknownModel'
  | 'outOfCredits'
  | 'validation'
  | 'rateLimited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'protocol'
  /** Refused before any request: e.g. an image for a model that cannot see, or no key set. */
  | 'unsupported'
  | 'noKey';

/**
 * Where the way past an error lies, as data, when the kind alone does not say it. The host names
 * its own command or setting for it and picks the buttons (src/extension/errorWords.ts): the core
 * names no part of VS Code. Steps marked "worded by the host" are left out of `message`, which the
 * host completes; the others are already said there and only choose the buttons.
 */
export type NextStep =
  /** No key is set: set one (worded by the host). */
  | 'setKey'
  /** The key was rejected: set a new one (worded by the host). */
  | 'replaceKey'
  /** The key may not use the model: check the account, or set another key (worded by the host). */
  | 'checkKeyAccess'
  /** No such model: pick another, or check the base URL (worded by the host). */
  | 'pickModel'
  /** The provider retired the model (410): pick another (worded by the host). */
  | 'pickOtherModel'
  /** Our own clock ran out: retry, or raise the timeout (worded by the host). */
  | 'raiseTimeout'
  /** An endpoint of the provider's own was not there: the base URL setting is wrong (worded by the host). */
  | 'fixBaseUrl'
  /** A setting is wrong (the proxy, the base URL): the message says which. */
  | 'fixSetting'
  /** The response may be from the wrong address: retry, or check the settings. */
  | 'retryOrSettings'
  /** Unreadable output: retry; the log tells more. */
  | 'retryOrLog'
  /** The request itself must change (the image, the tools): nothing to click. */
  | 'changeRequest';

export interface ProviderErrorInit {
  readonly kind: ErrorKind;
  readonly provider?: ProviderId;
  /** Short, says what to do next. Shown to the user. */
  readonly message: string;
  /** The provider's own words, kept for the details view. */
  readonly detail?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly nextStep?: NextStep;
  /** Where to top up, for `outOfCredits`. */
  readonly billingUrl?: string;
  /** The balance the failed response reported (Segmind sends it on errors too), so the status bar stays current. */
  readonly credits?: Credits;
}

/**
 * The one error type of the core. It carries no request, headers or config, so it cannot leak a
 * key; `detail` is scrubbed of the key by whoever builds it (see `redact`).
 */
export class ProviderError extends Error {
  readonly kind: ErrorKind;
  readonly provider?: ProviderId;
  readonly detail?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly nextStep?: NextStep;
  readonly billingUrl?: string;
  readonly credits?: Credits;

  constructor(init: ProviderErrorInit) {
    super(init.message);
    this.name = 'ProviderError';
    this.kind = init.kind;
    this.provider = init.provider;
    this.detail = init.detail;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.nextStep = init.nextStep;
    this.billingUrl = init.billingUrl;
    this.credits = init.credits;
  }

  /** A plain object safe to post to the webview or persist. */
  toJSON(): ProviderErrorInit {
    return {
      kind: this.kind,
      provider: this.provider,
      message: this.message,
      detail: this.detail,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      nextStep: this.nextStep,
      billingUrl: this.billingUrl,
      credits: this.credits,
    };
  }
}

/** Removes every occurrence of each secret from a text (provider messages sometimes echo the key), and any piece of it. */
export function redact(text: string, ...secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = redactPieces(out.split(secret).join('[redacted]'), secret);
  }
  return out;
}

/** The shortest run of a key's characters that counts as a piece of it. */
const KEY_PIECE_CHARS = 6;
/** The shortest start of a key redacted at the very end of a text (a body cut inside the key). */
const KEY_EDGE_CHARS = 3;

/**
 * A key can arrive in pieces: split by an HTML tag (`sk-abc<wbr>def`), or cut where a body or a
 * sample was cut. Every run of `KEY_PIECE_CHARS` or more characters that occurs in the key is
 * redacted, and so is a text's end that is the start of the key.
 */
function redactPieces(text: string, key: string): string {
  if (key.length < KEY_PIECE_CHARS) return text;
  const pieces = new Set<string>();
  for (let i = 0; i + KEY_PIECE_CHARS <= key.length; i++) pieces.add(key.slice(i, i + KEY_PIECE_CHARS));
  let out = '';
  let kept = 0;
  for (let i = 0; i + KEY_PIECE_CHARS <= text.length; ) {
    if (!pieces.has(text.slice(i, i + KEY_PIECE_CHARS))) {
      i++;
      continue;
    }
    let end = i + KEY_PIECE_CHARS;
    while (end < text.length && key.includes(text.slice(i, end + 1))) end++;
    out += `${text.slice(kept, i)}[redacted]`;
    kept = end;
    i = end;
  }
  out += text.slice(kept);
  for (let n = Math.min(KEY_PIECE_CHARS - 1, out.length); n >= KEY_EDGE_CHARS; n--) {
    if (out.endsWith(key.slice(0, n))) return `${out.slice(0, -n)}[redacted]`;
  }
  return out;
}

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError;
}

// ---------------------------------------------------------------------------------------------
// Mapping what the network hands us to ProviderErrors. Every message is ours (short, with the
// next step); the provider's own words go to `detail`, truncated and scrubbed of the key.

/** Where the provider's account is topped up, named in `outOfCredits` errors. */
export function billingUrl(provider: ProviderId): string | undefined {
  return providerInfo(provider).billing?.url;
}

/** Longest `detail` kept: enough for a validation message, not a whole HTML error page. */
export const DETAIL_LIMIT = 500;

const subject = providerSubject;
const mention = providerMention;

export interface ResponseContext {
  /** The model's display name, for 404 and 403 messages. */
  readonly model?: string;
}

export function kindForStatus(provider: ProviderId, status: number): ErrorKind {
  const quirk = providerInfo(provider).statusKinds?.[status];
  if (quirk) return quirk;
  switch (status) {
    case 401:
      return 'badKey';
    case 402:
      return 'outOfCredits';
    case 403:
      return 'forbidden';
    case 404:
    case 410:
      // 410 Gone: a model the provider has retired.
      return 'unknownModel';
    case 408:
      return 'timeout';
    case 429:
      return 'rateLimited';
    default:
      if (status >= 500) return 'server';
      if (status >= 400) return 'validation';
      return 'protocol';
  }
}

/** A non-2xx response as a ProviderError. `body` is the response text, possibly truncated. */
export function fromResponse(
  provider: ProviderId,
  status: number,
  body: string,
  headers: ResponseHeaders | undefined,
  key?: string,
  context: ResponseContext = {},
): ProviderError {
  const kind = kindForStatus(provider, status);
  const name = subject(provider);
  const model = context.model ? `“${context.model}”` : undefined;
  const retryAfter = retryAfterMs(headers);
  const billing = kind === 'outOfCredits' ? providerInfo(provider).billing : undefined;
  const billingUrl = billing?.url;
  let message: string;
  let nextStep: NextStep | undefined;
  switch (kind) {
    case 'badKey':
      message = `${name} rejected the API key.`;
      nextStep = 'replaceKey';
      break;
    case 'forbidden':
      message = `${name} refused access to ${model ?? 'this model'} (HTTP 403).`;
      nextStep = 'checkKeyAccess';
      break;
    case 'unknownModel':
      if (status === 410) {
        message = `${name} has retired ${model ?? 'this model'} (HTTP 410).`;
        nextStep = 'pickOtherModel';
      } else {
        message = `${name} has no model ${model ?? 'by that name'} (HTTP 404).`;
        nextStep = 'pickModel';
      }
      break;
    case 'outOfCredits':
      message = billing
        ? `${name} says the account is ${billing.state}: ${billing.remedy} at ${billing.url}, then retry.`
        : `${name} says the account is out of credits (HTTP ${status}). Top it up, then retry.`;
      break;
    case 'validation':
      message = `${name} rejected the request as invalid (HTTP ${status}). See the details, change the message or the model, then retry.`;
      break;
    case 'rateLimited':
      message =
        retryAfter !== undefined && retryAfter > 0
          ? `${name} is limiting the request rate. Wait ${waitText(retryAfter)}, then retry.`
          : `${name} is limiting the request rate. Wait a moment, then retry.`;
      break;
    case 'server':
      message = `${name} had a server error (HTTP ${status}). Retry in a moment.`;
      break;
    case 'timeout':
      message = `${name} gave up on the request (HTTP ${status}). Retry in a moment.`;
      break;
    default:
      message = `${name} answered with an unexpected HTTP ${status}. Check the base URL setting, then retry.`;
  }
  return new ProviderError({
    kind,
    provider,
    message,
    detail: providerDetail(body, key),
    status,
    retryAfterMs: retryAfter,
    nextStep,
    billingUrl,
    credits: creditsFromHeaders(headers),
  });
}

/**
 * The provider's own words from an error body: DeepInfra's four shapes
 * (`{"detail":[{loc,msg,type}]}`, `{"detail":"…"}`, `{"error":{"message"}}`, `{"error":"…"}`),
 * Segmind's `{"error":"…"}`, the in-stream `{"error_type","error_message"}`, or plain text/HTML.
 */
export function providerDetail(body: string, key?: string): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  let detail: string | undefined;
  if (text.startsWith('{') || text.startsWith('[') || text.startsWith('"')) {
    try {
      detail = detailFromJson(JSON.parse(text));
    } catch {
      // Not JSON after all: fall through to plain text.
    }
  }
  // Redacted before tags are stripped and before the cut, so neither can split the key out of reach.
  if (detail === undefined) {
    const plain = redact(text, key);
    detail = plain.startsWith('<') ? plain.replace(/<[^>]*>/g, ' ') : plain;
  }
  return truncate(redact(detail.replace(/\s+/g, ' ').trim(), key), DETAIL_LIMIT) || undefined;
}

function detailFromJson(json: unknown): string | undefined {
  if (typeof json === 'string') return json;
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  if (Array.isArray(o.detail)) {
    return o.detail
      .map((item) => {
        if (typeof item !== 'object' || item === null) return String(item);
        const { loc, msg } = item as { loc?: unknown; msg?: unknown };
        const where = Array.isArray(loc) ? loc.join('.') : undefined;
        const what = typeof msg === 'string' ? msg : JSON.stringify(item);
        return where ? `${where}: ${what}` : what;
      })
      .join('; ');
  }
  if (typeof o.detail === 'string') return o.detail;
  if (typeof o.error === 'string') return o.error;
  if (typeof o.error === 'object' && o.error !== null) {
    const e = o.error as Record<string, unknown>;
    if (typeof e.message === 'string') return e.message;
    return JSON.stringify(e);
  }
  if (typeof o.error_message === 'string') {
    return typeof o.error_type === 'string' ? `${o.error_type}: ${o.error_message}` : o.error_message;
  }
  if (typeof o.message === 'string') return o.message;
  return JSON.stringify(o);
}

/** A wait as a person reads it: "30 s", "10 min", "3 h" (Retry-After is capped at a day when parsed). */
function waitText(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.ceil(minutes / 60)} h`;
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Node and undici error codes worth showing to the user (never a message that might echo a URL with a key). */
function errorCode(cause: unknown): string | undefined {
  for (let e = cause, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) {
    const code = errorCode(cause);
    const inner = cause.cause instanceof Error && cause.cause.message !== cause.message ? ` (${cause.cause.message})` : '';
    return `${code ? `${code}: ` : ''}${cause.message}${inner}`;
  }
  return String(cause);
}

/**
 * The connection failed: before any response (`connect`) or while the answer was streaming in
 * (`stream`, e.g. the socket was cut, or the body ended before the answer was complete).
 */
export function networkError(provider: ProviderId, cause: unknown, key: string | undefined, phase: 'connect' | 'stream'): ProviderError {
  const name = mention(provider);
  const code = errorCode(cause);
  const message =
    phase === 'connect'
      ? `Could not reach ${name}${code ? ` (${code})` : ''}. Check the network, the proxy and the base URL setting, then retry.`
      : `The connection to ${name} broke before the answer was complete. Retry to get the whole answer.`;
  return new ProviderError({
    kind: 'network',
    provider,
    message,
    detail: truncate(redact(causeText(cause), key), DETAIL_LIMIT),
  });
}

/**
 * A GET to one of the provider's own endpoints (the key check, the balance) found nothing there
 * (HTTP 404): no model was asked for, so the address is what is wrong.
 */
export function wrongBaseUrlError(provider: ProviderId, cause: ProviderError): ProviderError {
  return new ProviderError({
    kind: cause.kind,
    provider,
    message: `${subject(provider)} has nothing at this address (HTTP 404): the base URL looks wrong.`,
    detail: cause.detail,
    status: cause.status,
    nextStep: 'fixBaseUrl',
    credits: cause.credits,
  });
}

export function timeoutError(provider: ProviderId, phase: 'firstByte' | 'idle', ms: number): ProviderError {
  const name = subject(provider);
  const seconds = ms < 1000 ? `${ms} ms` : ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
  const message =
    phase === 'firstByte'
      ? `${name} did not answer within ${seconds}.`
      : `${name} went silent for ${seconds} in the middle of the answer.`;
  return new ProviderError({ kind: 'timeout', provider, message, nextStep: 'raiseTimeout' });
}

/** How much of an unreadable response is kept in `detail`. */
const SAMPLE_CHARS = 200;

/**
 * The response could not be read: a malformed frame or body. `sample` is the offending text, uncut:
 * the key is removed before it is cut to `SAMPLE_CHARS`, so the cut cannot leave part of a key.
 */
export function protocolError(provider: ProviderId, what: string, sample: string | undefined, key: string | undefined): ProviderError {
  return new ProviderError({
    kind: 'protocol',
    provider,
    message: `${subject(provider)} sent a response Vision Chat could not read (${what}). Retry; if it keeps happening, show the log.`,
    detail: sample === undefined ? undefined : truncate(redact(sample.slice(0, SAMPLE_CHARS + 2 * (key?.length ?? 0)), key), SAMPLE_CHARS),
    nextStep: 'retryOrLog',
  });
}

/** "8 MB", "64 KB": how the limits below read in a message. */
export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** A body past its limit: reading stopped there, so it cannot fill the memory of the extension host. */
export function tooLargeError(provider: ProviderId, limitBytes: number): ProviderError {
  return new ProviderError({
    kind: 'protocol',
    provider,
    message: `${subject(provider)} sent a response larger than ${sizeText(limitBytes)}, more than any answer needs; Vision Chat stopped reading it. Check the base URL setting, then retry.`,
    nextStep: 'retryOrSettings',
  });
}

/**
 * A 2xx answer that is an HTML page: a captive portal (hotel or airport Wi-Fi) or a proxy's login
 * page sits between the user and the provider. Said as such, not as a broken connection.
 */
export function webPageError(provider: ProviderId): ProviderError {
  return new ProviderError({
    kind: 'network',
    provider,
    message: `${subject(provider)} sent a web page instead of an answer: a network sign-in page (Wi-Fi, hotel, proxy login) may be in the way. Sign in from a browser, or check the base URL setting, then retry.`,
  });
}

/**
 * An error frame inside a stream: `{"error_type","error_message"}` or `{"error":{…}}` / `{"error":"…"}`.
 * A numeric `code` that is an HTTP status decides the kind; otherwise it is the server's fault.
 */
export function streamErrorFrame(provider: ProviderId, frame: Record<string, unknown>, key: string | undefined): ProviderError {
  const error = frame.error;
  const code =
    typeof error === 'object' && error !== null ? Number((error as Record<string, unknown>).code ?? (error as Record<string, unknown>).status) : NaN;
  const status = Number.isInteger(code) && code >= 400 && code < 600 ? code : undefined;
  const kind = status === undefined ? 'server' : kindForStatus(provider, status);
  const name = subject(provider);
  const said = kind === 'server' ? undefined : fromResponse(provider, status ?? 500, '', undefined, key);
  return new ProviderError({
    kind,
    provider,
    message: said?.message ?? `${name} stopped the answer with an error. Retry in a moment.`,
    detail: providerDetail(JSON.stringify(frame), key),
    status,
    nextStep: said?.nextStep,
    billingUrl: kind === 'outOfCredits' ? billingUrl(provider) : undefined,
  });
}

export function noKeyError(provider: ProviderId): ProviderError {
  return new ProviderError({
    kind: 'noKey',
    provider,
    message: `No ${providerName(provider)} API key is set.`,
    nextStep: 'setKey',
  });
}

/** For calls that return a promise (checkKey, getCredits): a stream ends with outcome `cancelled` instead. */
export function cancelledError(provider: ProviderId): ProviderError {
  return new ProviderError({ kind: 'cancelled', provider, message: 'Cancelled.' });
}
