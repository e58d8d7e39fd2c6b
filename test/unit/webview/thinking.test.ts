// An answer's Thinking section in headless Chromium: collapsed, streaming while closed with a ticking
// label, opened from the keyboard, hostile reasoning rendered inert, and the same after a reload.

import assert from 'node:assert/strict';
import type { ViewMessage } from '../../../src/protocol';
import { state } from '../../webview/fixtures';
import { useWebviewSuite, type WebviewPage } from '../../webview/harness';

const prompt: ViewMessage = { id: 'u', role: 'user', text: 'What is 2 + 2?' };
const answer = (extra: Partial<ViewMessage> = {}): ViewMessage => ({
  id: 'a', role: 'assistant', text: '', modelName: 'DeepSeek R1 (DeepInfra)', status: 'streaming', startedAt: Date.now(), ...extra,
});

describe('chat webview: the Thinking section (headless Chromium)', function () {
  const currentView = useWebviewSuite('the Thinking section tests', 'ovc-webview-thinking-');
  let view: WebviewPage;
  beforeEach(() => {
    view = currentView();
  });

  const thinking = () => view.page.locator('[data-id="a"] details.thinking');
  const label = () => view.page.locator('[data-id="a"] .thinking-label').innerText();
  const isOpen = () => thinking().evaluate((d) => (d as HTMLDetailsElement).open);

  it('streams reasoning into a collapsed section above the answer, ticking, then says how long it thought', async () => {
    await view.send({ type: 'state', state: state([prompt, answer({ startedAt: Date.now() - 3_000 })], { busy: true }) });
    assert.equal(await thinking().count(), 0, 'no section before any reasoning');
    await view.send({ type: 'reasoningDelta', id: 'a', text: 'The user asks for **2 + 2**.' });
    await thinking().waitFor({ state: 'attached' });
    assert.equal(await isOpen(), false, 'collapsed by default');
    assert.match(await label(), /^Thinking… \d+ s$/);
    assert.equal(await view.page.locator('[data-id="a"] .message-waiting').isHidden(), true, 'the section replaces the waiting indicator');

    // It ticks while the model thinks, and streams while closed.
    const seconds = Number((await label()).match(/(\d+) s/)![1]);
    await view.page.waitForFunction((n) => Number(document.querySelector('[data-id="a"] .thinking-label')?.textContent?.match(/(\d+) s/)?.[1]) > n, seconds, { timeout: 5000 });
    await view.send({ type: 'reasoningDelta', id: 'a', text: '\n\nIt is *four*.' });
    const body = view.page.locator('[data-id="a"] .thinking-body .markdown');
    await view.until(() => body.locator('em').evaluate((e) => e.textContent), 'four');
    assert.equal(await body.locator('strong').evaluate((e) => e.textContent), '2 + 2', 'rendered as Markdown');

    // The answer begins, below the section: the thinking is over.
    await view.send({ type: 'delta', id: 'a', text: 'The answer is 4.' });
    await view.page.waitForFunction(() => document.querySelector('[data-id="a"] .thinking-label')?.textContent?.startsWith('Thought for'));
    const order = await view.page.evaluate(() => {
      const body = document.querySelector('[data-id="a"] .message-body')!;
      return Array.from(body.children).map((c) => c.className.split(' ')[0]);
    });
    assert.deepEqual(order, ['thinking', 'markdown'], 'the section sits above the answer');

    await view.send({ type: 'update', id: 'a', patch: { status: 'done', stats: { reasoningMs: 4_200, totalMs: 6_000 } } }, { type: 'busy', busy: false });
    assert.equal(await view.until(label, 'Thought for 4 s'), 'Thought for 4 s', 'the host’s measure wins');
    assert.equal(await isOpen(), false, 'still collapsed');
  });

  it('opens and closes from the keyboard', async () => {
    await view.send({ type: 'state', state: state([prompt, answer({ status: 'done', text: 'Four.', reasoning: 'Add **two** and two.', stats: { reasoningMs: 1_500 } })]) });
    const summary = view.page.locator('[data-id="a"] summary.thinking-summary');
    await summary.focus();
    assert.equal(await summary.evaluate((s) => s === document.activeElement), true, 'the summary takes focus');
    await view.page.keyboard.press('Enter');
    assert.equal(await isOpen(), true);
    assert.equal(await view.page.locator('[data-id="a"] .thinking-body strong').isVisible(), true);
    await view.page.keyboard.press('Space');
    assert.equal(await isOpen(), false);
    assert.equal(await view.page.locator('[data-id="a"] .thinking-body').isVisible(), false);
  });

  it('renders hostile reasoning inert, streamed or whole', async () => {
    const hostile = [
      '<script>window.__pwned = "script"</script>',
      '<img src="x" onerror="window.__pwned = \'img\'">',
      '<a href="javascript:window.__pwned=1">link</a> [md](javascript:window.__pwned=2)',
      '</details></article><div class="error-box">fake error</div>',
      '<style>body { display: none }</style>',
    ].join('\n\n');
    await view.send({ type: 'state', state: state([prompt, answer({ id: 'whole', status: 'done', text: 'ok', reasoning: hostile }), answer()], { busy: true }) });
    for (let i = 0; i < hostile.length; i += 7) await view.send({ type: 'reasoningDelta', id: 'a', text: hostile.slice(i, i + 7) });
    await view.send({ type: 'update', id: 'a', patch: { status: 'done' } });
    await view.page.locator('[data-id="whole"] summary').click();
    await view.page.locator('[data-id="a"] summary').click();
    const report = await view.page.evaluate(() => {
      const all = Array.from(document.querySelectorAll('.thinking-body *'));
      return {
        pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
        scripts: document.querySelectorAll('#app script').length,
        onAttributes: all.filter((el) => Array.from(el.attributes).some((a) => a.name.startsWith('on'))).length,
        badHrefs: all.filter((el) => el.hasAttribute('href') && !/^https?:|^mailto:/.test(el.getAttribute('href')!)).length,
        forbidden: document.querySelectorAll('.thinking-body :is(img, style, script)').length,
        fakeErrors: document.querySelectorAll('.thinking-body .error-box').length,
        bodyHidden: getComputedStyle(document.body).display === 'none',
        // The section kept its place: the answer is still inside its own message, after the section.
        sectionsInMessages: Array.from(document.querySelectorAll('details.thinking')).every((d) => d.parentElement?.classList.contains('message-body')),
      };
    });
    assert.deepEqual(report, { pwned: null, scripts: 0, onAttributes: 0, badHrefs: 0, forbidden: 0, fakeErrors: 0, bodyHidden: false, sectionsInMessages: true });
  });

  it('is there again, collapsed, with its text and time, after the view reloads', async () => {
    const messages = [prompt, answer({ status: 'done', text: 'Four.', reasoning: 'Two and two make **four**.', stats: { reasoningMs: 12_300 } })];
    await view.send({ type: 'state', state: state(messages) });
    await thinking().waitFor({ state: 'attached' });
    await view.reload();
    await view.send({ type: 'state', state: state(messages) });
    await thinking().waitFor({ state: 'attached' });
    assert.equal(await label(), 'Thought for 12 s');
    assert.equal(await isOpen(), false);
    assert.equal(await view.page.locator('[data-id="a"] .thinking-body strong').evaluate((e) => e.textContent), 'four');
    assert.equal(await view.page.locator('[data-id="a"] > .message-body > .markdown').innerText(), 'Four.');
  });

  it('after a reload mid-thought, ticks from the request’s start and goes on streaming', async () => {
    await view.send({ type: 'state', state: state([prompt, answer({ reasoning: 'Halfway', startedAt: Date.now() - 20_000 })], { busy: true }) });
    const seconds = Number((await label()).match(/^Thinking… (\d+) s$/)?.[1]);
    assert.ok(seconds >= 20 && seconds < 35, await label());
    await view.send({ type: 'reasoningDelta', id: 'a', text: ' there.' });
    await view.page.locator('[data-id="a"] summary').click();
    assert.equal(await view.until(() => view.page.locator('[data-id="a"] .thinking-body').innerText(), 'Halfway there.'), 'Halfway there.');
  });
});
