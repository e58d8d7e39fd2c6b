import * as assert from 'node:assert/strict';
import { closeDispatchers, collect, createProvider } from '../../../src/core/providers';
import type { ChatProvider, ChatRequest, ProviderConfig } from '../../../src/core/types';
import { startSimulator, type Simulator } from '../../../src/simulator/server';
import { assertNoKey } from './errors.test';
import { deepinfraText, deepinfraVision, imageData, openaiModel, png } from './fixtures';
import { finish, frame, nextClientClose, run, startServer, textOf, typesOf, writeEvents } from './net';
import { errorActions, errorText } from '../../../src/extension/errorWords';
import type { ProviderError } from '../../../src/core/errors';

/** Short clocks so failure paths take milliseconds, not the production minutes. */
const FAST: Partial<ProviderConfig> = {
  retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 50, maxTotalMs: 2000 },
  timeouts: { firstByteMs: 2000, idleMs: 2000 },
};

const ask = (content = 'Hello there', model = deepinfraText()): ChatRequest => ({ model, messages: [{ role: 'user', content }] });

describe('core/openaiCompatible against the simulator', function () {
  let sim: Simulator;
  let deepinfra: ChatProvider;

  before(async () => {
    sim = await startSimulator();
  });
  beforeEach(() => {
    sim.reset();
    deepinfra = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey, ...FAST });
  });
  after(async () => {
    await sim.close();
    await closeDispatchers();
  });

  describe('a streamed answer', () => {
    it('streams deltas, then usage with the estimated cost, then the end', async () => {
      // Paced so that tokens arrive apart even on a loaded machine (events that arrive together are one delta).
      sim.configure({ tokensPerSecond: 60, answerTokens: 40 });
      const { events, error } = await run(deepinfra.stream(ask()));
      assert.equal(error, undefined);
      const types = typesOf(events);
      assert.ok(types.filter((t) => t === 'delta').length > 5, `expected many deltas, got ${types.join(',')}`);
      assert.deepEqual(types.slice(-2), ['usage', 'end']);
      assert.match(textOf(events), /^Simulator answer from `meta-llama\/Meta-Llama-3-8B-Instruct`: 1 message; your last prompt had 11 characters/);
      const usage = events.find((e) => e.type === 'usage');
      assert.ok(usage?.type === 'usage');
      assert.equal(usage.usage.completionTokens, 40);
      assert.ok((usage.usage.costUsd ?? 0) > 0, 'DeepInfra reports estimated_cost');
      assert.deepEqual(events.at(-1), { type: 'end', outcome: 'complete', finishReason: 'stop' });
      assert.ok(events.every((e) => e.type !== 'delta' || e.text !== ''), 'no empty deltas (the role-only first chunk is skipped)');
    });

    it('asks for a stream with usage, and puts the system prompt first', async () => {
      const request: ChatRequest = { ...ask(), options: { systemPrompt: 'Be brief.', temperature: 0.3, maxTokens: 50 } };
      const result = await collect(deepinfra.stream(request));
      assert.equal(result.outcome, 'complete');
      const record = sim.requests.at(-1);
      assert.equal(record?.stream, true);
      assert.equal(record?.messageCount, 2);
      assert.equal(record?.model, 'meta-llama/Meta-Llama-3-8B-Instruct');
      assert.match(result.text, /2 messages/);
    });

    it('sends an image as a data URL the server can read', async () => {
      const request: ChatRequest = { model: deepinfraVision(), messages: [{ role: 'user', content: 'What is this?', images: [imageData(png(64, 48))] }] };
      const result = await collect(deepinfra.stream(request));
      const record = sim.requests.at(-1);
      assert.equal(record?.imageCount, 1);
      assert.deepEqual(record?.imageMimes, ['image/png']);
      assert.match(result.text, /1 image \(image\/png, [\d  ,]+ bytes, 64×48\)/);
    });

    it('refuses an image for a text-only model before sending anything', async () => {
      const request: ChatRequest = { model: deepinfraText(), messages: [{ role: 'user', content: 'x', images: [imageData(png(8, 8))] }] };
      const { error } = await run(deepinfra.stream(request));
      assert.equal(error?.kind, 'unsupported');
      assert.equal(sim.requests.length, 0);
    });

    it('completes a stream that ends after the finish reason without [DONE]', async () => {
      sim.queueScenario('no-done');
      const result = await collect(deepinfra.stream(ask()));
      assert.equal(result.outcome, 'complete');
      assert.equal(result.finishReason, 'stop');
      assert.match(result.text, /^Simulator answer/);
    });

    it('strips a stray </s> at the end of the text', async () => {
      sim.queueScenario('stray-eos');
      const result = await collect(deepinfra.stream(ask()));
      assert.ok(result.text.length > 100);
      assert.ok(!result.text.includes('</s>'), `text ends with ${JSON.stringify(result.text.slice(-20))}`);
    });

    it('streams a 5 MB answer in many deltas, none of them the whole answer', async () => {
      sim.queueScenario('big');
      let chars = 0;
      let deltas = 0;
      let largest = 0;
      for await (const event of deepinfra.stream(ask())) {
        if (event.type !== 'delta') continue;
        chars += event.text.length;
        deltas++;
        largest = Math.max(largest, event.text.length);
      }
      assert.ok(chars >= 5_000_000, `only ${chars} characters arrived`);
      assert.ok(deltas > 20, `only ${deltas} deltas`);
      assert.ok(largest < chars / 4, `one delta held ${largest} of ${chars} characters`);
    });

    it('works without a key on an OpenAI-compatible server', async () => {
      const local = createProvider('openaiCompatible', { baseUrl: sim.openaiBaseUrl, ...FAST });
      const result = await collect(local.stream(ask('hi', openaiModel('sim-text'))));
      assert.equal(result.outcome, 'complete');
      assert.equal(result.usage?.costUsd, undefined);
      assert.equal(sim.requests.at(-1)?.authorized, true);
      await local.checkKey();
    });

    it('says a DeepInfra key is missing before sending anything', async () => {
      const keyless = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl });
      const { error } = await run(keyless.stream(ask()));
      assert.equal(error?.kind, 'noKey');
      assert.equal(sim.requests.length, 0);
    });
  });

  describe('a stream that goes wrong', () => {
    it('ends a malformed frame in a protocol error, after the text before it', async () => {
      sim.queueScenario('malformed-frame');
      const { events, error } = await run(deepinfra.stream(ask()));
      assert.equal(error?.kind, 'protocol');
      assert.match(error?.detail ?? '', /\{not json/);
      assert.ok(textOf(events).length > 0, 'the deltas before the bad frame were delivered');
      assert.equal(sim.requests.length, 1, 'no retry once text was delivered');
    });

    it('turns an error frame into a server error with the provider’s words', async () => {
      sim.queueScenario('error-frame');
      const { events, error } = await run(deepinfra.stream(ask()));
      assert.equal(error?.kind, 'server');
      assert.equal(error?.detail, 'overloaded_error: Model is overloaded');
      assert.ok(textOf(events).length > 0);
    });

    it('reports a cut connection as a network error and does not retry it', async () => {
      sim.queueScenario('cut-mid-stream');
      const { events, error } = await run(deepinfra.stream(ask()));
      assert.equal(error?.kind, 'network');
      assert.match(error?.message ?? '', /broke before the answer was complete/);
      assert.ok(textOf(events).length > 0);
      assert.equal(events.filter((e) => e.type === 'retry').length, 0);
      assert.equal(sim.requests.length, 1);
    });

    const statuses: [string, string, string | RegExp][] = [
      ['status-401', 'badKey', /key/i],
      ['status-403', 'forbidden', /./],
      ['status-404', 'unknownModel', /./],
      ['status-406', 'outOfCredits', /./],
      ['status-422', 'validation', /body/],
      ['status-400', 'validation', /./],
    ];
    for (const [scenario, kind, detail] of statuses) {
      it(`maps ${scenario} to ${kind} without retrying`, async () => {
        sim.queueScenario(scenario as never);
        const { events, error } = await run(deepinfra.stream(ask()));
        assert.equal(error?.kind, kind);
        assert.match(error?.detail ?? '', detail as RegExp);
        assert.equal(events.length, 0);
        assert.equal(sim.requests.length, 1);
      });
    }

    it('maps a wrong key to badKey', async () => {
      const wrong = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: 'not-the-key-1234', ...FAST });
      const { error } = await run(wrong.stream(ask()));
      assert.equal(error?.kind, 'badKey');
      assertNoKey(error, 'not-the-key-1234');
      await assert.rejects(wrong.checkKey(), (e: { kind?: string }) => e.kind === 'badKey');
      await deepinfra.checkKey();
    });
  });

  it('says the base URL looks wrong, with its setting, when the key check finds no such address (404)', async () => {
    const misplaced = createProvider('deepinfra', { baseUrl: `${sim.deepinfraBaseUrl}/v9/openai`, apiKey: sim.validKey, ...FAST });
    const error = await misplaced.checkKey().then(
      () => assert.fail('the check should fail'),
      (e: ProviderError) => e,
    );
    assert.doesNotMatch(errorText(error), /no model/i, 'the key check asked for no model');
    assert.match(error.message, /base URL/);
    assert.match(errorText(error), /visionChat\.deepinfra\.baseUrl/, 'names the setting to fix');
    assert.ok(errorActions(error).includes('openSettings'), 'offers the settings');
  });

  describe('retries', () => {
    it('retries 503 and 502 before the first byte, then streams', async () => {
      sim.queueScenario('status-503');
      sim.queueScenario('status-502');
      const { events, error } = await run(deepinfra.stream(ask()));
      assert.equal(error, undefined);
      const retries = events.filter((e) => e.type === 'retry');
      assert.deepEqual(
        retries.map((e) => e.type === 'retry' && e.attempt),
        [1, 2],
      );
      assert.ok(retries.every((e) => e.type === 'retry' && e.delayMs >= 0 && e.delayMs <= 50));
      assert.deepEqual(
        retries.map((e) => e.type === 'retry' && e.reason),
        [
          { kind: 'server', status: 503 },
          { kind: 'server', status: 502 },
        ],
      );
      assert.equal(sim.requests.length, 3);
      assert.match(textOf(events), /^Simulator answer/);
      assert.equal(typesOf(events).indexOf('delta') > typesOf(events).lastIndexOf('retry'), true);
    });

    it('stops at the bound and reports the last failure', async () => {
      sim.queueScenario('status-429', 10);
      const { events, error } = await run(deepinfra.stream(ask()));
      assert.equal(error?.kind, 'rateLimited');
      assert.equal(events.filter((e) => e.type === 'retry').length, 2);
      assert.equal(sim.requests.length, 3, 'the first attempt and maxRetries = 2');
    });

    it('stops when the next wait would pass the total time bound', async () => {
      const slowRetries = createProvider('deepinfra', {
        baseUrl: sim.deepinfraBaseUrl,
        apiKey: sim.validKey,
        retry: { maxRetries: 10, baseDelayMs: 100, maxDelayMs: 100, maxTotalMs: 1 },
      });
      sim.queueScenario('status-500', 10);
      const { events, error } = await run(slowRetries.stream(ask()));
      assert.equal(error?.kind, 'server');
      // Full jitter may draw a 0 ms wait, which still fits; a wait past the bound never starts.
      assert.ok(sim.requests.length < 10);
      assert.ok(events.every((e) => e.type !== 'retry' || e.delayMs <= 1));
    });

    it('waits as long as Retry-After says', async () => {
      const patient = createProvider('deepinfra', {
        baseUrl: sim.deepinfraBaseUrl,
        apiKey: sim.validKey,
        retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2000, maxTotalMs: 5000 },
      });
      sim.queueScenario('status-429-retry-after');
      const started = Date.now();
      const { events, error } = await run(patient.stream(ask()));
      assert.equal(error, undefined);
      const retry = events.find((e) => e.type === 'retry');
      assert.ok(retry?.type === 'retry' && retry.delayMs === 1000);
      assert.ok(Date.now() - started >= 950);
    });

    it('gives up at once when Retry-After asks for longer than it would wait', async () => {
      sim.queueScenario('status-429-retry-after');
      const { events, error } = await run(deepinfra.stream(ask()));
      assert.equal(error?.kind, 'rateLimited');
      assert.equal(error?.retryAfterMs, 1000);
      assert.match(error?.message ?? '', /Wait 1 s/);
      assert.equal(events.length, 0);
      assert.equal(sim.requests.length, 1);
    });

    it('never retries other 4xx', async () => {
      sim.queueScenario('status-422', 3);
      const { error } = await run(deepinfra.stream(ask()));
      assert.equal(error?.kind, 'validation');
      assert.equal(sim.requests.length, 1);
    });

    it('retries a refused connection, then says the server cannot be reached', async () => {
      const dead = await startServer(() => undefined);
      const url = dead.url;
      await dead.close();
      const provider = createProvider('openaiCompatible', { baseUrl: `${url}/v1`, ...FAST });
      const { events, error } = await run(provider.stream(ask('x', openaiModel('sim-text'))));
      assert.equal(error?.kind, 'network');
      assert.match(error?.message ?? '', /Could not reach the OpenAI-compatible server \(ECONNREFUSED\)/);
      assert.equal(events.filter((e) => e.type === 'retry').length, 2);
    });

    it('retries a connection dropped before the response, then streams', async () => {
      const flaky = await startServer((req, res, _body, hit) => {
        if (hit === 1) {
          req.socket.destroy();
          return;
        }
        writeEvents(res, [frame({ role: 'assistant' }), frame({ content: 'second time lucky' }), finish(), 'data: [DONE]\n\n']);
      });
      try {
        const provider = createProvider('openaiCompatible', { baseUrl: flaky.url, ...FAST });
        const result = await collect(provider.stream(ask('x', openaiModel('sim-text'))));
        assert.equal(result.text, 'second time lucky');
        assert.equal(result.retries, 1);
        assert.equal(flaky.hits.length, 2);
      } finally {
        await flaky.close();
      }
    });
  });

  describe('cancellation closes the socket', () => {
    it('mid-stream: the stream ends cancelled and the server sees the close', async () => {
      sim.queueScenario('slow');
      const controller = new AbortController();
      const closed = nextClientClose(sim);
      const { events, error } = await run(deepinfra.stream(ask(), controller.signal), (e) => {
        if (e.type === 'delta') controller.abort();
      });
      assert.equal(error, undefined);
      assert.deepEqual(events.at(-1), { type: 'end', outcome: 'cancelled' });
      const record = await closed;
      assert.equal(record.closedByClient, true);
      assert.equal(record.finished, false);
    });

    it('before the first byte', async () => {
      sim.queueScenario('hang');
      const controller = new AbortController();
      sim.once('request', () => setTimeout(() => controller.abort(), 20));
      const closed = nextClientClose(sim);
      const { events, error } = await run(deepinfra.stream(ask(), controller.signal));
      assert.equal(error, undefined);
      assert.deepEqual(events, [{ type: 'end', outcome: 'cancelled' }]);
      await closed;
    });

    it('during a retry wait, at once', async () => {
      const patient = createProvider('deepinfra', {
        baseUrl: sim.deepinfraBaseUrl,
        apiKey: sim.validKey,
        retry: { maxRetries: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, maxTotalMs: 600_000 },
      });
      sim.queueScenario('status-429-retry-after');
      const controller = new AbortController();
      const started = Date.now();
      const { events, error } = await run(patient.stream(ask(), controller.signal), (e) => {
        if (e.type === 'retry') controller.abort();
      });
      assert.equal(error, undefined);
      assert.deepEqual(typesOf(events), ['retry', 'end']);
      assert.deepEqual(events.at(-1), { type: 'end', outcome: 'cancelled' });
      assert.ok(Date.now() - started < 900, 'did not sit out the Retry-After');
      assert.equal(sim.requests.length, 1);
    });

    it('with a signal aborted before the call: no request at all', async () => {
      const result = await collect(deepinfra.stream(ask(), AbortSignal.abort()));
      assert.equal(result.outcome, 'cancelled');
      assert.equal(sim.requests.length, 0);
    });

    it('when the consumer stops reading', async () => {
      sim.queueScenario('slow');
      const closed = nextClientClose(sim);
      for await (const event of deepinfra.stream(ask())) {
        if (event.type === 'delta') break;
      }
      await closed;
    });
  });

  describe('timeouts', () => {
    it('gives up on a server that never answers, and closes the socket', async () => {
      const impatient = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey, timeouts: { firstByteMs: 150 }, retry: { maxRetries: 0 } });
      sim.queueScenario('hang');
      const closed = nextClientClose(sim);
      const { error } = await run(impatient.stream(ask()));
      assert.equal(error?.kind, 'timeout');
      assert.ok(error);
      assert.equal(errorText(error), 'DeepInfra did not answer within 150 ms. Retry, or raise the visionChat.requestTimeoutSeconds setting.');
      await closed;
    });

    it('gives up on a stream that goes silent, keeping the text so far', async () => {
      const impatient = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey, timeouts: { idleMs: 150 } });
      sim.queueScenario('hang-mid-stream');
      const closed = nextClientClose(sim);
      const { events, error } = await run(impatient.stream(ask()));
      assert.equal(error?.kind, 'timeout');
      assert.match(error?.message ?? '', /went silent/);
      assert.ok(textOf(events).length > 0);
      await closed;
    });
  });
});

