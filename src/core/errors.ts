import type { ProviderId } from './types';

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

/** A next step the UI offers as a button beside the message. */
export type ErrorAction = 'setApiKey' | 'retry' | 'selectModel' | 'openBilling' | 'openSettings' | 'showLog';

export interface ProviderErrorInit {
  readonly kind: ErrorKind;
  readonly provider?: ProviderId;
  /** Short, says what to do next. Shown to the user. */
  readonly message: string;
  /** The provider's own words, kept for the details view. */
  readonly detail?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly actions?: readonly ErrorAction[];
  /** Where to top up, for `outOfCredits`. */
  readonly billingUrl?: string;
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
  readonly actions: readonly ErrorAction[];
  readonly billingUrl?: string;

  constructor(init: ProviderErrorInit) {
    super(init.message);
    this.name = 'ProviderError';
    this.kind = init.kind;
    this.provider = init.provider;
    this.detail = init.detail;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.actions = init.actions ?? defaultActions(init.kind);
    this.billingUrl = init.billingUrl;
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
      actions: this.actions,
      billingUrl: this.billingUrl,
    };
  }
}

export function defaultActions(kind: ErrorKind): readonly ErrorAction[] {
  switch (kind) {
    case 'badKey':
    case 'noKey':
    case 'forbidden':
      return ['setApiKey', 'retry'];
    case 'outOfCredits':
      return ['openBilling', 'retry'];
    case 'unknownModel':
    case 'unsupported':
      return ['selectModel'];
    case 'validation':
      return ['retry', 'showLog'];
    case 'network':
      return ['retry', 'openSettings'];
    case 'cancelled':
      return [];
    default:
      return ['retry'];
  }
}

/** Removes every occurrence of each secret from a text (provider messages sometimes echo the key). */
export function redact(text: string, ...secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError;
}
