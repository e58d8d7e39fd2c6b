import * as assert from 'node:assert/strict';
import { closeDispatchers, collect, createProvider } from '../../../src/core/providers';
import { answerFrom, llavaPrompt, pieces } from '../../../src/core/segmind';
import type { ChatMessage, ChatProvider, ChatRequest, ProviderConfig } from '../../../src/core/types';
import { startSimulator, type Simulator } from '../../../src/simulator/server';
import { assertNoKey } from './errors.test';
import { imageData, jpeg, png, segmindLlava, segmindText, segmindVision } from './fixtures';
import { nextClientClose, run, startServer, textOf, typesOf } from './net';

const FAST: Partial<ProviderConfig> = {
  retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 50, maxTotalMs: 2000 },
  timeouts: { firstByteMs: 5000, idleMs: 5000 },
};

const ask = (content = 'Hello Segmind', model = segmindText()): ChatRequest => ({ model, messages: [{ role: 'user', content }] });

describe('core/segmind against the simulator', () => {
  let sim: Simulator;
  let segmind: ChatProvider;

  before(async () => {
    sim = await startSimulator({ credits: 25 });
  });
  beforeEach(() => {
    sim.reset();
    segmind = createProvider('segmind', { baseUrl: sim.segmindBaseUrl, apiKey: sim.validKey, ...FAST });
  });
  after(async () => {
    await sim.close();
    await closeDispatchers();
  });

  it('says waiting first, then hands the answer over in a few deltas, usage, credits, end', async () => {
    sim.configure({ answerTokens: 120 });
    const { events, error } = await run(segmind.stream(ask()));
    assert.equal(error, undefined);
    const types = typesOf(events);
    assert.equal(types[0], 'waiting');
    const deltas = types.filter((t) => t === 'delta').length;
    assert.ok(deltas >= 3 && deltas <= 10, `${deltas} deltas`);
    assert.deepEqual(types.slice(-3), ['usage', 'credits', 'end']);
    assert.match(textOf(events), /^Simulator answer from `llama-v3-8b-instruct`: 1 message; your last prompt had 13 characters/);
    const credits = events.find((e) => e.type === 'credits');
    assert.ok(credits?.type === 'credits');
    assert.ok((credits.credits.consumed ?? 0) > 0);
    assert.equal(credits.credits.remaining, sim.credits());
    assert.deepEqual(events.at(-1), { type: 'end', outcome: 'complete', finishReason: 'stop' });
    const record = sim.requests.at(-1);
    assert.equal(record?.path, '/segmind/v1/llama-v3-8b-instruct');
    assert.equal(record?.authorized, true);
  });

  it('sends images to the vision slug as data URL parts', async () => {
    const request: ChatRequest = { model: segmindVision(), messages: [{ role: 'user', content: 'Describe', images: [imageData(jpeg(300, 200))] }] };
    const result = await collect(segmind.stream(request));
    assert.deepEqual(sim.requests.at(-1)?.imageMimes, ['image/jpeg']);
    assert.match(result.text, /1 image \(image\/jpeg, .*300×200\)/);
  });

  it('reads the balance from an out-of-credits error, with where to top up', async () => {
    sim.configure({ credits: 0 });
    const { events, error } = await run(segmind.stream(ask()));
    assert.equal(error?.kind, 'outOfCredits');
    assert.equal(error?.status, 406);
    assert.equal(error?.message, 'Segmind says the account is out of credits: top up at https://cloud.segmind.com/console/billing, then retry.');
    assert.deepEqual(error?.credits, { remaining: 0 });
    assert.deepEqual(typesOf(events), ['waiting']);
    assert.equal(sim.requests.length, 1);
  });

  it('reads the balance from other error responses too', async () => {
    sim.queueScenario('status-422');
    const { error } = await run(segmind.stream(ask()));
    assert.equal(error?.kind, 'validation');
    assert.equal(error?.credits?.remaining, 25);
    assert.ok(error?.detail);
  });

  it('retries a 502, showing the retry after waiting', async () => {
    sim.queueScenario('status-502');
    const result = await collect(segmind.stream(ask()));
    assert.equal(result.retries, 1);
    assert.equal(result.waited, true);
    assert.match(result.text, /^Simulator answer/);
  });

  it('maps a wrong key to badKey and keeps the key out of the error', async () => {
    const wrong = createProvider('segmind', { baseUrl: sim.segmindBaseUrl, apiKey: 'wrong-segmind-key-42', ...FAST });
    const { error } = await run(wrong.stream(ask()));
    assert.equal(error?.kind, 'badKey');
    assertNoKey(error, 'wrong-segmind-key-42');
    await assert.rejects(wrong.checkKey(), (e: { kind?: string }) => e.kind === 'badKey');
  });

  it('gets the balance: paid plus free credits, the free part apart', async () => {
    const credits = await segmind.getCredits?.();
    assert.ok(credits);
    assert.ok(credits.free !== undefined && credits.free > 0);
    assert.ok(Math.abs(credits.remaining - (25 + credits.free)) < 1e-9);
    assert.deepEqual(await segmind.checkKey(), { credits });
  });

  it('says no key is set before sending anything', async () => {
    const keyless = createProvider('segmind', { baseUrl: sim.segmindBaseUrl });
    assert.equal((await run(keyless.stream(ask()))).error?.kind, 'noKey');
    await assert.rejects(keyless.checkKey(), (e: { kind?: string }) => e.kind === 'noKey');
    assert.equal(sim.requests.length, 0);
  });

  it('cancels while waiting, at once, closing the socket', async () => {
    sim.queueScenario('slow'); // Segmind answers after 3 s
    const controller = new AbortController();
    const closed = nextClientClose(sim);
    const started = Date.now();
    const { events, error } = await run(segmind.stream(ask(), controller.signal), (e) => {
      if (e.type === 'waiting') setTimeout(() => controller.abort(), 50);
    });
    assert.equal(error, undefined);
    assert.deepEqual(typesOf(events), ['waiting', 'end']);
    assert.deepEqual(events.at(-1), { type: 'end', outcome: 'cancelled' });
    assert.ok(Date.now() - started < 1000);
    await closed;
  });

  it('times out a request that gets no answer, and closes the socket', async () => {
    const impatient = createProvider('segmind', { baseUrl: sim.segmindBaseUrl, apiKey: sim.validKey, timeouts: { firstByteMs: 150 }, retry: { maxRetries: 0 } });
    sim.queueScenario('hang');
    const closed = nextClientClose(sim);
    const { error } = await run(impatient.stream(ask()));
    assert.equal(error?.kind, 'timeout');
    await closed;
  });

  it('takes a 5 MB answer', async () => {
    sim.queueScenario('big');
    const result = await collect(segmind.stream(ask()));
    assert.ok(result.text.length >= 5_000_000);
    assert.ok(result.deltas <= 10);
  });

  it('strips a stray </s> at the end', async () => {
    sim.queueScenario('stray-eos');
    const result = await collect(segmind.stream(ask()));
    assert.ok(!result.text.endsWith('</s>'));
    assert.ok(result.text.length > 50);
  });

  describe('LLaVA', () => {
    const conversation = (...messages: ChatMessage[]): ChatRequest => ({ model: segmindLlava(), messages });

    it('sends the latest image and the prompt, and reads a plain-text answer', async () => {
      const request = conversation(
        { role: 'user', content: 'What is in the first one?', images: [imageData(png(40, 30))] },
        { role: 'assistant', content: 'A grey square.' },
        { role: 'user', content: 'And this one?', images: [imageData(jpeg(120, 90))] },
      );
      const result = await collect(segmind.stream(request));
      const record = sim.requests.at(-1);
      assert.equal(record?.path, '/segmind/v1/llava-v1.6');
      assert.equal(record?.imageCount, 1);
      assert.deepEqual(record?.imageMimes, ['image/jpeg']);
      assert.match(result.text, /1 image \(image\/jpeg, .*120×90\)/);
      assert.equal(result.outcome, 'complete');
      assert.equal(result.waited, true);
    });

    it('refuses a question without any image before sending', async () => {
      const { error } = await run(segmind.stream(conversation({ role: 'user', content: 'Hello?' })));
      assert.equal(error?.kind, 'unsupported');
      assert.match(error?.message ?? '', /attach one/);
      assert.equal(sim.requests.length, 0);
    });
  });
});

