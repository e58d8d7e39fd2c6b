// A model's reasoning, kept apart from its answer: `delta.reasoning_content`, `delta.reasoning`, a
// leading `<think>…</think>` cut anywhere, non-streamed messages, and the ceiling on runaway thinking.

import * as assert from 'node:assert/strict';
import { SseReader } from '../../../src/core/openaiCompatible';
import { parseCompletion } from '../../../src/core/openaiFormat';
import { collect, createProvider } from '../../../src/core/providers';
import { ThinkTagSplitter } from '../../../src/core/thinkTags';
import { REASONING_LIMIT_CHARS, REASONING_LIMIT_REASON, type ChatEvent, type ModelInfo, type ProviderConfig } from '../../../src/core/types';
import { REASONING_MARK } from '../../../src/simulator/reasoning';
import { useSimulator } from '../extension/harness';
import { deepinfraText, openaiModel } from './fixtures';
import { finish, frame, run, startServer, writeEvents } from './net';

const FAST: Partial<ProviderConfig> = {
  retry: { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 50, maxTotalMs: 2000 },
  timeouts: { firstByteMs: 2000, idleMs: 2000 },
};

const deepinfraModel = (providerModelId: string): ModelInfo => ({ ...deepinfraText(), id: `deepinfra:${providerModelId}`, providerModelId, displayName: providerModelId });

function split(pieces: readonly string[]): { reasoning: string; text: string } {
  const s = new ThinkTagSplitter();
  let text = '';
  let reasoning = '';
  for (const piece of pieces) {
    text += s.push(piece);
    reasoning += s.takeReasoning();
  }
  text += s.end();
  reasoning += s.takeReasoning();
  return { reasoning, text };
}

function reasoningOf(events: readonly ChatEvent[]): string {
  return events.map((e) => (e.type === 'reasoning' ? e.text : '')).join('');
}

