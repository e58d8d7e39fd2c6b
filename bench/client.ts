// Client overhead: the core DeepInfra client against the least a client can do (a bare
// `undici.request` piped into `eventsource-parser`, JSON-parsing each chunk), on the same simulator
// stream in the same run. The two alternate, first one then the other, so drift hits both alike.
// The simulator runs in its own process so its work and garbage do not land on the client's clock.

import { createParser } from 'eventsource-parser';
import { request } from 'undici';
import type { ChatRequest } from '../src/core/types';
import { log, median, ms, quick, report, requireFiles, run, startSimulatorProcess } from './lib';

interface Timing {
  /** From the call to the first non-empty text delta. */
  readonly firstMs: number;
  readonly totalMs: number;
  /** CPU time this process spent on the stream: the client's own work, whatever else the machine runs. */
  readonly cpuMs: number;
  readonly chars: number;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const SIZES = [
  { tokens: 1_000, rounds: quick ? 20 : 100 },
  { tokens: 10_000, rounds: quick ? 10 : 40 },
  { tokens: 100_000, rounds: quick ? 3 : 15 },
];
const WARM_UP_ROUNDS = 3;

async function bare(baseUrl: string, key: string, chat: ChatRequest): Promise<Timing> {
  const started = performance.now();
  const cpu = process.cpuUsage();
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
  return { firstMs, totalMs: performance.now() - started, cpuMs: cpuMsSince(cpu), chars };
}

run(async () => {
  requireFiles('client overhead', ['src/simulator/server.ts', 'src/core/providers.ts']);
  const { createProvider } = await import('../src/core/providers');
  const { BUILTIN_MODELS } = await import('../src/core/catalog');

  const sim = await startSimulatorProcess();
  try {
    const model = BUILTIN_MODELS.find((m) => m.provider === 'deepinfra' && !m.vision);
    if (!model) throw new Error('no DeepInfra text model in the catalog');
    const provider = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey });

    async function core(chat: ChatRequest): Promise<Timing> {
      const started = performance.now();
      const cpu = process.cpuUsage();
      let firstMs = NaN;
      let chars = 0;
      for await (const event of provider.stream(chat)) {
        if (event.type !== 'delta' || event.text === '') continue;
        if (Number.isNaN(firstMs)) firstMs = performance.now() - started;
        chars += event.text.length;
      }
      return { firstMs, totalMs: performance.now() - started, cpuMs: cpuMsSince(cpu), chars };
    }

    for (const { tokens, rounds } of SIZES) {
      await sim.configure({ tokensPerSecond: 0, answerTokens: tokens });
      const chat: ChatRequest = {
        model,
        messages: [{ role: 'user', content: 'Write a long answer.' }],
        options: { maxTokens: tokens },
      };
      const timings = { core: [] as Timing[], bare: [] as Timing[] };
      for (let round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
        // Alternate who goes first, so neither always meets a warmer or colder process.
        const order = round % 2 ? (['bare', 'core'] as const) : (['core', 'bare'] as const);
        // No forced gc() between runs: it left V8 colder for whichever ran next and inflated the
        // core's times by 20-30 %; alternating the order shares natural GC pauses out evenly.
        for (const who of order) {
          const timing = who === 'core' ? await core(chat) : await bare(sim.deepinfraBaseUrl, sim.validKey, chat);
          if (round >= WARM_UP_ROUNDS) timings[who].push(timing);
        }
      }
      const [c, b] = [timings.core[0], timings.bare[0]];
      if (c.chars !== b.chars) throw new Error(`core received ${c.chars} characters, bare ${b.chars}: not the same stream`);

      // Each core run is compared with the bare run beside it, so load from other processes (this
      // machine is shared) shifts both sides of a pair rather than the medians of one side.
      const pairs = timings.core.map((core, i) => ({ core, bare: timings.bare[i] }));
      const ratio = median(pairs.map((p) => p.core.totalMs / p.bare.totalMs));
      const cpuRatio = median(pairs.map((p) => p.core.cpuMs / p.bare.cpuMs));
      const added = median(pairs.map((p) => p.core.firstMs - p.bare.firstMs));
      const total = { core: median(timings.core.map((t) => t.totalMs)), bare: median(timings.bare.map((t) => t.totalMs)) };
      const first = { core: median(timings.core.map((t) => t.firstMs)), bare: median(timings.bare.map((t) => t.firstMs)) };
      const label = `${tokens / 1000}k tokens`;
      log(`${label}: total ${ms(total.core)} vs ${ms(total.bare)} (×${ratio.toFixed(2)}), first delta ${ms(first.core)} vs ${ms(first.bare)} (${ms(added)}), ${rounds} pairs`);
      report({
        what: `${label}: total time, core ÷ bare`,
        value: `×${ratio.toFixed(2)}`,
        budget: '≤ ×1.10',
        ok: ratio <= 1.1,
        note: `median of ${rounds} pairs; medians ${ms(total.core)} vs ${ms(total.bare)}; CPU time ×${cpuRatio.toFixed(2)}`,
      });
      report({
        what: `${label}: first delta, core − bare`,
        value: `${added >= 0 ? '+' : ''}${ms(added)}`,
        budget: '≤ +1 ms',
        ok: added <= 1,
        note: `median of ${rounds} pairs; medians ${ms(first.core)} vs ${ms(first.bare)}`,
      });
    }
  } finally {
    await sim.close();
  }
});