describe('core/segmind answers from a hand-made server', () => {
  after(closeDispatchers);

  const answers: [string, string, string][] = [
    ['plain text', 'text/plain', 'A cat on a mat.'],
    ['{"output"}', 'application/json', '{"output":"A cat on a mat."}'],
    ['{"response"}', 'application/json', '{"response":"A cat on a mat."}'],
    ['{"text"}', 'application/json', '{"text":"A cat on a mat."}'],
    ['{"content"}', 'application/json', '{"content":"A cat on a mat."}'],
    ['choices[0].message.content', 'application/json', '{"choices":[{"message":{"content":"A cat on a mat."}}]}'],
    ['a JSON string', 'application/json', '"A cat on a mat."'],
  ];
  for (const [label, type, body] of answers) {
    it(`reads a LLaVA answer as ${label}`, async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': type, 'x-remaining-credits': '3.5', 'x-credits-consumed': '0.01' });
        res.end(body);
      });
      try {
        const provider = createProvider('segmind', { baseUrl: server.url, apiKey: 'k-123456', ...FAST });
        const result = await collect(provider.stream({ model: segmindLlava(), messages: [{ role: 'user', content: 'What?', images: [imageData(png(4, 4))] }] }));
        assert.equal(result.text, 'A cat on a mat.');
        assert.deepEqual(result.credits, { remaining: 3.5, consumed: 0.01 });
        const sent = JSON.parse(server.hits[0].body);
        assert.deepEqual(Object.keys(sent).sort(), ['images', 'prompt']);
        assert.equal(sent.images, png(4, 4).toString('base64'));
        assert.equal(sent.prompt, 'What?');
        assert.equal(server.hits[0].headers['x-api-key'], 'k-123456');
      } finally {
        await server.close();
      }
    });
  }

  it('calls JSON without any answer field a protocol error', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
    try {
      const provider = createProvider('segmind', { baseUrl: server.url, apiKey: 'k-123456', ...FAST });
      const { error } = await run(provider.stream({ model: segmindLlava(), messages: [{ role: 'user', content: 'What?', images: [imageData(png(4, 4))] }] }));
      assert.equal(error?.kind, 'protocol');
    } finally {
      await server.close();
    }
  });

  it('reads content given as a list of parts', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { content: [{ type: 'text', text: 'Part one, ' }, { type: 'text', text: 'part two.' }] }, finish_reason: 'stop' }] }));
    });
    try {
      const provider = createProvider('segmind', { baseUrl: server.url, apiKey: 'k-123456', ...FAST });
      assert.equal((await collect(provider.stream(ask()))).text, 'Part one, part two.');
    } finally {
      await server.close();
    }
  });
});

