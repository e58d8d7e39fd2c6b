// Stop latency: from `abort()` on the core client's signal to the simulator seeing the socket close.
// Client and simulator share this process, so one `performance.now()` clock times both sides.

import type { SimRequestRecord } from '../src/simulator/server';
import type { ChatRequest } from '../src/core/types';
import { log, median, ms, percentile, quick, report, requireFiles, run } from './lib';

const ROUNDS = quick ? 10 : 30;
const WARM_UP_ROUNDS = 3;
/** Longer than any plausible stop, short enough that a stop that never lands does not hang the run. */
const GIVE_UP_MS = 2000;

run(async () => {
  requireFiles('stop latency', ['src/simulator/server.ts', 'src/core/providers.ts']);
  const { startSimulator } = await import('../src/simulator/server');
  const { createProvider } = await import('../src/core/providers');
  const { BUILTIN_MODELS } = await import('../src/core/catalog');

  // 200 tokens/s: a chunk every 5 ms, as a fast real model would send them.
  const sim = await startSimulator({ tokensPerSecond: 200, answerTokens: 100_000 });
  try {
    const model = BUILTIN_MODELS.find((m) => m.provider === 'deepinfra' && !m.vision);
    if (!model) throw new Error('no DeepInfra text model in the catalog');
    const provider = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey });
    const chat: ChatRequest = { model, messages: [{ role: 'user', content: 'Talk for a long time.' }], options: { maxTokens: 100_000 } };

    /**
     * Starts a stream, aborts it once `ready` says so, and returns how long the simulator took to
     * see the close and how long the stream took to end on the client's side.
     */
    async function stopOnce(ready: (deltas: number, sinceStartMs: number) => boolean) {
      const controller = new AbortController();
      let abortedAt = NaN;
      const closed = new Promise<number>((resolve) => {
        const timer = setTimeout(() => resolve(Infinity), GIVE_UP_MS + 5000);
        sim.once('clientClosed', (_record: SimRequestRecord) => {
          clearTimeout(timer);
          resolve(performance.now() - abortedAt);
        });
      });
      const started = performance.now();
      let deltas = 0;
      const tryAbort = () => {
        if (Number.isNaN(abortedAt) && ready(deltas, performance.now() - started)) {
          abortedAt = performance.now();
          controller.abort();
        }
      };
      // While waiting for headers no event arrives, so a timer checks too.
      const poll = setInterval(tryAbort, 1);
      try {
        for await (const event of provider.stream(chat, controller.signal)) {
          if (event.type === 'delta') deltas++;
          tryAbort();
        }
      } finally {
        clearInterval(poll);
      }
      const streamEndedMs = performance.now() - abortedAt;
      const closedMs = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(Infinity), GIVE_UP_MS))]);
      return { closedMs, streamEndedMs };
    }

    const cases = [
      { label: 'mid-stream (after 10 deltas)', scenario: 'ok' as const, ready: (deltas: number) => deltas >= 10 },
      { label: 'waiting for headers', scenario: 'hang' as const, ready: (_: number, sinceStartMs: number) => sinceStartMs >= 50 },
    ];
    for (const { label, scenario, ready } of cases) {
      const closed: number[] = [];
      const ended: number[] = [];
      for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
        sim.queueScenario(scenario);
        const result = await stopOnce(ready);
        if (round >= WARM_UP_ROUNDS) {
          closed.push(result.closedMs);
          ended.push(result.streamEndedMs);
        }
      }
      const m = median(closed);
      const missed = closed.filter((x) => x === Infinity).length;
      log(`${label}: abort → socket closed median ${ms(m)}, p90 ${ms(percentile(closed, 90))}; stream ended ${ms(median(ended))}`);
      report({
        what: `${label}: abort → simulator sees the socket close`,
        value: m === Infinity ? 'never closed' : ms(m),
        budget: '≤ 5 ms median',
        ok: m <= 5,
        note: `p90 ${ms(percentile(closed, 90))}, ${ROUNDS} stops` + (missed ? `; ${missed} never closed within ${GIVE_UP_MS} ms` : ''),
      });
      report({ what: `${label}: abort → the stream ends in the client`, value: ms(median(ended)), note: `median of ${ROUNDS}` });
    }
  } finally {
    await sim.close();
  }
});
