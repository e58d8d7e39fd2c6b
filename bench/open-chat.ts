// Opening a long chat: a fresh webview loads, says `ready`, and the host answers with a saved chat
// of 500 messages with code blocks (fixtures `conversation`). Timed inside the page: from the
// `state` message (structured-cloned first, as postMessage would) and from navigation start, to the
// first paint that shows the last message. Then the DOM size.

import type { ViewState } from '../src/protocol';
import { log, median, ms, quick, report, requireFiles, run } from './lib';

const MESSAGES = 500;
const ROUNDS = quick ? 3 : 7;
const WARM_UP_ROUNDS = 1;
const BUDGET_MS = 300;

interface Opening {
  /** From the `state` message to the paint of the last message. */
  readonly fromStateMs: number;
  /** From navigation start (the view being created) to the same paint. */
  readonly fromLoadMs: number;
  readonly elements: number;
}

/** Runs in the page before its scripts: plays the host, answering `ready` with the saved chat at once. */
function answerReadyWithState(state: ViewState): void {
  const w = window as unknown as { __posted: unknown[]; __opening?: { fromStateMs: number; fromLoadMs: number; elements: number } };
  let posted: unknown[] = [];
  const deliver = () => {
    const stateAt = performance.now();
    const data = structuredClone({ type: 'state', state });
    window.dispatchEvent(new MessageEvent('message', { data }));
    const lastId = state.messages[state.messages.length - 1].id;
    const check = () => {
      const last = document.querySelector(`[data-id="${lastId}"]`);
      if (!last || last.getBoundingClientRect().top >= innerHeight) {
        requestAnimationFrame(check);
        return;
      }
      // A timeout set inside an animation frame runs once that frame is painted.
      setTimeout(() => {
        const paintedAt = performance.now();
        w.__opening = { fromStateMs: paintedAt - stateAt, fromLoadMs: paintedAt, elements: document.getElementsByTagName('*').length };
      }, 0);
    };
    requestAnimationFrame(check);
  };
  // The harness's fake VS Code API records posts in window.__posted: watch it for `ready`.
  Object.defineProperty(window, '__posted', {
    configurable: true,
    get: () => posted,
    set(list: unknown[]) {
      posted = list;
      const push = list.push.bind(list);
      list.push = (...items: unknown[]) => {
        if (items.some((m) => (m as { type?: string }).type === 'ready')) setTimeout(deliver, 0);
        return push(...items);
      };
    },
  });
}

run(async () => {
  requireFiles('opening a long chat', ['src/webview/main.ts', 'test/webview/harness.ts']);
  const { openChatPage } = await import('./webview');
  const { conversation, state } = await import('../test/webview/fixtures');
  const saved = state(conversation(MESSAGES));

  const chat = await openChatPage();
  try {
    const openings: Opening[] = [];
    for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
      const page = await chat.page.context().newPage();
      await page.addInitScript(answerReadyWithState, saved);
      await page.goto(chat.page.url());
      const handle = await page.waitForFunction(() => (window as unknown as { __opening?: Opening }).__opening, undefined, { timeout: 30_000 });
      const opening = (await handle.jsonValue()) as Opening;
      await page.close();
      if (round >= WARM_UP_ROUNDS) openings.push(opening);
      log(`round ${round + 1}: state → paint ${ms(opening.fromStateMs)}, load → paint ${ms(opening.fromLoadMs)}, ${opening.elements} elements`);
    }
    const fromState = median(openings.map((o) => o.fromStateMs));
    const fromLoad = median(openings.map((o) => o.fromLoadMs));
    const elements = median(openings.map((o) => o.elements));
    const where = `${MESSAGES} messages, harness in Chromium; median of ${ROUNDS}`;
    report({ what: 'state message → first screen', value: ms(fromState), budget: `≤ ${BUDGET_MS} ms`, ok: fromState <= BUDGET_MS, note: where });
    report({
      what: 'view created → first screen',
      value: ms(fromLoad),
      budget: `≤ ${BUDGET_MS} ms`,
      ok: fromLoad <= BUDGET_MS,
      note: 'loading and running webview.js included; VS Code adds its own iframe set-up',
    });
    report({ what: 'DOM elements after opening', value: `${elements}`, note: `bounded: the latest messages are built, older ones on scroll` });
  } finally {
    await chat.close();
  }
});
