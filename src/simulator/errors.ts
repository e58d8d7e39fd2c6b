// Error bodies in each provider's documented shapes. DeepInfra uses four, so clients must read all
// of them; the simulator picks the one DeepInfra uses for each status, or the one a test asks for
// with `x-sim-error-shape`.

export type ErrorShape = 'detail-list' | 'detail' | 'error-object' | 'error-string';

export const ERROR_SHAPES: readonly ErrorShape[] = ['detail-list', 'detail', 'error-object', 'error-string'];

export interface SimError {
  readonly status: number;
  readonly message: string;
  /** Where a validation error points, for the `detail-list` shape. */
  readonly loc?: readonly (string | number)[];
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Bad request.',
  401: 'API key rejected: it is missing, wrong or revoked.',
  402: 'Not enough balance. Add funds to your account to continue.',
  403: 'Forbidden: this key may not use this model.',
  404: 'Model not found.',
  405: 'Method not allowed.',
  406: 'Not enough credits. Top up your Segmind account to continue.',
  413: 'Request body too large (at most 30 MB).',
  422: 'Validation error: the request body is not valid for this model.',
  429: 'Rate limited',
  500: 'Internal server error.',
  502: 'Bad gateway: the model backend did not answer.',
  503: 'Service unavailable: the model is overloaded, try again shortly.',
  504: 'Gateway timeout: the model took too long to answer.',
};

export function defaultMessage(status: number): string {
  return DEFAULT_MESSAGES[status] ?? `HTTP ${status}`;
}

/** Segmind documents one shape: `{"error": "message"}`. */
export function segmindErrorBody(error: SimError): unknown {
  return { error: error.message };
}

/** The shape DeepInfra uses for a status, as its documentation and clients show. */
export function deepinfraShapeFor(status: number): ErrorShape {
  if (status === 422) return 'detail-list';
  if (status === 429 || status === 404 || status === 402) return 'detail';
  if (status >= 500) return 'error-string';
  return 'error-object';
}

export function isErrorShape(value: unknown): value is ErrorShape {
  return typeof value === 'string' && (ERROR_SHAPES as readonly string[]).includes(value);
}

export function deepinfraErrorBody(error: SimError, shape: ErrorShape): unknown {
  switch (shape) {
    case 'detail-list':
      return { detail: [{ loc: error.loc ?? ['body'], msg: error.message, type: 'value_error' }] };
    case 'detail':
      return { detail: error.message };
    case 'error-object':
      return { error: { message: error.message, type: errorType(error.status), code: errorCode(error.status) } };
    case 'error-string':
      return { error: error.message };
  }
}

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function errorCode(status: number): string | number {
  if (status === 401) return 'invalid_api_key';
  return status;
}
