import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import {
  DETAIL_LIMIT,
  ProviderError,
  cancelledError,
  fromResponse,
  networkError,
  noKeyError,
  protocolError,
  providerDetail,
  redact,
  streamErrorFrame,
  timeoutError,
  type ErrorKind,
} from '../../../src/core/errors';
import { creditsFromHeaders, parseRetryAfter } from '../../../src/core/headers';
import type { ProviderId } from '../../../src/core/types';
import { errorActions, errorText } from '../../../src/extension/errorWords';

const KEY = 'sk-live-0123456789abcdef';

describe('core/errors', () => {
  describe('fromResponse: status to kind and next step', () => {
    const table: [ProviderId, number, ErrorKind][] = [
      ['segmind', 400, 'validation'],
      ['segmind', 401, 'badKey'],
      ['segmind', 403, 'forbidden'],
      ['segmind', 404, 'unknownModel'],
      ['segmind', 406, 'outOfCredits'],
      ['segmind', 422, 'validation'],
      ['segmind', 429, 'rateLimited'],
      ['segmind', 500, 'server'],
      ['segmind', 502, 'server'],
      ['segmind', 504, 'server'],
      ['deepinfra', 402, 'outOfCredits'],
      ['deepinfra', 406, 'validation'],
      ['deepinfra', 503, 'server'],
      ['openaiCompatible', 402, 'outOfCredits'],
      ['openaiCompatible', 405, 'validation'],
    ];
    for (const [provider, status, kind] of table) {
      it(`${provider} ${status} → ${kind}`, () => {
        const error = fromResponse(provider, status, '', {});
        assert.equal(error.kind, kind);
        assert.equal(error.status, status);
        assert.equal(error.provider, provider);
      });
    }

    it('tells a Segmind user out of credits where to top up', () => {
      const error = fromResponse('segmind', 406, '{"error":"Not enough credits"}', { 'x-remaining-credits': '0.0' });
      assert.equal(error.message, 'Segmind says the account is out of credits: top up at https://cloud.segmind.com/console/billing, then retry.');
      assert.equal(error.billingUrl, 'https://cloud.segmind.com/console/billing');
      assert.deepEqual(errorActions(error), ['openBilling', 'retry']);
      assert.equal(error.detail, 'Not enough credits');
    });

    it('treats DeepInfra 402 as out of balance, with its billing page', () => {
      const error = fromResponse('deepinfra', 402, '{"detail":"Payment required"}', {});
      assert.equal(error.kind, 'outOfCredits');
      assert.match(error.message, /^DeepInfra says the account is out of balance: add funds at https:\/\/deepinfra\.com\/dash\/billing, then retry\.$/);
    });

    it('sends a rejected key to Set API Key', () => {
      const error = fromResponse('deepinfra', 401, '', {});
      assert.equal(error.message, 'DeepInfra rejected the API key.', 'the core names no command');
      assert.equal(error.nextStep, 'replaceKey');
      assert.equal(errorText(error), 'DeepInfra rejected the API key. Set a new one with Vision Chat: Set API Key…');
      assert.deepEqual(errorActions(error), ['setApiKey', 'retry']);
    });

    it('names the model a 404 is about', () => {
      const error = fromResponse('segmind', 404, '{"error":"Not found"}', {}, undefined, { model: 'Llama 3.2 11B Vision Instruct' });
      assert.match(errorText(error), /Segmind has no model “Llama 3\.2 11B Vision Instruct” \(HTTP 404\)\. Pick another with Vision Chat: Select Model…/);
    });

    it('says how long a rate limit asks to wait', () => {
      const error = fromResponse('deepinfra', 429, '{"detail":"Rate limited"}', { 'retry-after': '7' });
      assert.equal(error.retryAfterMs, 7000);
      assert.match(error.message, /Wait 7 s, then retry/);
    });

    it('keeps the balance a failed Segmind response reported', () => {
      const error = fromResponse('segmind', 406, '{"error":"x"}', { 'x-remaining-credits': '-0.25' });
      assert.deepEqual(error.credits, { remaining: -0.25 });
      assert.deepEqual(error.toJSON().credits, { remaining: -0.25 });
    });
  });

  describe("the provider's own words in detail", () => {
    const shapes: [string, string, string][] = [
      ['DeepInfra 422 detail list', '{"detail":[{"loc":["body","messages",0,"content"],"msg":"field required","type":"value_error.missing"},{"loc":["body","model"],"msg":"bad model","type":"x"}]}', 'body.messages.0.content: field required; body.model: bad model'],
      ['DeepInfra detail string', '{"detail":"Rate limited"}', 'Rate limited'],
      ['DeepInfra error object', '{"error":{"message":"Invalid API key","type":"invalid_request_error","code":401}}', 'Invalid API key'],
      ['DeepInfra/Segmind error string', '{"error":"Internal Server Error"}', 'Internal Server Error'],
      ['stream error frame', '{"error_type":"overloaded_error","error_message":"Model is overloaded"}', 'overloaded_error: Model is overloaded'],
      ['plain text', 'Bad Gateway\n', 'Bad Gateway'],
      ['an HTML error page', '<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>', '502 Bad Gateway nginx'],
      ['text that only looks like JSON', '{oops', '{oops'],
    ];
    for (const [label, body, detail] of shapes) {
      it(`reads ${label}`, () => assert.equal(providerDetail(body), detail));
    }

    it('has no detail for an empty body', () => assert.equal(providerDetail('  '), undefined));

    it('truncates a long body', () => {
      const detail = providerDetail(`{"error":"${'x'.repeat(10_000)}"}`);
      assert.equal(detail?.length, DETAIL_LIMIT);
      assert.ok(detail?.endsWith('…'));
    });
  });

  describe('headers', () => {
    it('parses Retry-After as seconds or as an HTTP date', () => {
      const now = Date.parse('2025-01-01T00:00:00Z');
      assert.equal(parseRetryAfter('2', now), 2000);
      assert.equal(parseRetryAfter('0.5', now), 500);
      assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
      assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0);
      assert.equal(parseRetryAfter('soon', now), undefined);
      assert.equal(parseRetryAfter(undefined, now), undefined);
    });

    it('reads credits only when the balance is a number', () => {
      assert.deepEqual(creditsFromHeaders({ 'x-remaining-credits': '12.5', 'x-credits-consumed': '0.003' }), { remaining: 12.5, consumed: 0.003 });
      assert.equal(creditsFromHeaders({ 'x-remaining-credits': 'n/a' }), undefined);
      assert.equal(creditsFromHeaders({ 'x-credits-consumed': '1' }), undefined);
    });
  });

  describe('the key appears in no error', () => {
    const echo = `{"error":{"message":"Incorrect API key provided: ${KEY}. Bearer ${KEY}"}}`;
    const errors: [string, ProviderError][] = [];
    for (const status of [400, 401, 402, 403, 404, 406, 408, 422, 429, 500, 502, 503, 504, 302]) {
      errors.push([`HTTP ${status}`, fromResponse('deepinfra', status, echo, { 'retry-after': '1' }, KEY)]);
      errors.push([`Segmind HTTP ${status}`, fromResponse('segmind', status, `{"error":"key ${KEY} refused"}`, {}, KEY)]);
    }
    errors.push(['network (connect)', networkError('segmind', Object.assign(new Error(`connect ECONNREFUSED for ${KEY}`), { code: 'ECONNREFUSED' }), KEY, 'connect')]);
    errors.push(['network (stream)', networkError('deepinfra', new Error(`socket closed ${KEY}`, { cause: new Error(`inner ${KEY}`) }), KEY, 'stream')]);
    errors.push(['timeout', timeoutError('deepinfra', 'idle', 1500)]);
    errors.push(['protocol', protocolError('deepinfra', 'a malformed event', `{"echo":"${KEY}"`, KEY)]);
    errors.push(['stream error frame', streamErrorFrame('deepinfra', { error_type: 'x', error_message: `bad ${KEY}` }, KEY)]);
    errors.push(['stream error object', streamErrorFrame('deepinfra', { error: { message: `bad ${KEY}`, code: 429 } }, KEY)]);
    errors.push(['noKey', noKeyError('segmind')]);
    errors.push(['cancelled', cancelledError('segmind')]);

    it('covers every kind a response or a connection can produce', () => {
      const kinds = new Set(errors.map(([, e]) => e.kind));
      for (const kind of ['badKey', 'forbidden', 'unknownModel', 'outOfCredits', 'validation', 'rateLimited', 'server', 'network', 'timeout', 'cancelled', 'protocol', 'noKey'] as const) {
        assert.ok(kinds.has(kind), `no ${kind} error in the list`);
      }
    });

    for (const [label, error] of errors) {
      it(`${label}: not in message, detail, stack, JSON or inspect`, () => {
        assertNoKey(error, KEY);
      });
    }

    it('still keeps what the provider said around the key', () => {
      const error = fromResponse('deepinfra', 401, echo, {}, KEY);
      assert.equal(error.detail, 'Incorrect API key provided: [redacted]. Bearer [redacted]');
    });

    it('redact ignores secrets too short to be keys', () => {
      assert.equal(redact('a b c', 'b'), 'a b c');
      assert.equal(redact('abcd abcd', 'abcd', undefined), '[redacted] [redacted]');
    });
  });
});

export function assertNoKey(error: unknown, key: string): void {
  assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
  for (const [where, text] of [
    ['message', error.message],
    ['detail', error.detail ?? ''],
    ['stack', error.stack ?? ''],
    ['JSON', JSON.stringify(error)],
    ['inspect', inspect(error, { depth: 10, showHidden: true })],
    ['String', String(error)],
  ] as const) {
    assert.ok(!text.includes(key), `the key leaked into ${where}: ${text}`);
  }
}
