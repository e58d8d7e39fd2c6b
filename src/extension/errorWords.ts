// The host's side of the core's errors, retries and early ends: the words that name our commands
// and settings, the buttons offered beside each error, what a retry and a cut answer say. The core
// says what happened and, as data (`nextStep`, `RetryReason`, `finishReason`), where the way past
// it lies; this is the one place that turns that into words and buttons.

import { isProviderError, type ErrorKind, type ProviderError } from '../core/errors';
import { providerInfo } from '../core/providerTable';
import { ANSWER_LIMIT_CHARS, ANSWER_LIMIT_REASON, REASONING_LIMIT_CHARS, REASONING_LIMIT_REASON, type RetryReason } from '../core/types';
import type { ErrorAction, ViewError } from '../protocol';

const SET_KEY = 'Vision Chat: Set API Key…';
const SELECT_MODEL = 'Vision Chat: Select Model…';
const TIMEOUT_SETTING = 'visionChat.requestTimeoutSeconds';

/** The error's message with the next step the host words (a command title, a setting name) added. */
export function errorText(error: ProviderError): string {
  const step = nextStepText(error);
  return step ? `${error.message} ${step}` : error.message;
}

function nextStepText(error: ProviderError): string | undefined {
  switch (error.nextStep) {
    case 'setKey':
      return `Set one with ${SET_KEY}`;
    case 'replaceKey':
      return `Set a new one with ${SET_KEY}`;
    case 'checkKeyAccess':
      return `Check the account's permissions, or set another key with ${SET_KEY}`;
    case 'pickModel':
      return `Pick another with ${SELECT_MODEL}, or check the base URL setting.`;
    case 'pickOtherModel':
      return `Pick another with ${SELECT_MODEL}.`;
    case 'raiseTimeout':
      return `Retry, or raise the ${TIMEOUT_SETTING} setting.`;
    case 'fixBaseUrl':
      return error.provider ? `Check the visionChat.${providerInfo(error.provider).baseUrl.setting} setting, then retry.` : 'Check the base URL setting, then retry.';
    case 'fixSetting':
    case 'retryOrSettings':
    case 'retryOrLog':
    case 'changeRequest':
    case undefined:
      return undefined;
  }
}

/** The buttons beside an error, in the order shown: chosen by its next step, else by its kind. */
export function errorActions(error: Pick<ProviderError, 'kind' | 'nextStep'>): readonly ErrorAction[] {
  switch (error.nextStep) {
    case 'fixBaseUrl':
      return ['openSettings', 'retry'];
    case 'fixSetting':
      return ['openSettings'];
    case 'retryOrSettings':
      return ['retry', 'openSettings'];
    case 'retryOrLog':
      return ['retry', 'showLog'];
    case 'changeRequest':
      return [];
    default:
      return actionsForKind(error.kind);
  }
}

function actionsForKind(kind: ErrorKind): readonly ErrorAction[] {
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

/** "rate limited (HTTP 429)", "server error (HTTP 503)", "connection failed": a retry's reason in a few words. */
export function retryReasonText(reason: RetryReason): string {
  const status = 'status' in reason && reason.status !== undefined ? ` (HTTP ${reason.status})` : '';
  switch (reason.kind) {
    case 'rateLimited':
      return `rate limited${status}`;
    case 'server':
      return `server error${status}`;
    case 'connection':
      return 'connection failed';
  }
}

/** The note under an answer while a retry waits: "Rate limited, retrying in 2 s…", "Server error (HTTP 503), retrying in 1 s…". */
export function retryNote(reason: RetryReason, delayMs: number): string {
  const seconds = Math.max(1, Math.round(delayMs / 1000));
  const what = reason.kind === 'rateLimited' ? 'rate limited' : retryReasonText(reason);
  return `${what.charAt(0).toUpperCase()}${what.slice(1)}, retrying in ${seconds} s…`;
}

/** What the view shows for an error: the core's words and next steps, never a request or a key. */
export function toViewError(e: unknown): ViewError {
  if (isProviderError(e)) {
    return {
      kind: e.kind,
      message: errorText(e),
      ...(e.detail ? { detail: e.detail } : {}),
      actions: [...errorActions(e)],
      ...(e.billingUrl ? { billingUrl: e.billingUrl } : {}),
    };
  }
  return {
    kind: 'protocol',
    message: 'Something went wrong while getting the answer. Retry, or open the log for details.',
    actions: ['retry', 'showLog'],
  };
}

/** The line under an answer that ended early for a reason the user can act on or should know. */
export function endNoteFor(finishReason: string | undefined): string | undefined {
  if (finishReason === 'length') return 'The answer reached the length limit (setting visionChat.maxTokens).';
  if (finishReason === REASONING_LIMIT_REASON) {
    return `The model's thinking passed ${REASONING_LIMIT_CHARS / 1_000_000} million characters without an answer, so it was stopped there; what it thought is kept. Regenerate, or pick another model.`;
  }
  if (finishReason === ANSWER_LIMIT_REASON) {
    return `The answer passed ${ANSWER_LIMIT_CHARS / 1_000_000} million characters, far beyond any real answer, and was cut there; the text above is kept.`;
  }
  return undefined;
}