describe('core reasoning', function () {
  describe('<think> tags at the start of the content', () => {
    const whole = '\n<think>\nThe user wants 2 + 2.\nIt is 4 </thin or is it?\n</think>\n\nThe answer is **4**. <think>stays</think>';
    const expected = { reasoning: 'The user wants 2 + 2.\nIt is 4 </thin or is it?\n', text: 'The answer is **4**. <think>stays</think>' };

    it('splits the reasoning from the answer, and leaves a later <think> in the answer', () => {
      assert.deepEqual(split([whole]), expected);
    });

    it('gives the same split wherever one cut falls', () => {
      for (let at = 0; at <= whole.length; at++) assert.deepEqual(split([whole.slice(0, at), whole.slice(at)]), expected, `cut at ${at}`);
    });

    it('gives the same split when every character is its own delta, or every pair is cut twice', () => {
      assert.deepEqual(split([...whole]), expected);
      for (let a = 0; a < 24; a++) {
        for (let b = a; b <= whole.length; b += 3) assert.deepEqual(split([whole.slice(0, a), whole.slice(a, b), whole.slice(b)]), expected, `cuts at ${a}, ${b}`);
      }
    });

    it('leaves content without a leading <think> alone, even one that starts like it', () => {
      assert.deepEqual(split(['<thin', 'g>x']), { reasoning: '', text: '<thing>x' });
      assert.deepEqual(split(['Hello <think>']), { reasoning: '', text: 'Hello <think>' });
      assert.deepEqual(split(['  ', '<th']), { reasoning: '', text: '  <th' }, 'an answer that is only the start of a tag');
      assert.deepEqual(split(['<p>hi</p>']), { reasoning: '', text: '<p>hi</p>' });
    });

    it('keeps reasoning that never closes (the answer was cut short) as reasoning', () => {
      assert.deepEqual(split(['<think>still going </th']), { reasoning: 'still going </th', text: '' });
    });
  });

  describe('a streamed answer', () => {
    /** Feeds the recorded body in the given chunks, as the client does. */
    function readRecorded(chunks: readonly Buffer[]): { reasoning: string; text: string } {
      const reader = new SseReader('deepinfra', undefined);
      let text = '';
      let reasoning = '';
      for (const chunk of chunks) {
        reader.feed(reader.decode(chunk));
        text += reader.take();
        reasoning += reader.takeReasoning();
      }
      text += reader.finish();
      reasoning += reader.takeReasoning();
      reader.assertComplete();
      return { reasoning, text };
    }

    const body = Buffer.from(
      frame({ role: 'assistant', content: '' }) +
        frame({ reasoning_content: 'Thinking ' }) +
        frame({ reasoning_content: 'about café' }) +
        frame({ content: '', reasoning_content: null }) +
        frame({ content: 'The answer' }) +
        frame({ content: ' is 4.' }) +
        finish(),
    );
    const inline = Buffer.from(
      frame({ role: 'assistant', content: '' }) +
        frame({ content: '<think>' }) +
        frame({ content: '\nThinking about ' }) +
        frame({ content: 'café\n</think>' }) +
        frame({ content: '\n\nThe answer' }) +
        frame({ content: ' is 4.' }) +
        finish(),
    );

    for (const [name, recorded, reasoning] of [
      ['reasoning_content', body, 'Thinking about café'],
      ['<think> tags', inline, 'Thinking about café\n'],
    ] as const) {
      it(`reads ${name} apart from the text wherever the network cuts the body`, () => {
        const expected = { reasoning, text: 'The answer is 4.' };
        assert.deepEqual(readRecorded([recorded]), expected);
        for (let at = 1; at < recorded.length; at++) assert.deepEqual(readRecorded([recorded.subarray(0, at), recorded.subarray(at)]), expected, `split at byte ${at}`);
      });
    }

    it('takes `delta.reasoning` (Ollama, OpenRouter) as well, and `reasoning_content` over it when a server sends both', async () => {
      const server = await startServer((_req, res) =>
        writeEvents(res, [
          frame({ role: 'assistant', content: '', reasoning: '' }),
          frame({ reasoning: 'Ollama ' }),
          frame({ reasoning: 'thinks.' }),
          frame({ reasoning_content: 'vLLM thinks.', reasoning: 'vLLM thinks.' }),
          frame({ content: 'Done.' }),
          finish(),
          'data: [DONE]\n\n',
        ]),
      );
      try {
        const provider = createProvider('openaiCompatible', { baseUrl: server.url, ...FAST });
        const result = await collect(provider.stream({ model: openaiModel('sim-text'), messages: [{ role: 'user', content: 'hi' }] }));
        assert.equal(result.reasoning, 'Ollama thinks.vLLM thinks.');
        assert.equal(result.text, 'Done.');
      } finally {
        await server.close();
      }
    });

    it('cuts reasoning that runs past its ceiling, keeping what came, and ends with the reasoning limit', async () => {
      const piece = 'x'.repeat(64 * 1024);
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        let sent = 0;
        const more = (): void => {
          // A server that thinks forever: it would never answer.
          while (sent < 64 && res.write(frame({ reasoning_content: piece }))) sent++;
          if (sent < 64) res.once('drain', more);
          else res.end(frame({ content: 'never reached' }) + finish());
        };
        more();
      });
      try {
        const provider = createProvider('openaiCompatible', { baseUrl: server.url, ...FAST });
        const { events, error } = await run(provider.stream({ model: openaiModel('sim-text'), messages: [{ role: 'user', content: 'hi' }] }));
        assert.equal(error, undefined);
        assert.equal(reasoningOf(events).length, REASONING_LIMIT_CHARS);
        assert.ok(!events.some((e) => e.type === 'delta'), 'no answer text after the cut');
        const end = events.at(-1);
        assert.ok(end?.type === 'end' && end.finishReason === REASONING_LIMIT_REASON && end.outcome === 'complete');
      } finally {
        await server.close();
      }
    });
  });

  describe('a whole completion', () => {
    it('reads message.reasoning_content, message.reasoning and leading <think> tags', () => {
      const completion = (message: Record<string, unknown>) => parseCompletion({ choices: [{ message: { role: 'assistant', ...message }, finish_reason: 'stop' }] });
      assert.deepEqual(completion({ content: 'Hi', reasoning_content: 'Hmm.' }), { text: 'Hi', reasoning: 'Hmm.', finishReason: 'stop', usage: undefined });
      assert.equal(completion({ content: 'Hi', reasoning: 'Hmm.' })?.reasoning, 'Hmm.');
      assert.deepEqual(completion({ content: '<think>Hmm.</think>\n\nHi</s>' }), { text: 'Hi', reasoning: 'Hmm.', finishReason: 'stop', usage: undefined });
      assert.equal(completion({ content: 'Hi', reasoning_content: 42 })?.reasoning, undefined, 'a reasoning that is not text is ignored');
    });
  });

  describe('against the simulator', () => {
    const sim = useSimulator();

    for (const [name, provider, model] of [
      ['DeepInfra reasoning_content (DeepSeek-R1)', 'deepinfra', deepinfraModel('deepseek-ai/DeepSeek-R1')],
      ['DeepInfra <think> tags (R1 Distill)', 'deepinfra', deepinfraModel('deepseek-ai/DeepSeek-R1-Distill-Llama-70B')],
      ['Ollama reasoning (qwen3:8b)', 'openaiCompatible', { ...openaiModel('sim-text'), id: 'openaiCompatible:qwen3:8b', providerModelId: 'qwen3:8b' }],
    ] as const) {
      it(`streams the thinking first, then an answer without it: ${name}`, async () => {
        const baseUrl = provider === 'deepinfra' ? sim.deepinfraBaseUrl : sim.openaiBaseUrl;
        const client = createProvider(provider, { baseUrl, apiKey: sim.validKey, ...FAST });
        const { events, error } = await run(client.stream({ model, messages: [{ role: 'user', content: 'What is 2 + 2?' }] }));
        assert.equal(error, undefined);
        const reasoning = reasoningOf(events);
        assert.ok(reasoning.startsWith(`${REASONING_MARK} for turn 1`), reasoning);
        const firstText = events.findIndex((e) => e.type === 'delta');
        assert.ok(events.findIndex((e) => e.type === 'reasoning') < firstText, 'reasoning comes before the answer');
        const text = events.map((e) => (e.type === 'delta' ? e.text : '')).join('');
        assert.ok(text.startsWith('Simulator answer from'), text.slice(0, 80));
        assert.ok(!text.includes(REASONING_MARK) && !text.includes('think>'));
      });
    }

    it('gives a model that does not reason no reasoning event', async () => {
      const client = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey, ...FAST });
      const result = await collect(client.stream({ model: deepinfraText(), messages: [{ role: 'user', content: 'hi' }] }));
      assert.equal(result.reasoning, '');
      assert.ok(result.text.length > 0);
    });
  });
});
