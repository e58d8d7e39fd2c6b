// Reading the few response headers the core cares about. Header values are provider input: a
// missing, repeated or garbled header yields `undefined`, never an exception.

import type { Credits } from './types';

/** Response headers as undici hands them over (lower-case names). */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

export function headerValue(headers: ResponseHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A plain decimal such as `25.0173` or `-0.5`: `Number()` alone would also take `0x10`, `1e308`,
 * `Infinity` and padding, none of which a balance is.
 */
const DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;

function headerNumber(headers: ResponseHeaders | undefined, name: string): number | undefined {
  const raw = headerValue(headers, name)?.trim();
  return raw !== undefined && DECIMAL.test(raw) ? Number(raw) : undefined;
}

/** Segmind's `x-remaining-credits` (the balance) and `x-credits-consumed` (this request's price). */
export function creditsFromHeaders(headers: ResponseHeaders | undefined): Credits | undefined {
  const remaining = headerNumber(headers, 'x-remaining-credits');
  if (remaining === undefined) return undefined;
  const consumed = headerNumber(headers, 'x-credits-consumed');
  return consumed === undefined ? { remaining } : { remaining, consumed };
}

/** A longer wait than this is not a number worth showing ("Wait 1e+23 s"): it reads as no advice. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * `Retry-After` in milliseconds: either delay-seconds (decimals tolerated) or an HTTP date.
 * A date in the past means "now" (0); more than a day away means nothing.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Math.round(Number(text) * 1000);
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now);
  }
  return ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}

export function retryAfterMs(headers: ResponseHeaders | undefined): number | undefined {
  return parseRetryAfter(headerValue(headers, 'retry-after'));
}
