// Long chats: the same 2k-token answer streamed (200 tokens/s, deltas as the host coalesces them)
// into a chat of 1 message and into one of 300. The cost per token, in renderer main-thread CPU time
// from a Chrome trace, must not grow with the chat: no work proportional to the whole chat per token.

import { log, median, quick, report, requireFiles, run } from './lib';

const TOKENS = 2_000;
const TOKENS_PER_SECOND = 200;
const ROUNDS = quick ? 1 : 3;
const SIZES = [1, 300];

run(async () => {
  requireFiles('long chats', ['src/webview/main.ts', 'test/webview/harness.ts', 'src/extension/session.ts']);
  const { DELTA_FLUSH_MS } = await import('../src/extension/session');
  const { answerTokens, deltas, openChatPage, streamIntoPage, traceRendererTasks, domNodeCount } = await import('./webview');
  const { conversation, state } = await import('../test/webview/fixtures');

  const { texts, intervalMs } = deltas(answerTokens(TOKENS), TOKENS_PER_SECOND, DELTA_FLUSH_MS);
  const chat = await openChatPage();
  try {
    const perToken = new Map<number, number[]>(SIZES.map((size) => [size, []]));
    const nodes = new Map<number, number>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const size of SIZES) {
        await chat.view.send({ type: 'state', state: state(conversation(size)) });
        await chat.view.frames();
        nodes.set(size, await domNodeCount(chat.page));
        const traced = await traceRendererTasks(chat.page, () => streamIntoPage(chat.page, `answer-${round}`, texts, intervalMs));
        const cpuMs = traced.tasks.reduce((sum, t) => sum + t.cpuMs, 0);
        perToken.get(size)!.push((cpuMs * 1000) / TOKENS);
        log(`${size} messages, round ${round + 1}: ${cpuMs.toFixed(0)} ms of CPU for ${TOKENS} tokens`);
      }
    }
    if (chat.view.pageErrors.length) throw new Error(`the webview threw: ${chat.view.pageErrors.join('; ')}`);

    const [small, large] = SIZES.map((size) => median(perToken.get(size)!));
    for (const size of SIZES) {
      report({
        what: `cost per token, chat of ${size}`,
        value: `${median(perToken.get(size)!).toFixed(0)} µs`,
        note: `renderer main-thread CPU (trace), median of ${ROUNDS}; ${nodes.get(size)} DOM elements before the answer`,
      });
    }
    const ratio = large / small;
    report({
      what: `cost per token, ${SIZES[1]} vs ${SIZES[0]} messages`,
      value: `×${ratio.toFixed(2)}`,
      budget: '≤ ×1.5',
      ok: ratio <= 1.5,
      note: `${TOKENS / 1000}k-token answer at ${TOKENS_PER_SECOND} tokens/s, harness in Chromium`,
    });
  } finally {
    await chat.close();
  }
});
