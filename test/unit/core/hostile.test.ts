// Issue 12: what a hostile or broken server can do to the core, each answered with a limit and a
// clear error that keeps what fits (findings 4 and 5).

import * as assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { BODY_LIMIT_BYTES, SMALL_BODY_LIMIT_BYTES } from '../../../src/core/http';
import { fromResponse, providerDetail, redact } from '../../../src/core/errors';
import { creditsFromHeaders, parseRetryAfter } from '../../../src/core/headers';
import { closeDispatchers, createProvider } from '../../../src/core/providers';
import { ANSWER_LIMIT_CHARS, ANSWER_LIMIT_REASON, type ChatRequest, type ProviderConfig } from '../../../src/core/types';
import { deepinfraText, segmindText } from './fixtures';
import { finish, frame, run, startServer, textOf, writeEvents, type TestServer } from './net';

const KEY = 'sk-Zq8TQ4xv7LmN2pR5sW9yB3cD6fG1hJ0kUaEe';

const FAST: Partial<ProviderConfig> = {
  retry: { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 50, maxTotalMs: 2000 },
  timeouts: { firstByteMs: 3000, idleMs: 3000 },
};

const ask = (model = deepinfraText()): ChatRequest => ({ model, messages: [{ role: 'user', content: 'Hello' }] });

/** Writes `total` bytes of `fill` in 64 KB pieces, respecting back-pressure, until done or the client goes. */
function pour(res: ServerResponse, total: number, fill = 'a', head = '', contentType = 'application/json'): void {
  res.writeHead(200, { 'content-type': contentType });
  const piece = Buffer.alloc(64 * 1024, fill);
  let sent = 0;
  if (head) {
    res.write(head);
    sent += Buffer.byteLength(head);
  }
  const more = (): void => {
    while (sent < total && !res.destroyed) {
      sent += piece.length;
      if (!res.write(piece)) return void res.once('drain', more);
    }
    res.end();
  };
  more();
}

/** Every run of six or more characters of the key found in `text`. */
function keyFragments(text: string, key = KEY): string[] {
  const found: string[] = [];
  for (let i = 0; i + 6 <= key.length; i++) if (text.includes(key.slice(i, i + 6))) found.push(key.slice(i, i + 6));
  return found;
}

