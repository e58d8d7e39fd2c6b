// Client overhead: the core DeepInfra client against the least a client can do (a bare
// `undici.request` piped into `eventsource-parser`, JSON-parsing each chunk), on the same simulator
// stream in the same run. The two alternate, first one then the other, so drift hits both alike.

import { createParser } from 'eventsource-parser';
import { request } from 'undici';
import type { ChatRequest } from '../src/core/types';
import { log, median, ms, quick, report, requireFiles, run } from './lib';

interface Timing {
  /** From the call to the first non-empty text delta. */
  readonly firstMs: number;
  readonly totalMs: number;
  readonly chars: number;
}

const SIZES = [
  { tokens: 1_000, rounds: quick ? 10 : 30 },
  { tokens: 10_000, rounds: quick ? 5 : 15 },
  { tokens: 100_000, rounds: quick ? 3 : 7 },
];
const WARM_UP_ROUNDS = 3;

async function bare(baseUrl: string, key: string, chat: ChatRequest): Promise<Timing> {
  const started = performance.now();
  let firstMs = NaN;
  let chars = 0;
  const { body } = await request(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      model: chat.model.providerModelId,
      messages: chat.messages,
      max_tokens: chat.options?.maxTokens,
      stream: true,
    }),
  });
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') return;
      const text: unknown = JSON.parse(event.data).choices?.[0]?.delta?.content;
      if (typeof text !== 'string' || text === '') return;
      if (Number.isNaN(firstMs)) firstMs = performance.now() - started;
      chars += text.length;
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of body) parser.feed(decoder.decode(chunk, { stream: true }));
  return { firstMs, totalMs: performance.now() - started, chars };
}

run(async () => {
  requireFiles('client overhead', ['src/simulator/server.ts', 'src/core/providers.ts']);
  const { startSimulator } = await import('../src/simulator/server');
  const { createProvider } = await import('../src/core/providers');
  const { BUILTIN_MODELS } = await import('../src/core/catalog');

  const sim = await startSimulator({ tokensPerSecond: 0 });
  try {
    const model = BUILTIN_MODELS.find((m) => m.provider === 'deepinfra' && !m.vision);
    if (!model) throw new Error('no DeepInfra text model in the catalog');
    const provider = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey });

    async function core(chat: ChatRequest): Promise<Timing> {
      const started = performance.now();
      let firstMs = NaN;
      let chars = 0;
      for await (const event of provider.stream(chat)) {
        if (event.type !== 'delta' || event.text === '') continue;
        if (Number.isNaN(firstMs)) firstMs = performance.now() - started;
        chars += event.text.length;
      }
      return { firstMs, totalMs: performance.now() - started, chars };
    }

    for (const { tokens, rounds } of SIZES) {
      sim.configure({ answerTokens: tokens });
      const chat: ChatRequest = {
        model,
        messages: [{ role: 'user', content: 'Write a long answer.' }],
        options: { maxTokens: tokens },
      };
      const timings = { core: [] as Timing[], bare: [] as Timing[] };
      for (let round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
        // Alternate who goes first, so neither always meets a warmer or colder process.
        const order = round % 2 ? (['bare', 'core'] as const) : (['core', 'bare'] as const);
        for (const who of order) {
          const timing = who === 'core' ? await core(chat) : await bare(sim.deepinfraBaseUrl, sim.validKey, chat);
          if (round >= WARM_UP_ROUNDS) timings[who].push(timing);
        }
      }
      const [c, b] = [timings.core[0], timings.bare[0]];
      if (c.chars !== b.chars) throw new Error(`core received ${c.chars} characters, bare ${b.chars}: not the same stream`);

      const label = `${tokens / 1000}k tokens`;
      const total = { core: median(timings.core.map((t) => t.totalMs)), bare: median(timings.bare.map((t) => t.totalMs)) };
      const first = { core: median(timings.core.map((t) => t.firstMs)), bare: median(timings.bare.map((t) => t.firstMs)) };
      const ratio = total.core / total.bare;
      const added = first.core - first.bare;
      log(`${label}: total ${ms(total.core)} vs ${ms(total.bare)}, first delta ${ms(first.core)} vs ${ms(first.bare)} (${rounds} rounds)`);
      report({
        what: `${label}: total time`,
        value: `×${ratio.toFixed(2)} (${ms(total.core)} vs bare ${ms(total.bare)})`,
        budget: '≤ ×1.10',
        ok: ratio <= 1.1,
        note: `median of ${rounds}`,
      });
      report({
        what: `${label}: first delta`,
        value: `${added >= 0 ? '+' : ''}${ms(added)} (${ms(first.core)} vs bare ${ms(first.bare)})`,
        budget: '≤ +1 ms',
        ok: added <= 1,
        note: `median of ${rounds}`,
      });
    }
  } finally {
    await sim.close();
  }
});
