// The host's side of the core's errors and retries: the words that name our commands and settings,
// the buttons offered beside each error, and what a retry says. The core says what happened and,
// as data (`nextStep`, `RetryReason`), where the way past it lies; this is the one place that turns
// that into words and buttons.

import type { ErrorKind, ProviderError } from '../core/errors';
import type { RetryReason } from '../core/types';
import { providerInfo } from '../core/providerTable';
import type { ErrorAction } from '../protocol';

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
