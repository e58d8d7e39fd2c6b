// Reading the few response headers the core cares about. Header values are provider input: a
// missing, repeated or garbled header yields `undefined`, never an exception.

import type { Credits } from './types';

/** Response headers as undici hands them over (lower-case names). */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

export function headerValue(headers: ResponseHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

function headerNumber(headers: ResponseHeaders | undefined, name: string): number | undefined {
  const raw = headerValue(headers, name);
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** Segmind's `x-remaining-credits` (the balance) and `x-credits-consumed` (this request's price). */
export function creditsFromHeaders(headers: ResponseHeaders | undefined): Credits | undefined {
  const remaining = headerNumber(headers, 'x-remaining-credits');
  if (remaining === undefined) return undefined;
  const consumed = headerNumber(headers, 'x-credits-consumed');
  return consumed === undefined ? { remaining } : { remaining, consumed };
}

/**
 * `Retry-After` in milliseconds: either delay-seconds (decimals tolerated) or an HTTP date.
 * A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function retryAfterMs(headers: ResponseHeaders | undefined): number | undefined {
  return parseRetryAfter(headerValue(headers, 'retry-after'));
}