describe('core/segmind helpers', () => {
  it('answerFrom refuses an empty or unreadable body', () => {
    assert.equal(answerFrom('', true), undefined);
    assert.equal(answerFrom('{"x":1}', true), undefined);
    assert.equal(answerFrom('not json', false), undefined);
    assert.deepEqual(answerFrom('{braces but text', true), { text: '{braces but text' });
  });

  it('builds the LLaVA prompt from the latest question and a little context', () => {
    assert.equal(llavaPrompt([{ role: 'user', content: '  What is this? ' }]), 'What is this?');
    assert.equal(llavaPrompt([{ role: 'user', content: '' }]), 'Describe this image.');
    const long = 'x'.repeat(1000);
    const prompt = llavaPrompt([
      { role: 'system', content: 'Be nice.' },
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: long },
      { role: 'user', content: 'Why?' },
    ]);
    assert.ok(prompt.startsWith('Earlier in this conversation:\nUser: First question\nAssistant: xxx'));
    assert.ok(prompt.endsWith('…\n\nWhy?'));
    assert.ok(!prompt.includes('Be nice'));
    assert.ok(prompt.length < 400);
  });

  it('splits an answer into a few pieces at spaces, losing nothing', () => {
    const text = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const split = pieces(text);
    assert.equal(split.join(''), text);
    assert.ok(split.length >= 6 && split.length <= 10);
    assert.ok(split.slice(0, -1).every((p) => p.endsWith(' ')));
    assert.deepEqual(pieces('short'), ['short']);
    assert.deepEqual(pieces(''), []);
  });
});
