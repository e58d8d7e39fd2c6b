// The simulator over real loopback sockets, as the provider clients, the e2e tests and the
// benchmarks meet it. Other engineers test their clients against it, so each behaviour of the
// contract (src/simulator/README.md) is pinned here.

import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { BUILTIN_MODELS } from '../../../src/core/catalog';
import { startSimulator, type SimRequestRecord, type Simulator } from '../../../src/simulator/server';
import { contentDeltas, dataUrl, jpeg, nextEvent, png, readUntil, sseData } from './helpers';

const LLAMA_8B = 'meta-llama/Meta-Llama-3-8B-Instruct';
const LLAMA_11B_VISION = 'meta-llama/Llama-3.2-11B-Vision-Instruct';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('provider simulator', function () {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator();
  });
  afterEach(() => {
    sim.removeAllListeners();
    sim.reset();
  });
  after(async () => {
    await sim.close();
  });

  const userMessage = (content: unknown = 'Hello there') => [{ role: 'user', content }];

  function deepinfra(body: Json, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    return fetch(`${sim.deepinfraBaseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sim.validKey}`, ...headers },
      body: JSON.stringify({ model: LLAMA_8B, messages: userMessage(), ...body }),
      signal,
    });
  }

  function segmind(slug: string, body: Json, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${sim.segmindBaseUrl}/${slug}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': sim.validKey, ...headers },
      body: JSON.stringify(body),
    });
  }

  function openai(body: Json, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${sim.openaiBaseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: 'sim-text', messages: userMessage(), ...body }),
    });
  }

  const lastRecord = (): SimRequestRecord => sim.requests[sim.requests.length - 1];

  describe('Segmind', () => {
    it('answers a Llama chat with one chat.completion, charges it and reports the balance', async () => {
      const before = sim.credits();
      const res = await segmind('llama-v3-8b-instruct', { messages: userMessage('Explain closures') });
      assert.equal(res.status, 200);
      const body = (await res.json()) as Json;
      assert.equal(body.object, 'chat.completion');
      assert.match(body.choices[0].message.content, /^Simulator answer from `llama-v3-8b-instruct`: 1 message; your last prompt had 16 characters; no image\./);
      assert.ok(body.usage.completion_tokens > 0 && body.usage.total_tokens > body.usage.completion_tokens);
      const consumed = Number(res.headers.get('x-credits-consumed'));
      assert.ok(consumed > 0);
      assert.equal(Number(res.headers.get('x-remaining-credits')), sim.credits());
      assert.ok(Math.abs(before - consumed - sim.credits()) < 1e-9, 'the balance drops by what was consumed');
    });

    it('rejects a wrong or missing key with 401, still carrying the balance, and charges nothing', async () => {
      const before = sim.credits();
      for (const headers of [{ 'x-api-key': 'wrong-key' }, { 'x-api-key': '' }]) {
        const res = await segmind('llama-v3-8b-instruct', { messages: userMessage() }, headers);
        assert.equal(res.status, 401);
        assert.equal(res.headers.get('x-remaining-credits'), String(before));
        assert.equal(res.headers.get('x-credits-consumed'), null);
        assert.equal(typeof ((await res.json()) as Json).error, 'string');
      }
      assert.equal(sim.credits(), before);
      assert.equal(lastRecord().authorized, false);
    });

    it('reports credits on get-user-credits, and only to the valid key', async () => {
      sim.configure({ credits: 3.5 });
      const ok = await fetch(`${sim.segmindBaseUrl}/get-user-credits`, { headers: { 'x-api-key': sim.validKey } });
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { credits: 3.5, 'free-credits': 0.0184921035 });
      assert.equal(ok.headers.get('x-remaining-credits'), '3.5');
      const bad = await fetch(`${sim.segmindBaseUrl}/get-user-credits`, { headers: { 'x-api-key': 'nope' } });
      assert.equal(bad.status, 401);
      assert.equal(bad.headers.get('x-remaining-credits'), '3.5');
    });

    it('answers 406 once the balance is spent, and 404 to an unknown slug', async () => {
      sim.configure({ credits: 0 });
      const broke = await segmind('llama-v3-8b-instruct', { messages: userMessage() });
      assert.equal(broke.status, 406);
      assert.match(((await broke.json()) as Json).error, /credits/i);
      assert.equal(broke.headers.get('x-remaining-credits'), '0');

      const unknown = await segmind('llama-v3p2-11b-vision-instruct', { messages: userMessage() });
      assert.equal(unknown.status, 404);
      assert.ok(unknown.headers.has('x-remaining-credits'));
      assert.equal(typeof ((await unknown.json()) as Json).error, 'string');
    });

    it('answers LLaVA as plain text by default and as {"output"} when asked, describing the image', async () => {
      const images = png(640, 480, 2000).toString('base64');
      const text = await segmind('llava-v1.6', { images, prompt: 'What is this?' });
      assert.equal(text.status, 200);
      assert.match(text.headers.get('content-type') ?? '', /^text\/plain/);
      assert.match(await text.text(), /1 message; your last prompt had 13 characters; 1 image \(image\/png, 2 000 bytes, 640×480\)/);
      assert.deepEqual([lastRecord().imageCount, lastRecord().imageBytes, lastRecord().imageMimes], [1, 2000, ['image/png']]);

      const json = await segmind('llava-v1.6', { images, prompt: 'What is this?' }, { 'x-sim-llava-format': 'json' });
      assert.match(((await json.json()) as Json).output, /^Simulator answer from `llava-v1.6`/);
    });

    it('rejects an image over 1120 px for Llama 3.2 Vision and any image for the text model with 422', async () => {
      const big = [{ type: 'image_url', image_url: { url: dataUrl('image/jpeg', jpeg(1600, 1200)) } }];
      const vision = await segmind('llama-v3p2-90b-vision-instruct', { messages: userMessage(big) });
      assert.equal(vision.status, 422);
      assert.match(((await vision.json()) as Json).error, /1600×1200.*1120/);

      const text = await segmind('llama-v3-8b-instruct', { messages: userMessage(big) });
      assert.equal(text.status, 422);
      assert.match(((await text.json()) as Json).error, /does not accept images/);
    });

    it('answers 422 to image bytes that are no image, as a mangled base64 would be', async () => {
      const res = await segmind('llava-v1.6', { images: Buffer.from('not an image at all').toString('base64'), prompt: 'What?' });
      assert.equal(res.status, 422);
      assert.match(((await res.json()) as Json).error, /not a PNG, JPEG, GIF or WebP/);
    });

    it('carries the balance on errors outside the model endpoints too', async () => {
      const res = await fetch(`${sim.segmindBaseUrl}/llava-v1.6/extra`, { method: 'POST', headers: { 'x-api-key': sim.validKey } });
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('x-remaining-credits'), String(sim.credits()));
      assert.equal(typeof ((await res.json()) as Json).error, 'string');
    });

    it('sends the 5 MB `big` answer as one JSON body', async () => {
      const res = await segmind('llama-v3-8b-instruct', { messages: userMessage() }, { 'x-sim-scenario': 'big' });
      const body = (await res.json()) as Json;
      assert.ok(body.choices[0].message.content.length >= 5 * 1024 * 1024);
    });

    it('makes `slow` wait about 3 s before answering', async function () {
      this.timeout(10_000);
      const started = Date.now();
      const res = await segmind('llama-v3-8b-instruct', { messages: userMessage() }, { 'x-sim-scenario': 'slow' });
      assert.equal(res.status, 200);
      assert.ok(Date.now() - started >= 2900, 'the answer came before the 3 s wait');
    });
  });

  describe('DeepInfra', () => {
    it('streams a role-only first delta, one token per chunk, usage on the finish chunk, then [DONE]', async () => {
      const res = await deepinfra({ stream: true }, { 'x-sim-tokens': '25' });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      const data = sseData(await res.text());
      const first = JSON.parse(data[0]) as Json;
      assert.deepEqual(first.choices[0].delta, { role: 'assistant', content: '' });
      assert.equal(data[data.length - 1], '[DONE]');
      const finish = JSON.parse(data[data.length - 2]) as Json;
      assert.deepEqual(finish.choices[0].delta, {});
      assert.equal(finish.choices[0].finish_reason, 'stop');
      assert.equal(finish.usage.completion_tokens, 25);
      assert.equal(finish.usage.total_tokens, finish.usage.prompt_tokens + 25);
      assert.ok(finish.usage.estimated_cost > 0);
      const tokens = data.slice(1, -2).map((d) => (JSON.parse(d) as Json).choices[0].delta.content as string);
      assert.equal(tokens.length, 25);
      assert.ok(tokens.slice(0, -1).every((t) => /^\S+\s+$/.test(t)), 'each token is a word plus its space');
      assert.match(tokens.join(''), /^Simulator answer from `meta-llama\/Meta-Llama-3-8B-Instruct`: 1 message;/);
    });

    it('answers stream:false with a chat.completion whose usage has estimated_cost', async () => {
      const res = await deepinfra({ stream: false });
      const body = (await res.json()) as Json;
      assert.equal(body.object, 'chat.completion');
      assert.equal(body.model, LLAMA_8B);
      assert.equal(body.usage.completion_tokens, 60);
      assert.ok(body.usage.estimated_cost > 0);
      assert.match(body.choices[0].message.content, /```ts\n[^`]+\n```/, 'the default answer holds a whole code block');
    });

    it('streams a reasoning model’s reasoning_content before its answer, bills it, and records what came back of earlier turns', async () => {
      const res = await deepinfra({ stream: true, model: 'deepseek-ai/DeepSeek-R1' }, { 'x-sim-tokens': '10' });
      const data = sseData(await res.text()).slice(1, -2).map((d) => (JSON.parse(d) as Json).choices[0].delta as Json);
      const firstContent = data.findIndex((d) => d.content !== undefined);
      assert.ok(firstContent > 10, 'many reasoning fragments come first');
      assert.ok(data.slice(0, firstContent).every((d) => typeof d.reasoning_content === 'string' && d.content === undefined));
      assert.match(data.slice(0, firstContent).map((d) => d.reasoning_content as string).join(''), /^Simulated reasoning for turn 1: /);
      assert.equal(data.slice(firstContent).length, 10);
      assert.equal(lastRecord().tokensSent, data.length);

      // A client that sends the reasoning back is seen doing it.
      await deepinfra({
        model: 'deepseek-ai/DeepSeek-R1',
        messages: [
          { role: 'user', content: 'one' },
          { role: 'assistant', content: 'An answer.', reasoning_content: 'Simulated reasoning for turn 1' },
          { role: 'user', content: 'two' },
        ],
      });
      assert.deepEqual(lastRecord().assistantTexts, ['An answer.']);
      assert.equal(lastRecord().reasoningFields, 1);
    });

    it('leaves <think> tags in the content for an R1 distill, and streams `reasoning` for an Ollama thinking model', async () => {
      const distill = (await (await deepinfra({ model: 'deepseek-ai/DeepSeek-R1-Distill-Llama-70B' })).json()) as Json;
      assert.match(distill.choices[0].message.content, /^<think>\nSimulated reasoning for turn 1[^]*\n<\/think>\n\nSimulator answer from/);
      assert.equal(distill.choices[0].message.reasoning_content, undefined);
      const res = await fetch(`${sim.openaiBaseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'qwen3:8b', stream: true, messages: userMessage() }),
      });
      const deltas = sseData(await res.text()).slice(1, -2).map((d) => (JSON.parse(d) as Json).choices[0].delta as Json);
      assert.match(deltas.filter((d) => d.reasoning !== undefined).map((d) => d.reasoning as string).join(''), /^Simulated reasoning/);
    });

    it('streams 20 000 tokens completely through the batched writer', async () => {
      const res = await deepinfra({ stream: true }, { 'x-sim-tokens': '20000' });
      const body = await res.text();
      assert.equal(contentDeltas(body).length, 20_000);
      assert.ok(body.endsWith('data: [DONE]\n\n'));
      assert.equal(lastRecord().tokensSent, 20_000);
    });

    it('holds a stream back while the reader pauses, instead of piling it up in memory', async () => {
      const tokens = 200_000; // about 40 MB of frames: more than any socket buffer holds
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = httpRequest(`${sim.deepinfraBaseUrl}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${sim.validKey}`, 'x-sim-tokens': String(tokens) },
        });
        req.on('response', resolve).on('error', reject);
        req.end(JSON.stringify({ model: LLAMA_8B, stream: true, messages: userMessage() }));
      });
      res.pause();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const rec = lastRecord();
      assert.ok(rec.tokensSent < tokens / 2, `${rec.tokensSent} tokens were written to a reader that reads nothing`);
      res.setEncoding('utf8');
      let body = '';
      for await (const chunk of res) body += chunk;
      assert.equal(contentDeltas(body).length, tokens);
    });

    it('uses DeepInfra error shapes: error object for 401, detail list for 422, detail for 404 and 429, string for 5xx', async () => {
      const wrongKey = await deepinfra({}, { authorization: 'Bearer wrong' });
      assert.equal(wrongKey.status, 401);
      assert.equal(typeof ((await wrongKey.json()) as Json).error.message, 'string');

      const noMessages = await deepinfra({ messages: [] });
      assert.equal(noMessages.status, 422);
      const detail = ((await noMessages.json()) as Json).detail;
      assert.deepEqual(detail[0].loc, ['body', 'messages']);
      assert.equal(typeof detail[0].msg, 'string');

      const unknownModel = await deepinfra({ model: 'meta-llama/Nope' });
      assert.equal(unknownModel.status, 404);
      assert.equal(typeof ((await unknownModel.json()) as Json).detail, 'string');

      const limited = await deepinfra({}, { 'x-sim-scenario': 'status-429' });
      assert.deepEqual(await limited.json(), { detail: 'Rate limited' });
      assert.equal(limited.headers.get('retry-after'), null);

      const down = await deepinfra({}, { 'x-sim-scenario': 'status-503' });
      assert.equal(down.status, 503);
      assert.equal(typeof ((await down.json()) as Json).error, 'string');
    });

    it('forces an error shape with x-sim-error-shape, adds Retry-After on request, and says 402 when out of balance', async () => {
      const forced = await deepinfra({}, { 'x-sim-scenario': 'status-500', 'x-sim-error-shape': 'detail-list' });
      assert.equal(forced.status, 500);
      assert.ok(Array.isArray(((await forced.json()) as Json).detail));

      const retry = await deepinfra({}, { 'x-sim-scenario': 'status-429-retry-after' });
      assert.equal(retry.status, 429);
      assert.equal(retry.headers.get('retry-after'), '1');
      await retry.body?.cancel();

      const broke = await deepinfra({}, { 'x-sim-scenario': 'status-406' });
      assert.equal(broke.status, 402);
      await broke.body?.cancel();
    });

    it('lists dozens of models without a key (the built-in ones among them, a few not chat), but wants the key for /v1/me', async () => {
      const models = (await (await fetch(`${sim.deepinfraBaseUrl}/models`)).json()) as Json;
      const ids = models.data.map((m: Json) => m.id);
      for (const m of BUILTIN_MODELS.filter((b) => b.provider === 'deepinfra')) assert.ok(ids.includes(m.providerModelId), m.providerModelId);
      assert.ok(ids.length >= 40);
      const chat = models.data.filter((m: Json) => m.metadata.pricing.output_tokens !== undefined);
      assert.ok(chat.every((m: Json) => m.metadata.context_length > 0 && m.metadata.pricing.input_tokens > 0));
      assert.ok(models.data.length - chat.length >= 4, 'a few embedding, image and speech models');
      sim.configure({ listingsDown: true });
      assert.equal((await fetch(`${sim.deepinfraBaseUrl}/models`)).status, 503);
      sim.configure({ listingsDown: false });

      const me = `${sim.url}/deepinfra/v1/me`;
      assert.equal((await fetch(me)).status, 401);
      assert.equal((await fetch(me, { headers: { authorization: `Bearer ${sim.validKey}` } })).status, 200);
    });

    it('reads an image in the request and reports its type, size and pixels in the answer and the record', async () => {
      const image = png(800, 600, 12_345);
      const res = await deepinfra({
        model: LLAMA_11B_VISION,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Earlier question' },
          { role: 'assistant', content: 'Earlier answer' },
          { role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: dataUrl('image/png', image) } }] },
        ],
      });
      const content = ((await res.json()) as Json).choices[0].message.content as string;
      assert.match(content, /4 messages; your last prompt had 24 characters; 1 image \(image\/png, 12 345 bytes, 800×600\)\./);
      const rec = lastRecord();
      assert.deepEqual(
        [rec.messageCount, rec.imageCount, rec.imageBytes, rec.imageMimes, rec.imageSizes, rec.roles],
        [4, 1, 12_345, ['image/png'], [{ width: 800, height: 600 }], ['system', 'user', 'assistant', 'user']],
      );
    });

    it('answers 422 in the detail-list shape to an image over 1120 px for Llama 3.2 Vision', async () => {
      const parts = [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: dataUrl('image/png', png(1121, 800)) } }];
      const res = await deepinfra({ model: LLAMA_11B_VISION, messages: userMessage(parts) });
      assert.equal(res.status, 422);
      const detail = ((await res.json()) as Json).detail;
      assert.deepEqual(detail[0].loc, ['body', 'messages', 0, 'content', 1, 'image_url']);
      assert.match(detail[0].msg, /1121×800/);

      const fits = await deepinfra({ model: LLAMA_11B_VISION, messages: userMessage([{ type: 'image_url', image_url: { url: dataUrl('image/png', png(1120, 1120)) } }]) });
      assert.equal(fits.status, 200);
      await fits.body?.cancel();
    });

    it('answers 413 to a body over 30 MB', async function () {
      this.timeout(30_000);
      const huge = 'A'.repeat(31 * 1024 * 1024);
      const res = await deepinfra({ messages: userMessage(huge) });
      assert.equal(res.status, 413);
      assert.match(JSON.stringify(await res.json()), /30 MB/);
    });

    it('never records the key', async () => {
      await (await deepinfra({})).text();
      await (await segmind('llama-v3-8b-instruct', { messages: userMessage() })).text();
      const log = await (await fetch(`${sim.url}/__sim/requests`)).text();
      assert.ok(!log.includes(sim.validKey));
      assert.ok(!JSON.stringify(sim.requests).includes(sim.validKey));
    });
  });

  describe('OpenAI-compatible server', () => {
    it('accepts no key or any key and leaves out estimated_cost', async () => {
      for (const headers of [{}, { authorization: 'Bearer anything' }] as Record<string, string>[]) {
        const res = await openai({ stream: true }, headers);
        assert.equal(res.status, 200);
        const data = sseData(await res.text());
        const finish = JSON.parse(data[data.length - 2]) as Json;
        assert.ok(finish.usage.completion_tokens > 0);
        assert.equal(finish.usage.estimated_cost, undefined);
      }
    });

    it('lists sim-text and sim-vision, and sim-text refuses images', async () => {
      const models = (await (await fetch(`${sim.openaiBaseUrl}/models`)).json()) as Json;
      assert.deepEqual(models.data.map((m: Json) => m.id).slice(0, 2), ['sim-text', 'sim-vision']);
      const parts = [{ type: 'image_url', image_url: { url: dataUrl('image/png', png(10, 10)) } }];
      assert.equal((await openai({ messages: userMessage(parts) })).status, 422);
      const vision = await openai({ model: 'sim-vision', messages: userMessage(parts) });
      assert.equal(vision.status, 200);
      await vision.body?.cancel();
    });
  });

  describe('scenarios', () => {
    const streamed = (scenario: string) => deepinfra({ stream: true }, { 'x-sim-scenario': scenario });

    it('malformed-frame: a few deltas, then a frame that is not JSON', async () => {
      const data = sseData(await (await streamed('malformed-frame')).text());
      assert.equal(data.length, 1 + 3 + 1);
      assert.equal(data[data.length - 1], '{not json');
    });

    it('cut-mid-stream: a few deltas, then the connection is destroyed', async () => {
      const res = await streamed('cut-mid-stream');
      let text = '';
      const decoder = new TextDecoder();
      await assert.rejects(async () => {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
      });
      assert.equal(contentDeltas(text).length, 3);
      assert.ok(!text.includes('[DONE]'));
      assert.equal(lastRecord().closedByClient, false, 'the server cut it, not the client');
    });

    it('error-frame: a few deltas, then an overloaded error frame', async () => {
      const data = sseData(await (await streamed('error-frame')).text());
      assert.deepEqual(JSON.parse(data[data.length - 1]), { error_type: 'overloaded_error', error_message: 'Model is overloaded' });
      assert.equal(contentDeltas((await (await streamed('error-frame')).text())).length, 3);
    });

    it('no-done: ends after the finish chunk without [DONE]', async () => {
      const data = sseData(await (await streamed('no-done')).text());
      assert.notEqual(data[data.length - 1], '[DONE]');
      assert.equal((JSON.parse(data[data.length - 1]) as Json).choices[0].finish_reason, 'stop');
    });

    it('big: about 5 MB streamed in many chunks', async () => {
      const deltas = contentDeltas(await (await streamed('big')).text());
      assert.ok(deltas.length > 100);
      assert.ok(deltas.join('').length >= 5 * 1024 * 1024);
    });

    it('hostile: scripts, an onerror image, a javascript: link, an html fence and a 1 MB line', async () => {
      const text = contentDeltas(await (await streamed('hostile')).text()).join('');
      for (const needle of ['<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">', '[click](javascript:window.__pwned=1)', '```html\n<script>']) {
        assert.ok(text.includes(needle), `missing ${needle}`);
      }
      assert.ok(text.split('\n').some((line) => line.length >= 1024 * 1024));
    });

    it('stray-eos: the last token is </s>', async () => {
      const deltas = contentDeltas(await (await streamed('stray-eos')).text());
      assert.equal(deltas[deltas.length - 1], '</s>');
    });

    it('slow: streams at about 20 tokens per second', async function () {
      this.timeout(10_000);
      const started = Date.now();
      const res = await deepinfra({ stream: true }, { 'x-sim-scenario': 'slow', 'x-sim-tokens': '11' });
      assert.equal(contentDeltas(await res.text()).length, 11);
      assert.ok(Date.now() - started >= 450, '11 tokens at 20/s take at least half a second');
    });

    it('x-sim-rate paces a stream with timers', async () => {
      const started = Date.now();
      const res = await deepinfra({ stream: true }, { 'x-sim-rate': '100', 'x-sim-tokens': '31' });
      assert.equal(contentDeltas(await res.text()).length, 31);
      assert.ok(Date.now() - started >= 280, '31 tokens at 100/s take at least 0.3 s');
    });

    it('hang: never sends headers, and the client giving up is recorded at once', async () => {
      const controller = new AbortController();
      const request = deepinfra({ stream: true }, { 'x-sim-scenario': 'hang' }, controller.signal);
      const arrived = await nextEvent<SimRequestRecord>(sim, 'request');
      assert.equal(arrived.scenario, 'hang');
      const closed = nextEvent<SimRequestRecord>(sim, 'clientClosed');
      const abortedAt = Date.now();
      controller.abort();
      await assert.rejects(request);
      const rec = await closed;
      assert.equal(rec.status, 0);
      assert.equal(rec.closedByClient, true);
      assert.equal(rec.finished, false);
      assert.ok(rec.closedAt! >= abortedAt);
    });

    it('hang-mid-stream: a few deltas, then silence with the connection open', async () => {
      const controller = new AbortController();
      const res = await deepinfra({ stream: true }, { 'x-sim-scenario': 'hang-mid-stream' }, controller.signal);
      const text = await readUntil(res, (t) => contentDeltas(t).length >= 3);
      assert.equal(contentDeltas(text).length, 3);
      const rec = lastRecord();
      assert.equal(rec.finished, false);
      assert.equal(rec.closedByClient, false);
      const closed = nextEvent<SimRequestRecord>(sim, 'clientClosed');
      controller.abort();
      assert.equal((await closed).id, rec.id);
    });

    it('Segmind takes the same streaming scenarios as broken single bodies', async () => {
      const malformed = await segmind('llama-v3-8b-instruct', { messages: userMessage() }, { 'x-sim-scenario': 'malformed-frame' });
      assert.equal(malformed.status, 200);
      await assert.rejects(malformed.json());

      const cut = await segmind('llama-v3-8b-instruct', { messages: userMessage() }, { 'x-sim-scenario': 'cut-mid-stream' });
      await assert.rejects(cut.text());

      const overloaded = await segmind('llama-v3-8b-instruct', { messages: userMessage() }, { 'x-sim-scenario': 'error-frame' });
      assert.deepEqual(await overloaded.json(), { error_type: 'overloaded_error', error_message: 'Model is overloaded' });

      const limited = await segmind('llama-v3-8b-instruct', { messages: userMessage() }, { 'x-sim-scenario': 'status-429-retry-after' });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '1');
      assert.ok(limited.headers.has('x-remaining-credits'));
      assert.equal(typeof ((await limited.json()) as Json).error, 'string');
    });

    it('an unknown x-sim-scenario fails loudly instead of running ok', async () => {
      const res = await deepinfra({}, { 'x-sim-scenario': 'status-428' });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as Json).error, /Unknown x-sim-scenario/);
    });
  });

  describe('client closing', () => {
    it('records closedByClient and emits clientClosed the moment a streaming client aborts', async () => {
      const controller = new AbortController();
      const res = await deepinfra({ stream: true }, { 'x-sim-rate': '20', 'x-sim-tokens': '200' }, controller.signal);
      await readUntil(res, (t) => contentDeltas(t).length >= 1);
      const closed = nextEvent<SimRequestRecord>(sim, 'clientClosed');
      controller.abort();
      const rec = await closed;
      assert.equal(rec.closedByClient, true);
      assert.equal(rec.finished, false);
      assert.ok(rec.closedAt !== undefined && rec.closedAt >= rec.startedAt);
      assert.ok(rec.tokensSent < 200, 'the stream stopped when the client left');
      const sentWhenClosed = rec.tokensSent;
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(rec.tokensSent, sentWhenClosed, 'nothing is written after the client left');
    });

    it('sees a Segmind client give up during the wait, and charges nothing', async () => {
      const controller = new AbortController();
      const before = sim.credits();
      const request = fetch(`${sim.segmindBaseUrl}/llama-v3-8b-instruct`, {
        method: 'POST',
        headers: { 'x-api-key': sim.validKey, 'x-sim-scenario': 'slow' },
        body: JSON.stringify({ messages: userMessage() }),
        signal: controller.signal,
      });
      await nextEvent(sim, 'request');
      const closed = nextEvent<SimRequestRecord>(sim, 'clientClosed');
      controller.abort();
      await assert.rejects(request);
      assert.equal((await closed).provider, 'segmind');
      assert.equal(sim.credits(), before);
    });

    it('emits finished, not clientClosed, for a response read to the end', async () => {
      let clientClosed = 0;
      sim.on('clientClosed', () => clientClosed++);
      const finished = nextEvent<SimRequestRecord>(sim, 'finished');
      await (await deepinfra({ stream: true })).text();
      const rec = await finished;
      assert.deepEqual([rec.finished, rec.closedByClient, rec.tokensSent], [true, false, 60]);
      assert.equal(clientClosed, 0);
    });

    it('close() ends a hanging request instead of waiting for it', async () => {
      const other = await startSimulator();
      const request = fetch(`${other.deepinfraBaseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${other.validKey}`, 'x-sim-scenario': 'hang' },
        body: JSON.stringify({ model: LLAMA_8B, messages: userMessage() }),
      });
      await nextEvent(other, 'request');
      await other.close();
      await assert.rejects(request);
      assert.equal(other.requests[0].closedByClient, false, 'the simulator closed it, not the client');
    });
  });

  describe('control', () => {
    it('queues a scenario for the next N model requests, leaving other endpoints and bad keys alone', async () => {
      const queued = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ name: 'status-500', count: 2 }) });
      assert.equal(queued.status, 200);
      assert.equal((await fetch(`${sim.deepinfraBaseUrl}/models`)).status, 200);
      assert.equal((await deepinfra({}, { authorization: 'Bearer wrong' })).status, 401);
      assert.equal((await deepinfra({})).status, 500);
      assert.equal((await segmind('llama-v3-8b-instruct', { messages: userMessage() })).status, 500);
      assert.equal((await deepinfra({})).status, 200);
    });

    it('queueScenario does the same in-process', async () => {
      sim.queueScenario('status-401');
      assert.equal((await deepinfra({})).status, 401);
      assert.equal((await deepinfra({})).status, 200);
    });

    it('configures answer length, rate and credits over HTTP and in-process', async () => {
      const res = await fetch(`${sim.url}/__sim/config`, { method: 'POST', body: JSON.stringify({ answerTokens: 7, credits: 5 }) });
      assert.deepEqual(await res.json(), { tokensPerSecond: 0, answerTokens: 7, credits: 5, listingsDown: false });
      assert.equal(contentDeltas(await (await deepinfra({ stream: true })).text()).length, 7);
      assert.equal(sim.credits(), 5);
      sim.configure({ answerTokens: 3 });
      assert.equal(contentDeltas(await (await deepinfra({ stream: true })).text()).length, 3);
      const bad = await fetch(`${sim.url}/__sim/config`, { method: 'POST', body: JSON.stringify({ answerTokens: -1 }) });
      assert.equal(bad.status, 400);
    });

    it('lists the request records and resets them with the queue and options', async () => {
      await (await deepinfra({ stream: true })).text();
      const records = (await (await fetch(`${sim.url}/__sim/requests`)).json()) as SimRequestRecord[];
      const chat = records.find((r) => r.provider === 'deepinfra');
      assert.ok(chat);
      assert.deepEqual([chat.model, chat.stream, chat.status, chat.finished, chat.authorized], [LLAMA_8B, true, 200, true, true]);

      sim.queueScenario('status-500');
      sim.configure({ answerTokens: 2, credits: 1 });
      assert.equal((await fetch(`${sim.url}/__sim/reset`, { method: 'POST' })).status, 200);
      assert.equal(sim.requests.length, 0);
      assert.equal(sim.credits(), 25);
      const after = await deepinfra({ stream: true });
      assert.equal(contentDeltas(await after.text()).length, 60);
    });

    it('rejects an unknown scenario name with the list of known ones', async () => {
      const res = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ name: 'explode' }) });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as Json).error, /Known: ok, slow/);
    });
  });
});