describe('core against hostile servers (issue 12)', function () {
  this.timeout(20_000);
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  after(() => closeDispatchers());

  const deepinfra = (url: string) => createProvider('deepinfra', { baseUrl: `${url}/v1/openai`, apiKey: KEY, ...FAST });
  const segmind = (url: string) => createProvider('segmind', { baseUrl: `${url}/v1`, apiKey: KEY, ...FAST });

  describe('finding 4: response sizes have limits', () => {
    it('a non-streamed completion past the body limit fails as too large, without reading it all', async () => {
      server = await startServer((_req, res) => pour(res, BODY_LIMIT_BYTES * 4, 'a', '{"choices":[{"message":{"content":"'));
      const { error } = await run(deepinfra(server.url).stream(ask()));
      assert.equal(error?.kind, 'protocol');
      assert.match(error?.message ?? '', /larger than 8 MB/);
    });

    it('a Segmind answer past the body limit fails as too large', async () => {
      server = await startServer((_req, res) => pour(res, BODY_LIMIT_BYTES * 4, 'a', '{"choices":[{"message":{"content":"'));
      const { error } = await run(segmind(server.url).stream(ask(segmindText())));
      assert.equal(error?.kind, 'protocol');
      assert.match(error?.message ?? '', /larger than 8 MB/);
    });

    it('a balance body past 64 KB is refused, not parsed', async () => {
      server = await startServer((_req, res) => pour(res, SMALL_BODY_LIMIT_BYTES + 1024, ' ', '{"credits": 5', 'application/json'));
      const provider = segmind(server.url);
      await assert.rejects(provider.getCredits!(), (e: Error & { kind?: string }) => e.kind === 'protocol' && /larger than 64 KB/.test(e.message));
    });

    it('a key check body past 64 KB is refused', async () => {
      server = await startServer((_req, res) => pour(res, 400 * 1024, ' ', '{"id": "me"'));
      await assert.rejects(deepinfra(server.url).checkKey(), (e: Error & { kind?: string }) => e.kind === 'protocol' && /larger than 64 KB/.test(e.message));
    });

    it('a streamed answer stops at its ceiling, keeps what came and says it was cut', async () => {
      const chunk = frame({ content: 'x'.repeat(64 * 1024) });
      let closed = false;
      server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.on('close', () => (closed = true));
        const more = (): void => {
          while (!res.destroyed) if (!res.write(chunk)) return void res.once('drain', more);
        };
        more();
      });
      const { events, error } = await run(deepinfra(server.url).stream(ask()));
      assert.equal(error, undefined);
      assert.equal(textOf(events).length, ANSWER_LIMIT_CHARS);
      assert.deepEqual(events.at(-1), { type: 'end', outcome: 'complete', finishReason: ANSWER_LIMIT_REASON });
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(closed, 'the connection was closed');
    });
  });

  describe('finding 5: small ones', () => {
    it('redacts the key before cutting a sample, so no part of it survives the cut', async () => {
      for (const at of [180, 190, 195]) {
        server = await startServer((_req, res) => writeEvents(res, [frame({ content: 'Hi' }), `data: {${'x'.repeat(at)}${KEY}${'y'.repeat(300)}\n\n`]));
        const { error } = await run(deepinfra(server.url).stream(ask()));
        assert.equal(error?.kind, 'protocol');
        assert.deepEqual(keyFragments(error?.detail ?? ''), [], `key at ${at}: ${error?.detail}`);
        await server.close();
        server = await startServer((_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(`{"nothing": "${'x'.repeat(at)}${KEY}${'y'.repeat(300)}"}`);
        });
        const segmindError = (await run(segmind(server.url).stream(ask(segmindText())))).error;
        assert.equal(segmindError?.kind, 'protocol');
        assert.deepEqual(keyFragments(segmindError?.detail ?? ''), [], `key at ${at}: ${segmindError?.detail}`);
        await server.close();
        server = undefined;
      }
      for (const at of [480, 490, 498]) {
        const detail = providerDetail(`${'x '.repeat(at / 2)}${KEY} and more`, KEY) ?? '';
        assert.deepEqual(keyFragments(detail), [], `key at ${at}: ${detail}`);
      }
    });

    it('redacts pieces of a key split by an HTML tag or by the 64 KB cut', () => {
      const split = `<html><body>Bad key ${KEY.slice(0, 17)}<wbr>${KEY.slice(17)}</body></html>`;
      assert.deepEqual(keyFragments(fromResponse('deepinfra', 401, split, {}, KEY).detail ?? ''), []);
      const cut = `{"error":"bad key ${KEY.slice(0, 12)}`; // the body ended (was cut) inside the key
      assert.deepEqual(keyFragments(fromResponse('deepinfra', 400, cut, {}, KEY).detail ?? '', KEY), []);
      assert.doesNotMatch(fromResponse('deepinfra', 400, cut, {}, KEY).detail ?? '', /sk-Zq8/);
      assert.equal(redact(`head ${KEY.slice(20)}`, KEY), 'head [redacted]');
    });

    it('reads x-remaining-credits only as a plain decimal', () => {
      assert.equal(creditsFromHeaders({ 'x-remaining-credits': '0x10' }), undefined);
      assert.equal(creditsFromHeaders({ 'x-remaining-credits': '1e308' }), undefined);
      assert.equal(creditsFromHeaders({ 'x-remaining-credits': 'Infinity' }), undefined);
      assert.deepEqual(creditsFromHeaders({ 'x-remaining-credits': '12.5', 'x-credits-consumed': '0.003' }), { remaining: 12.5, consumed: 0.003 });
      assert.deepEqual(creditsFromHeaders({ 'x-remaining-credits': '-0.25' }), { remaining: -0.25 });
    });

    it('does not print a Retry-After of 1e23 seconds', () => {
      assert.equal(parseRetryAfter('100000000000000000000000'), undefined);
      const error = fromResponse('deepinfra', 429, '', { 'retry-after': '100000000000000000000000' }, KEY);
      assert.doesNotMatch(error.message, /e\+|\d{6,}/);
      assert.match(error.message, /Wait a moment/);
      assert.match(fromResponse('deepinfra', 429, '', { 'retry-after': '600' }, KEY).message, /Wait 10 min/);
      assert.match(fromResponse('deepinfra', 429, '', { 'retry-after': '30' }, KEY).message, /Wait 30 s/);
    });

    it('a server sending only SSE comments does not hold the request open forever', async () => {
      let timer: NodeJS.Timeout | undefined;
      server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        timer = setInterval(() => res.write(': keep-alive\n\n'), 50);
        res.on('close', () => clearInterval(timer));
      });
      const started = Date.now();
      const provider = createProvider('deepinfra', { baseUrl: `${server.url}/v1/openai`, apiKey: KEY, ...FAST, timeouts: { firstByteMs: 3000, idleMs: 400 } });
      const { error } = await run(provider.stream(ask()));
      clearInterval(timer);
      assert.equal(error?.kind, 'timeout');
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    });

    it('a 200 text/html answer (a captive portal) says what it is', async () => {
      server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<html><body>Sign in to Airport Wi-Fi</body></html>');
      });
      for (const provider of [deepinfra(server.url), segmind(server.url)]) {
        const { error } = await run(provider.stream(ask(provider.id === 'segmind' ? segmindText() : deepinfraText())));
        assert.equal(error?.kind, 'network');
        assert.match(error?.message ?? '', /web page instead of an answer/);
        assert.doesNotMatch(error?.message ?? '', /broke/);
      }
      await assert.rejects(deepinfra(server.url).checkKey(), /web page instead of an answer/);
    });

    it('a stream closed cleanly in the middle of an event is a broken connection, not a malformed event', async () => {
      server = await startServer((_req, res) => writeEvents(res, [frame({ content: 'Hello' }), 'data: {"choices":[{"delta":{"content":" wor']));
      const { events, error } = await run(deepinfra(server.url).stream(ask()));
      assert.equal(textOf(events), 'Hello');
      assert.equal(error?.kind, 'network');
      assert.match(error?.message ?? '', /broke before the answer was complete/);
    });

    it('a stream closed cleanly inside a UTF-8 character is a broken connection', async () => {
      const whole = Buffer.from(frame({ content: 'Grüße' }) + finish());
      const cutAt = whole.indexOf(Buffer.from('ü')) + 1;
      server = await startServer((_req, res) => writeEvents(res, [frame({ content: 'Hi ' }), whole.subarray(0, cutAt)]));
      const { events, error } = await run(deepinfra(server.url).stream(ask()));
      assert.equal(textOf(events), 'Hi ');
      assert.equal(error?.kind, 'network');
    });

    it('a last event without its blank line still counts when it is whole', async () => {
      server = await startServer((_req, res) => writeEvents(res, [frame({ content: 'Done' }), 'data: [DONE]']));
      const { events, error } = await run(deepinfra(server.url).stream(ask()));
      assert.equal(error, undefined);
      assert.equal(textOf(events), 'Done');
    });
  });
});