describe('core/openaiCompatible with hand-made servers', () => {
  after(closeDispatchers);
  const local = (url: string, extra: Partial<ProviderConfig> = {}) => createProvider('openaiCompatible', { baseUrl: url, ...FAST, ...extra });
  const chat = ask('x', openaiModel('sim-text'));

  it('reads events split anywhere, CRLF line ends, comments and several events per chunk', async () => {
    const snowman = Buffer.from(frame({ content: 'snow ☃ man' }));
    const at = snowman.indexOf(0xe2) + 1; // inside the three bytes of ☃
    const server = await startServer((_req, res) => {
      writeEvents(res, [
        ': keep-alive comment\n\n',
        frame({ role: 'assistant', content: '' }),
        frame({ content: 'Hel' }).replace(/\n/g, '\r\n'),
        `${frame({ content: 'lo' })}${frame({})}${frame({ content: ', ' })}`,
        snowman.subarray(0, at),
        snowman.subarray(at),
        frame({ content: '<' }),
        frame({ content: '/s> is a tag' }),
        finish('length', { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 }),
        'data: [DONE]\n\n',
      ]);
    });
    try {
      const result = await collect(local(server.url).stream(chat));
      assert.equal(result.text, 'Hello, snow ☃ man</s> is a tag');
      assert.equal(result.finishReason, 'length');
      assert.deepEqual(result.usage, { promptTokens: 3, completionTokens: 5, totalTokens: 8, costUsd: undefined });
    } finally {
      await server.close();
    }
  });

  for (const [name, newline] of [['LF', '\n'], ['CRLF', '\r\n']]) {
    it(`shows the first words alone when one chunk brings the whole answer, then batches the rest (${name})`, async () => {
      const burst = [frame({ role: 'assistant', content: '' }), frame({ content: 'First' }), ...Array.from({ length: 500 }, () => frame({ content: ' word' })), finish(), 'data: [DONE]\n\n'];
      const server = await startServer((_req, res) => writeEvents(res, [burst.join('').replace(/\n/g, newline)]));
      try {
        const { events, error } = await run(local(server.url).stream(chat));
        assert.equal(error, undefined);
        const deltas = events.flatMap((e) => (e.type === 'delta' ? [e.text] : []));
        assert.equal(deltas[0], 'First');
        assert.equal(deltas.join(''), `First${' word'.repeat(500)}`);
        assert.ok(deltas.length < 20, `the rest came in ${deltas.length - 1} deltas, not batched per chunk`);
        assert.deepEqual(typesOf(events).slice(-1), ['end']);
      } finally {
        await server.close();
      }
    });
  }

  it('ends with a protocol error on an event larger than 8 MB, after the text before it', async () => {
    const server = await startServer((_req, res) => writeEvents(res, [frame({ content: 'Before' }), `data: ${'x'.repeat(9 * 1024 * 1024)}`]));
    try {
      const { events, error } = await run(local(server.url).stream(chat));
      assert.equal(textOf(events), 'Before');
      assert.equal(error?.kind, 'protocol');
    } finally {
      await server.close();
    }
  });

  it('ends with a protocol error on an event larger than 8 MB before any text (data over many lines)', async () => {
    const line = `data: ${'x'.repeat(1024 * 1024)}\n`;
    const server = await startServer((_req, res) => writeEvents(res, [frame({ role: 'assistant', content: '' }), line.repeat(9)]));
    try {
      const { events, error } = await run(local(server.url).stream(chat));
      assert.equal(textOf(events), '');
      assert.equal(error?.kind, 'protocol');
    } finally {
      await server.close();
    }
  });

  it('strips a </s> that arrives split over two deltas at the very end', async () => {
    const server = await startServer((_req, res) => writeEvents(res, [frame({ content: 'Done.</' }), frame({ content: 's>' }), finish(), 'data: [DONE]\n\n']));
    try {
      assert.equal((await collect(local(server.url).stream(chat))).text, 'Done.');
    } finally {
      await server.close();
    }
  });

  it('treats a body that ends without [DONE] or a finish reason as cut short', async () => {
    const server = await startServer((_req, res) => writeEvents(res, [frame({ content: 'half an ans' })]));
    try {
      const { events, error } = await run(local(server.url).stream(chat));
      assert.equal(textOf(events), 'half an ans');
      assert.equal(error?.kind, 'network');
    } finally {
      await server.close();
    }
  });

  it('maps an {"error":{…}} frame with an HTTP code to its kind', async () => {
    const server = await startServer((_req, res) => writeEvents(res, [frame({ content: 'a' }), `data: {"error":{"message":"Too many requests","code":429}}\n\n`]));
    try {
      const { error } = await run(local(server.url).stream(chat));
      assert.equal(error?.kind, 'rateLimited');
      assert.equal(error?.detail, 'Too many requests');
    } finally {
      await server.close();
    }
  });

  it('takes a whole JSON completion from a server that ignores stream: true', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: [{ type: 'text', text: 'all at once' }] }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 } }));
    });
    try {
      const result = await collect(local(server.url).stream(chat));
      assert.equal(result.text, 'all at once');
      assert.equal(result.usage?.totalTokens, 4);
    } finally {
      await server.close();
    }
  });

  it('sends the key as a Bearer token only when there is one', async () => {
    const server = await startServer((_req, res) => writeEvents(res, [finish(), 'data: [DONE]\n\n']));
    try {
      await collect(local(server.url).stream(chat));
      await collect(local(server.url, { apiKey: 'local-key-5678' }).stream(chat));
      assert.equal(server.hits[0].headers.authorization, undefined);
      assert.equal(server.hits[1].headers.authorization, 'Bearer local-key-5678');
      const body = JSON.parse(server.hits[1].body);
      assert.equal(body.stream, true);
      assert.deepEqual(body.stream_options, { include_usage: true });
    } finally {
      await server.close();
    }
  });

  it('keeps the key out of every error, even when the server echoes it', async () => {
    const KEY = 'echo-me-9f8e7d6c5b4a';
    let status = 0;
    const server = await startServer((req, res) => {
      const echoed = String(req.headers.authorization);
      if (status === 0) {
        writeEvents(res, [frame({ content: 'x' }), `data: {"broken": "${echoed}"\n\n`]);
      } else if (status === 1) {
        writeEvents(res, [`data: {"error_type":"bad","error_message":"${echoed}"}\n\n`]);
      } else {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `You sent ${echoed}` }, detail: echoed }));
      }
    });
    try {
      const provider = local(server.url, { apiKey: KEY, retry: { maxRetries: 0 } });
      for (const s of [0, 1, 400, 401, 402, 403, 404, 422, 429, 500, 502, 503, 504]) {
        status = s;
        const { error } = await run(provider.stream(chat));
        assert.ok(error, `status ${s} gave no error`);
        assertNoKey(error, KEY);
      }
    } finally {
      await server.close();
    }
  });
});
