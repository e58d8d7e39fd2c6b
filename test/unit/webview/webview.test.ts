// The chat webview in headless Chromium, through the harness page (test/webview/harness.ts): the
// built bundle, the host's CSP, a fake VS Code API recording what the view posts.

import assert from 'node:assert/strict';
import type { ViewMessage } from '../../../src/protocol';
import { MODELS, SAMPLE_ANSWER, TEXT_MODEL_ID, conversation, state, unbreakableMessages } from '../../webview/fixtures';
import { useWebviewSuite, type WebviewPage } from '../../webview/harness';

const assistant = (id: string, text: string, extra: Partial<ViewMessage> = {}): ViewMessage => ({
  id, role: 'assistant', text, modelName: 'Llama 3.2 11B Vision Instruct', status: 'done', ...extra,
});

/** A PNG of the given size drawn in the page (opaque unless `transparent`), as base64. */
function canvasPng(view: WebviewPage, width: number, height: number, transparent = false): Promise<string> {
  return view.page.evaluate(
    async ({ width, height, transparent }) => {
      const canvas = new OffscreenCanvas(width, height);
      const g = canvas.getContext('2d')!;
      if (!transparent) {
        const gradient = g.createLinearGradient(0, 0, width, height);
        gradient.addColorStop(0, '#204080');
        gradient.addColorStop(1, '#f0c020');
        g.fillStyle = gradient;
        g.fillRect(0, 0, width, height);
      }
      g.fillStyle = '#c00000';
      g.fillRect(width / 4, height / 4, width / 2, height / 2);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    },
    { width, height, transparent },
  );
}

/** `count` Markdown blocks of an answer: paragraphs, headings, lists and code blocks in turn, each one element. */
function longAnswerBlocks(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    [`Paragraph ${i} says something about **step ${i}**.`, `## Heading ${i}`, `- item ${i}\n- item ${i}b`, '```js\nconst value' + i + ' = ' + i + ';\n```'][i % 4]!,
  );
}

/** Markdown with every trick for running script, styling the page or dressing up as the view's own controls. */
const HOSTILE_MARKDOWN = [
  '<script>window.__pwned = "script"</script>',
  '<img src="x" onerror="window.__pwned = \'img\'">',
  '<svg><script>window.__pwned = "svg"</script></svg><svg onload="window.__pwned = \'svg2\'"></svg>',
  '<iframe srcdoc="<script>parent.__pwned = 1</script>"></iframe>',
  '<a href="javascript:window.__pwned=\'link\'">click me</a> and [md link](javascript:window.__pwned=1)',
  '<div onclick="window.__pwned = \'div\'" class="error-box">fake error</div> <button data-code-action="copy">Copy</button>',
  '<style>body { display: none }</style> <form action="https://evil.example"><input name="k"></form>',
  '[safe](https://example.com/docs)',
  '```html\n<b>bold</b><script>window.__pwned = "fence"</script>\n```',
].join('\n\n');

/** What hostile Markdown managed to do to the page (`problems` is empty when nothing), and the code of its fences. */
async function inertnessReport(view: WebviewPage): Promise<{ problems: Record<string, unknown>; fences: (string | null)[] }> {
  return view.page.evaluate(() => {
    const app = document.getElementById('app')!;
    const all = Array.from(app.querySelectorAll('.markdown *'));
    const found = {
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      scripts: app.querySelectorAll('script').length,
      onAttributes: all.flatMap((el) => Array.from(el.attributes).filter((a) => a.name.startsWith('on')).map((a) => a.name)).length,
      badHrefs: all.filter((el) => el.hasAttribute('href') && !/^https?:|^mailto:/.test(el.getAttribute('href')!)).length,
      forbidden: app.querySelectorAll('.markdown :is(iframe, svg, style, form, input, img), .markdown button:not(.code-header button)').length,
      fakeErrorBoxes: app.querySelectorAll('.markdown .error-box').length,
      bodyHidden: getComputedStyle(document.body).display === 'none',
    };
    const problems = Object.fromEntries(Object.entries(found).filter(([, value]) => value !== undefined && value !== 0 && value !== false));
    return { problems, fences: Array.from(app.querySelectorAll('.markdown pre code')).map((c) => c.textContent) };
  });
}

describe('chat webview (headless Chromium)', function () {
  const currentView = useWebviewSuite('the chat view tests', 'ovc-webview-test-');
  let view: WebviewPage;
  beforeEach(() => {
    view = currentView();
  });

  it('posts ready once its script runs, and shows a welcome for an empty chat', async () => {
    const posted = await view.posted();
    assert.deepEqual(posted, [{ type: 'ready' }]);
    await view.send({ type: 'state', state: state() });
    assert.match(await view.page.locator('.welcome').innerText(), /drop, paste or attach an image/i);
  });

  it('renders streamed deltas incrementally, leaving finished blocks and other messages untouched', async () => {
    await view.send({ type: 'state', state: state([...conversation(2), { id: 'a', role: 'assistant', text: '', status: 'streaming', modelName: 'Llama 3.2 11B Vision Instruct' }], { busy: true }) });
    const answer = view.page.locator('[data-id="a"] .markdown');
    assert.match(await view.page.locator('[data-id="a"] .message-waiting').innerText(), /Waiting for the first token/);

    await view.send({ type: 'delta', id: 'a', text: 'Hello **wor' });
    assert.equal(await view.until(() => answer.innerText(), 'Hello **wor'), 'Hello **wor');

    await view.send({ type: 'delta', id: 'a', text: 'ld**.\n\nSecond para' });
    assert.equal(await view.until(() => answer.locator('p strong').innerText(), 'world'), 'world');
    assert.equal(await view.page.locator('[data-id="a"] .message-waiting').isHidden(), true);
    // Tag the finished paragraph and an earlier message: more tokens must not rebuild them.
    await view.page.evaluate(() => {
      (document.querySelector('[data-id="a"] .markdown p') as HTMLElement & { tagged?: boolean }).tagged = true;
      (document.querySelector('[data-id="m1"] .markdown') as HTMLElement & { tagged?: boolean }).tagged = true;
    });
    await view.send({ type: 'delta', id: 'a', text: 'graph.\n\n```ts\nconst x = 1;' }, { type: 'delta', id: 'a', text: '\n```\n' });
    assert.equal(await view.until(() => answer.locator('pre code').count(), 1), 1);
    const tagged = await view.page.evaluate(() => [
      (document.querySelector('[data-id="a"] .markdown p') as HTMLElement & { tagged?: boolean }).tagged,
      (document.querySelector('[data-id="m1"] .markdown') as HTMLElement & { tagged?: boolean }).tagged,
    ]);
    assert.deepEqual(tagged, [true, true]);
    assert.equal(await answer.locator('p').nth(1).innerText(), 'Second paragraph.');
    assert.equal(await answer.locator('pre code').innerText(), 'const x = 1;');

    await view.send({ type: 'update', id: 'a', patch: { status: 'done', stats: { promptTokens: 1200, completionTokens: 34, costUsd: 0.000123, firstTokenMs: 640, totalMs: 3210 } } }, { type: 'busy', busy: false });
    assert.equal(await answer.locator('.code-block').count(), 1, 'the code block is rendered once, not duplicated');
    assert.ok((await answer.locator('pre code .hljs-keyword').count()) > 0, 'finished code is highlighted');
    const stats = await view.page.locator('[data-id="a"] .message-stats').innerText();
    assert.match(stats, /1,200 → 34 tokens/);
    assert.match(stats, /\$0\.000123/);
    assert.match(stats, /first token 640 ms/);
    assert.match(stats, /3\.2 s/);
    assert.equal(await view.page.locator('[data-id="a"]').getAttribute('aria-busy'), 'false');
    assert.match(await view.page.locator('[role="status"]').innerText(), /answered/);
  });

  it('ends a streamed answer with exactly the DOM of the same text rendered whole', async () => {
    const longCode = Array.from({ length: 160 }, (_, i) => `  const line${i} = \`value \${${i}}\`; // keep *stars* and <tags>`).join('\n');
    const document = [
      '# Title', 'Intro with `inline code`, a [link](https://example.com) and <kbd>Ctrl</kbd>.',
      'Setext heading\n---', '- tight\n- list\n  - nested', '1. loose\n\n2. list', '> quote\n> continues',
      '| a | b |\n|:--|--:|\n| 1 | 2 |', '***', '```python\nprint("hi")\n```', '```ts\nfunction big() {\n' + longCode + '\n}\n```',
      'Para after code.\nSecond line of it.', '```\nunclosed at the end',
    ].join('\n\n');
    await view.send({ type: 'state', state: state([assistant('whole', document), assistant('streamed', '', { status: 'streaming' })], { busy: true }) });
    const chunks: string[] = [];
    for (let i = 0, size = 1; i < document.length; i += size, size = 1 + ((i * 7) % 9)) chunks.push(document.slice(i, i + size));
    await view.stream('streamed', chunks, 10);
    await view.send({ type: 'update', id: 'streamed', patch: { status: 'done' } });
    const html = (id: string) => view.page.locator(`[data-id="${id}"] .markdown`).evaluate((el) => el.innerHTML);
    assert.equal(await html('streamed'), await html('whole'));
    assert.equal(await view.page.locator('[data-id="streamed"] .code-block').count(), 3);
  });

  it('groups a long answer into chunks, the same streamed or whole, and leaves full chunks alone while it streams', async () => {
    const blocks = longAnswerBlocks(130);
    await view.send({ type: 'state', state: state([assistant('whole', blocks.join('\n\n')), assistant('streamed', '', { status: 'streaming' })], { busy: true }) });
    const chunkSizes = (id: string) => view.page.locator(`[data-id="${id}"] .markdown > .markdown-chunk`).evaluateAll((chunks) => chunks.map((c) => c.childElementCount));
    const distanceFromBottom = () => view.page.locator('.message-list').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);

    await view.stream('streamed', blocks.slice(0, 70).map((block) => `${block}\n\n`), 2);
    // Read once the view has drawn all 70 (a loaded machine draws later, never differently).
    assert.deepEqual(await view.until(() => chunkSizes('streamed'), [50, 19]), [50, 19], 'the 70th block still grows in the tail');
    // From here on the first chunk must not change at all: watch it, and tag its first block.
    await view.page.evaluate(() => {
      const first = document.querySelector('[data-id="streamed"] .markdown-chunk') as HTMLElement & { mutations?: number };
      first.mutations = 0;
      new MutationObserver((records) => (first.mutations! += records.length)).observe(first, { subtree: true, childList: true, characterData: true, attributes: true });
      (first.firstElementChild as HTMLElement & { tagged?: boolean }).tagged = true;
    });
    await view.stream('streamed', blocks.slice(70).map((block, i) => (i < 59 ? `${block}\n\n` : block)), 2);
    await view.send({ type: 'update', id: 'streamed', patch: { status: 'done' } });
    await view.frames();
    const first = await view.page.evaluate(() => {
      const chunk = document.querySelector('[data-id="streamed"] .markdown-chunk') as HTMLElement & { mutations?: number };
      return { mutations: chunk.mutations, tagged: (chunk.firstElementChild as HTMLElement & { tagged?: boolean }).tagged };
    });
    assert.deepEqual(first, { mutations: 0, tagged: true });
    assert.deepEqual(await chunkSizes('streamed'), [50, 50, 30]);
    assert.deepEqual(await chunkSizes('whole'), [50, 50, 30]);
    const html = (id: string) => view.page.locator(`[data-id="${id}"] .markdown`).evaluate((el) => el.innerHTML);
    assert.equal(await html('streamed'), await html('whole'));
    assert.ok((await distanceFromBottom()) < 4, 'the view followed the answer to its end');
  });

  it('finds, selects and copies text in chunks scrolled out of view', async () => {
    await view.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const blocks = longAnswerBlocks(130);
    await view.send({ type: 'state', state: state([assistant('long', blocks.join('\n\n'))]) });
    await view.frames();
    // The chat opens at the end of the answer: the first chunk's blocks are not laid out.
    const firstBlockRendered = () => view.page.evaluate(() => document.querySelector('.markdown-chunk > p')!.checkVisibility({ contentVisibilityAuto: true }));
    assert.equal(await firstBlockRendered(), false);

    // Find in page (VS Code's find widget uses the browser's own search) reaches the first block.
    assert.equal(await view.page.evaluate(() => (window as unknown as { find(text: string): boolean }).find('Paragraph 0 says')), true);
    assert.equal(await view.page.evaluate(() => getSelection()!.toString()), 'Paragraph 0 says');
    // Selecting the whole answer and copying it takes the text of every chunk, shown or not.
    const copied = await view.page.evaluate(async () => {
      getSelection()!.selectAllChildren(document.querySelector('[data-id="long"] .markdown')!);
      document.execCommand('copy');
      return navigator.clipboard.readText();
    });
    assert.match(copied, /^Paragraph 0 says/);
    assert.match(copied, /Heading 49\n[^]*Paragraph 52 says/, 'across a chunk boundary');
    assert.match(copied, /Heading 129\s*$/);
  });

  it('keeps a stopped answer’s partial text and marks it Stopped', async () => {
    await view.send({ type: 'state', state: state([{ id: 'u', role: 'user', text: 'hi' }, assistant('a', '', { status: 'streaming' })], { busy: true }) });
    await view.send({ type: 'delta', id: 'a', text: 'Partial answ' });
    await view.send({ type: 'update', id: 'a', patch: { status: 'stopped' } }, { type: 'busy', busy: false });
    assert.equal(await view.page.locator('[data-id="a"] .markdown').innerText(), 'Partial answ');
    assert.equal(await view.page.locator('[data-id="a"] .badge.stopped').innerText(), 'Stopped');
  });

  it('renders hostile model output inert, streamed or whole', async () => {
    await view.send({ type: 'state', state: state([assistant('whole', HOSTILE_MARKDOWN), assistant('streamed', '', { status: 'streaming' })], { busy: true }) });
    for (let i = 0; i < HOSTILE_MARKDOWN.length; i += 7) await view.send({ type: 'delta', id: 'streamed', text: HOSTILE_MARKDOWN.slice(i, i + 7) });
    await view.frames();
    await view.send({ type: 'update', id: 'streamed', patch: { status: 'done' } });
    await view.frames();

    const report = await inertnessReport(view);
    assert.deepEqual(report.problems, {});
    assert.match(await view.page.locator('[data-id="whole"] .markdown').innerText(), /<img src="x" onerror=/, 'raw HTML shows as text');
    assert.equal(report.fences.length, 2);
    for (const fence of report.fences) assert.equal(fence, '<b>bold</b><script>window.__pwned = "fence"</script>');

    // Links never navigate the webview: a click asks the host to open it.
    const before = view.page.url();
    await view.page.locator('[data-id="whole"] a[href="https://example.com/docs"]').click();
    assert.deepEqual(await view.waitForPosted('openLink'), { type: 'openLink', href: 'https://example.com/docs' });
    await view.page.locator('[data-id="whole"] a', { hasText: 'md link' }).click();
    assert.equal(view.page.url(), before);
    assert.equal((await view.posted()).filter((m) => m.type === 'openLink').length, 1);
  });

  it('shows an Explain Selection prompt as Markdown: its line breaks, a highlighted code block and its buttons', async () => {
    const prompt = [
      'Explain this code from `src/debounce.ts` (lines 3–5, typescript).',
      'Keep it short.',
      '',
      '```typescript',
      'export function debounce(fn: () => void, ms = 250) {',
      '  return setTimeout(fn, ms);',
      '}',
      '```',
    ].join('\n');
    await view.send({ type: 'state', state: state() });
    await view.send({ type: 'append', message: { id: 'u', role: 'user', text: prompt } });
    const body = view.page.locator('[data-id="u"] .user-text');
    assert.equal(await body.locator('p').first().innerText(), 'Explain this code from src/debounce.ts (lines 3–5, typescript).\nKeep it short.', 'a single newline stays a line break');
    assert.equal(await body.locator('p code').innerText(), 'src/debounce.ts');
    assert.doesNotMatch(await body.innerText(), /```/);
    const block = body.locator('.code-block');
    assert.equal(await block.locator('.code-language').innerText(), 'TypeScript');
    assert.ok((await block.locator('pre code .hljs-keyword').count()) > 0, 'the selection is highlighted');
    await block.getByRole('button', { name: 'Insert at Cursor' }).click();
    assert.deepEqual(await view.waitForPosted('code'), {
      type: 'code', action: 'insert', language: 'typescript',
      code: 'export function debounce(fn: () => void, ms = 250) {\n  return setTimeout(fn, ms);\n}',
    });
  });

  it('renders hostile HTML pasted into a prompt inert, every tag shown as typed', async () => {
    const prompt = `Why does this break my page?\n<b>bold</b> <kbd>Ctrl</kbd>\n\n${HOSTILE_MARKDOWN}`;
    await view.send({ type: 'state', state: state([{ id: 'u', role: 'user', text: prompt }]) });
    const report = await inertnessReport(view);
    assert.deepEqual(report.problems, {});
    assert.deepEqual(report.fences, ['<b>bold</b><script>window.__pwned = "fence"</script>']);
    const shown = await view.page.locator('[data-id="u"] .user-text').innerText();
    assert.match(shown, /^Why does this break my page\?\n<b>bold<\/b> <kbd>Ctrl<\/kbd>$/m, 'even formatting tags show as typed');
    assert.match(shown, /<img src="x" onerror=/);
    assert.match(shown, /<script>window\.__pwned = "script"<\/script>/);
    assert.equal(await view.page.locator('[data-id="u"] .user-text :is(b, kbd)').count(), 0);
  });

  it('shows a 1 MB single-line answer as a plain-text preview, the whole text one click away', async () => {
    const huge = 'x'.repeat(1024 * 1024);
    await view.send({ type: 'state', state: state([assistant('big', huge)]) });
    const shown = await view.page.locator('[data-id="big"] .plain-text').evaluate((el) => el.textContent!.length);
    assert.ok(shown < huge.length && shown > 0, `preview of ${shown} characters`);
    assert.match(await view.page.locator('[data-id="big"] .plain-text-notice').innerText(), /Long answer \(1\.0 MB\)/);
    await view.page.locator('[data-id="big"] button', { hasText: 'Open in New Editor' }).click();
    const open = await view.waitForPosted('code');
    assert.equal(open.action, 'newEditor');
    assert.equal(open.code.length, huge.length);
  });

  it('streams on past the plain-text size into the same preview, keeping the reader’s place in it', async () => {
    const lines = (from: number, count: number) => Array.from({ length: count }, (_, i) => `log line ${from + i}: nothing to see here\n`).join('');
    await view.send({ type: 'state', state: state([assistant('log', '', { status: 'streaming' })], { busy: true }) });
    let sent = '';
    const streamLines = async (from: number, count: number) => {
      const text = lines(from, count);
      sent += text;
      await view.send({ type: 'delta', id: 'log', text });
      await view.frames();
    };
    await streamLines(0, 8_000); // ~270 KB: past the plain-text threshold
    const preview = view.page.locator('[data-id="log"] .plain-text');
    const notice = view.page.locator('[data-id="log"] .plain-text-notice > span').first();
    const sizeBefore = await notice.innerText();
    await preview.evaluate((el: HTMLElement & { tagged?: boolean }) => {
      el.tagged = true;
      el.scrollTop = 500;
    });

    await streamLines(8_000, 4_000);
    assert.deepEqual(await preview.evaluate((el: HTMLElement & { tagged?: boolean }) => ({ tagged: el.tagged, scrollTop: el.scrollTop })), { tagged: true, scrollTop: 500 });
    // Under load the view may draw a frame later than the two the helper waits: wait for the change.
    assert.equal(await view.until(async () => (await notice.innerText()) !== sizeBefore, true), true, 'the size in the notice follows the stream');

    await view.page.locator('[data-id="log"] button', { hasText: 'Show All' }).click();
    await streamLines(12_000, 1_000);
    await view.send({ type: 'update', id: 'log', patch: { status: 'done' } });
    assert.equal(await view.until(() => preview.evaluate((el) => el.textContent), sent), sent, 'Show All keeps up with the stream');
  });

  it('sends on Enter, adds a line on Shift+Enter, and disables Send while empty', async () => {
    await view.send({ type: 'state', state: state() });
    const input = view.page.locator('textarea');
    assert.equal(await view.page.locator('.send-button').isDisabled(), true);
    await input.click();
    await view.page.keyboard.type('first line');
    await view.page.keyboard.press('Shift+Enter');
    await view.page.keyboard.type('second line');
    assert.equal(await input.inputValue(), 'first line\nsecond line');
    assert.equal((await view.posted()).some((m) => m.type === 'send'), false);
    await view.page.keyboard.press('Enter');
    assert.deepEqual(await view.waitForPosted('send'), { type: 'send', text: 'first line\nsecond line', images: [] });
    assert.equal(await input.inputValue(), '');
  });

  it('stops with Escape or the Stop button while busy, and will not send meanwhile', async () => {
    await view.send({ type: 'state', state: state([{ id: 'u', role: 'user', text: 'hi' }, assistant('a', 'Hel', { status: 'streaming' })], { busy: true }) });
    const input = view.page.locator('textarea');
    await input.fill('next question');
    await input.press('Enter');
    assert.equal(await input.inputValue(), 'next question', 'typed text stays while busy');
    await input.press('Escape');
    await view.waitForPosted('stop');
    await view.clearPosted();
    await view.page.getByRole('button', { name: 'Stop (Escape)' }).click();
    assert.deepEqual(await view.posted(), [{ type: 'stop' }]);
    assert.equal((await view.posted()).some((m) => m.type === 'send'), false);

    await view.send({ type: 'busy', busy: false });
    assert.equal(await view.page.locator('.stop-button').isHidden(), true);
    await input.press('Enter');
    assert.equal((await view.waitForPosted('send')).text, 'next question');
  });

  it('keeps the draft and its images through a reload', async () => {
    await view.send({ type: 'state', state: state() });
    await view.page.locator('textarea').fill('half-written question about');
    await view.send({ type: 'attachImages', images: [{ name: 'shot.png', mime: 'image/png', base64: await canvasPng(view, 200, 100) }] });
    await view.page.locator('.thumbnail img').waitFor();
    await view.page.waitForFunction(() => JSON.parse(sessionStorage.getItem('__vscodeState') ?? '{}').draft?.images?.length === 1);

    await view.reload();
    await view.send({ type: 'state', state: state() });
    assert.equal(await view.page.locator('textarea').inputValue(), 'half-written question about');
    assert.equal(await view.page.locator('.thumbnail img').count(), 1);
    await view.page.locator('textarea').press('Enter');
    const sent = await view.waitForPosted('send');
    assert.equal(sent.images.length, 1);
    assert.equal(sent.images[0]!.width, 200);
  });

  it('a draft the host gives back never replaces what the user is typing (issue 12)', async () => {
    await view.send({ type: 'state', state: state() });
    await view.page.locator('textarea').fill('A question I am typing now');
    await view.send({ type: 'attachImages', images: [{ name: 'mine.png', mime: 'image/png', base64: await canvasPng(view, 40, 30) }] });
    await view.page.locator('.thumbnail img').waitFor();

    // A prompt given back (its key flow was cancelled, or Edit) arrives while the user types.
    await view.send({ type: 'setDraft', text: 'The prompt given back', images: [{ name: 'given.png', mime: 'image/png', base64: await canvasPng(view, 50, 30) }] });
    await view.page.waitForFunction(() => document.querySelectorAll('.thumbnail img').length === 2);
    assert.equal(await view.page.locator('textarea').inputValue(), 'A question I am typing now\n\nThe prompt given back', 'both kept, what was typed first');

    // The same text given back twice is not doubled; into an empty box it simply goes.
    await view.send({ type: 'setDraft', text: 'The prompt given back' });
    assert.equal(await view.page.locator('textarea').inputValue(), 'A question I am typing now\n\nThe prompt given back');
    await view.page.locator('textarea').fill('');
    await view.send({ type: 'setDraft', text: 'Into the empty box' });
    assert.equal(await view.page.locator('textarea').inputValue(), 'Into the empty box');
  });

  it('follows a streaming answer only while the user is at the bottom', async () => {
    await view.send({ type: 'state', state: state([...conversation(12), assistant('live', '', { status: 'streaming' })], { busy: true }) });
    const list = view.page.locator('.message-list');
    const distanceFromBottom = () => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} of a long answer.\n\n`);
    await view.stream('live', paragraphs.slice(0, 15), 1);
    await view.frames();
    assert.ok((await distanceFromBottom()) < 4, 'at the bottom, the newest text stays in view');

    await list.evaluate((el) => el.scrollTo({ top: 100 }));
    await view.frames();
    const readingTop = () => document.querySelector('[data-id="m2"]')!.getBoundingClientRect().top;
    const before = await view.page.evaluate(readingTop);
    await view.stream('live', paragraphs.slice(15), 1);
    await view.frames();
    assert.ok(Math.abs((await view.page.evaluate(readingTop)) - before) < 2, 'scrolled up, what the reader sees stays put');
    assert.ok((await distanceFromBottom()) > 200);

    await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await view.frames();
    await view.stream('live', ['More.\n\n', 'And more.\n\n'], 1);
    await view.frames();
    assert.ok((await distanceFromBottom()) < 4, 'back at the bottom, it follows again');
  });

  it('shows a new prompt and follows its answer, even while a reload still holds the old reading place', async () => {
    const code = Array.from({ length: 60 }, (_, i) => `  const line${i} = compute(${i});`).join('\n');
    const explain = (file: string) => `Explain this code from \`${file}\`.\n\n\`\`\`typescript\nfunction run() {\n${code}\n}\n\`\`\``;
    const messages: ViewMessage[] = [...conversation(10), { id: 'p1', role: 'user', text: explain('a.ts') }, assistant('a1', 'Short answer.')];
    await view.send({ type: 'state', state: state(messages) });
    // The user scrolls up into the long prompt; the view comes back there after a reload (as when
    // VS Code re-creates the hidden chat to show an Explain Selection).
    const list = view.page.locator('.message-list');
    await list.hover();
    await view.page.mouse.wheel(0, -700);
    await view.page.waitForFunction(() => JSON.parse(sessionStorage.getItem('__vscodeState') ?? '{}').scroll?.anchorId === 'p1');
    await view.reload();
    await view.send({ type: 'state', state: state(messages) });
    await view.frames();

    await view.send(
      { type: 'append', message: { id: 'p2', role: 'user', text: explain('b.ts') } },
      { type: 'append', message: assistant('a2', '', { status: 'streaming' }) },
      { type: 'busy', busy: true },
    );
    const distanceFromBottom = () => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    await view.stream('a2', Array.from({ length: 20 }, (_, i) => `Paragraph ${i} of the answer.\n\n`), 1);
    await view.page.waitForFunction(() => {
      const el = document.querySelector('.message-list')!;
      return el.scrollHeight - el.scrollTop - el.clientHeight < 4;
    }, undefined, { timeout: 3000 }).catch(() => undefined);
    assert.ok((await distanceFromBottom()) < 4, `the view follows the new answer (${await distanceFromBottom()} px from the end)`);

    // Scrolling up stops the following.
    await view.page.mouse.wheel(0, -400);
    await view.page.waitForFunction(() => {
      const el = document.querySelector('.message-list')!;
      return el.scrollHeight - el.scrollTop - el.clientHeight > 300;
    });
    const readingTop = () => document.querySelector('[data-id="p2"]')!.getBoundingClientRect().top;
    const before = await view.page.evaluate(readingTop);
    await view.stream('a2', ['More.\n\n', 'And more.\n\n'], 1);
    await view.frames();
    assert.ok(Math.abs((await view.page.evaluate(readingTop)) - before) < 2, 'scrolled up, the view stays put');
  });

  it('comes back to the same place in a long chat after a reload', async () => {
    const messages = conversation(60);
    await view.send({ type: 'state', state: state(messages) });
    // Scroll up until message m40 is built, then put it at the top of the view.
    await view.page.waitForFunction(() => {
      const list = document.querySelector('.message-list')!;
      list.scrollTop = 0;
      return document.querySelector('[data-id="m40"]') !== null;
    });
    await view.page.locator('[data-id="m40"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await view.page.waitForFunction(() => JSON.parse(sessionStorage.getItem('__vscodeState') ?? '{}').scroll?.anchorId === 'm40');

    await view.reload();
    await view.send({ type: 'state', state: state(messages) });
    // Messages around it take their real size as they are shown and older ones get built: it holds.
    const offsetOfM40 = () => document.querySelector('[data-id="m40"]')!.getBoundingClientRect().top - document.querySelector('.message-list')!.getBoundingClientRect().top;
    await view.page.waitForFunction(`Math.abs((${offsetOfM40})()) < 4`, undefined, { timeout: 3000 });
    await view.frames();
    assert.ok(Math.abs(await view.page.evaluate(offsetOfM40)) < 4, 'm40 stays at the top');
  });

  it('attaches images dropped on the view or pasted into the prompt', async () => {
    await view.send({ type: 'state', state: state([], { models: MODELS.map((m) => ({ ...m, maxImages: 4 })) }) });
    const png = await canvasPng(view, 300, 200);
    await view.page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dropped = new DataTransfer();
      dropped.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
      dropped.items.add(new File(['text'], 'notes.txt', { type: 'text/plain' }));
      const app = document.getElementById('app')!;
      app.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dropped, bubbles: true }));
      app.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true }));
      const pasted = new DataTransfer();
      pasted.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
      document.querySelector('textarea')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
    }, png);
    await view.page.locator('.thumbnail img >> nth=1').waitFor();
    assert.equal(await view.page.locator('.drop-overlay').isHidden(), true);
    assert.match(await view.page.locator('.composer-problems').innerText(), /notes\.txt is not an image/);
    await view.page.locator('textarea').fill('compare these');
    await view.page.locator('textarea').press('Enter');
    const sent = await view.waitForPosted('send');
    assert.deepEqual(sent.images.map((i) => i.name), ['dropped.png', 'pasted.png']);
    await view.page.getByRole('button', { name: 'Attach image…' }).click();
    await view.waitForPosted('pickImage');
  });

  it('posts the code of a block for Copy, Insert at Cursor and Open in New Editor', async () => {
    await view.send({ type: 'state', state: state([assistant('a', SAMPLE_ANSWER)]) });
    const block = view.page.locator('[data-id="a"] .code-block');
    assert.equal(await block.locator('.code-language').innerText(), 'TypeScript');
    for (const [label, action] of [['Copy', 'copy'], ['Insert at Cursor', 'insert'], ['Open in New Editor', 'newEditor']] as const) {
      await block.getByRole('button', { name: label }).click();
      const posted = (await view.posted()).filter((m) => m.type === 'code').pop();
      assert.equal(posted?.type === 'code' && posted.action, action);
      assert.equal(posted?.type === 'code' && posted.language, 'ts');
      assert.match(posted?.type === 'code' ? posted.code : '', /^export function debounce<T extends unknown\[\]>/);
      assert.ok(posted?.type === 'code' && posted.code.endsWith('}'));
    }
  });

  it('Apply to File names the file the answer gave for each block: in its fence, in the sentence before it (across chunks), or none', async () => {
    // 60 paragraphs put the sentence naming the file at the end of the first chunk and its block in the next.
    const filler = Array.from({ length: 49 }, (_, i) => `Paragraph ${i + 1}.`).join('\n\n');
    const answer = [
      filler,
      'Change `src/util/debounce.ts` like this:',
      '```ts\nexport const wait = 1;\n```',
      'And the test:',
      '```ts test/debounce.test.ts\nit("waits");\n```',
      'A sketch, for no file in particular (e.g. a scratch file):',
      '```ts\nlet x = 2;\n```',
      'In `../../etc/passwd.txt`:',
      '```txt\nroot\n```',
    ].join('\n\n');
    await view.send({ type: 'state', state: state([assistant('a', '', { status: 'streaming' })], { busy: true }) });
    for (let i = 0; i < answer.length; i += 97) await view.send({ type: 'delta', id: 'a', text: answer.slice(i, i + 97) });
    await view.send({ type: 'update', id: 'a', patch: { status: 'done' } });
    const blocks = view.page.locator('[data-id="a"] .code-block');
    await blocks.nth(3).waitFor();
    assert.equal(await view.page.locator('[data-id="a"] .markdown-chunk').count() > 1, true, 'the answer spans chunks');
    assert.equal(await blocks.nth(1).getByRole('button', { name: 'Apply to test/debounce.test.ts…' }).count(), 1, 'a file in the fence names the button');
    const targets: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      await view.clearPosted();
      await blocks.nth(i).locator('button[data-code-action="apply"]').click();
      const posted = await view.waitForPosted('code');
      assert.equal(posted.action, 'apply');
      targets.push(posted.target);
    }
    assert.deepEqual(targets, ['src/util/debounce.ts', 'test/debounce.test.ts', undefined, undefined]);
  });

  it('downscales a large image to the model’s 1120 px and re-encodes it', async function () {
    this.timeout(60_000); // drawing, encoding and scaling a 12-megapixel image: slow on a loaded machine, and not what is tested
    await view.send({ type: 'state', state: state() });
    await view.send({ type: 'attachImages', images: [{ name: 'photo.png', mime: 'image/png', base64: await canvasPng(view, 4000, 3000) }] });
    await view.page.locator('.thumbnail img').waitFor();
    await view.page.locator('textarea').fill('what is this?');
    await view.page.locator('textarea').press('Enter');
    const [image] = (await view.waitForPosted('send')).images;
    assert.ok(image);
    assert.deepEqual([image.width, image.height], [1120, 840]);
    assert.ok(image.mime === 'image/jpeg' || image.mime === 'image/png');
    const decoded = await view.page.evaluate(async (dataUrl) => {
      const img = new Image(); // the CSP allows data: images, not fetch()
      img.src = dataUrl;
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, image.dataUrl);
    assert.deepEqual(decoded, [1120, 840]);
    assert.equal(image.bytes, Buffer.from(image.dataUrl.split(',')[1]!, 'base64').length);
  });

  it('refuses an image whose header claims too many pixels before decoding it, for attach and for Describe Image (issue 12)', async () => {
    // A PNG signature and IHDR claiming 16000 × 16000, as a 249 KB bomb would: never handed to the decoder.
    const header = Buffer.alloc(33 + 1024);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
    header.writeUInt32BE(13, 8);
    header.write('IHDR', 12, 'ascii');
    header.writeUInt32BE(16000, 16);
    header.writeUInt32BE(16000, 20);
    header.set([8, 6, 0, 0, 0], 24);
    const bomb = { name: 'bomb.png', mime: 'image/png' as const, base64: header.toString('base64') };
    await view.send({ type: 'state', state: state() });
    await view.send({ type: 'attachImages', images: [bomb] });
    const said = await view.until(async () => /16000 × 16000 pixels \(256 megapixels\); images up to 50 megapixels/.test(await view.page.locator('.composer-problems').innerText()), true);
    assert.ok(said, await view.page.locator('.composer-problems').innerText());
    assert.equal(await view.page.locator('.thumbnail img').count(), 0);
    await view.send({ type: 'submit', requestId: 'submit-1', text: 'describe', images: [bomb] });
    assert.deepEqual(await view.waitForPosted('notify'), { type: 'notify', notice: 'imageNotPrepared' });
    assert.equal((await view.posted()).filter((m) => m.type === 'send').length, 0, 'nothing was sent');
  });

  it('keeps transparency as PNG', async () => {
    await view.send({ type: 'state', state: state() });
    await view.send({ type: 'submit', requestId: 'submit-7', text: 'describe', images: [{ name: 'logo.png', mime: 'image/png', base64: await canvasPng(view, 2400, 1200, true) }], note: 'Using a vision model.' });
    const sent = await view.waitForPosted('send');
    assert.equal(sent.note, 'Using a vision model.');
    assert.equal(sent.requestId, 'submit-7', 'the answer to the host’s submit says which one it answers');
    assert.deepEqual([sent.images[0]!.mime, sent.images[0]!.width, sent.images[0]!.height], ['image/png', 1120, 560]);
  });

  it('refuses images for a model that cannot see, naming the ones that can, and loses nothing', async () => {
    await view.send({ type: 'state', state: state([], { modelId: TEXT_MODEL_ID }) });
    await view.send({ type: 'attachImages', images: [{ name: 'shot.png', mime: 'image/png', base64: await canvasPng(view, 64, 64) }] });
    await view.page.locator('.thumbnail img').waitFor();
    await view.page.locator('textarea').fill('what is in the picture?');
    await view.page.locator('textarea').press('Enter');
    const notice = await view.page.locator('.composer-validation').innerText();
    assert.match(notice, /Llama 3 8B Instruct cannot see images/);
    assert.match(notice, /Llama 3\.2 11B Vision Instruct/);
    assert.match(notice, /LLaVA 1\.6 7B/);
    assert.equal((await view.posted()).some((m) => m.type === 'send'), false);
    assert.equal(await view.page.locator('textarea').inputValue(), 'what is in the picture?');

    await view.page.getByRole('button', { name: /Switch to Llama 3\.2 11B Vision Instruct/ }).click();
    assert.deepEqual(await view.waitForPosted('selectModel'), { type: 'selectModel', modelId: MODELS[0]!.id });
    await view.send({ type: 'models', models: MODELS, modelId: MODELS[0]!.id });
    assert.equal(await view.page.locator('.composer-validation').innerText(), '');
    await view.page.locator('textarea').press('Enter');
    assert.equal((await view.waitForPosted('send')).images.length, 1);
  });

  it('says so when there are more images than the model takes', async () => {
    await view.send({ type: 'state', state: state() });
    const base64 = await canvasPng(view, 32, 32);
    await view.send({ type: 'attachImages', images: [{ name: 'a.png', mime: 'image/png', base64 }, { name: 'b.png', mime: 'image/png', base64 }] });
    await view.page.locator('.thumbnail img >> nth=1').waitFor();
    assert.match(await view.page.locator('.composer-validation').innerText(), /takes one image per message; remove 1 of the 2/);
    await view.page.getByRole('button', { name: 'Remove b.png' }).click();
    assert.equal(await view.page.locator('.composer-validation').innerText(), '');
  });

  it('explains an image it cannot read and keeps the typed text', async () => {
    await view.send({ type: 'state', state: state() });
    await view.page.locator('textarea').fill('keep me');
    await view.send({ type: 'attachImages', images: [{ name: 'broken.png', mime: 'image/png', base64: Buffer.from('not an image at all').toString('base64') }] });
    await view.page.locator('.composer-problems .notice').waitFor();
    assert.match(await view.page.locator('.composer-problems').innerText(), /broken\.png could not be read as an image/);
    assert.equal(await view.page.locator('.thumbnail').count(), 0);
    assert.equal(await view.page.locator('textarea').inputValue(), 'keep me');
  });

  it('offers the error’s actions and posts errorAction with the message id', async () => {
    const error = { kind: 'badKey' as const, message: 'DeepInfra rejected the API key.', detail: 'HTTP 401 Unauthorized', actions: ['setApiKey', 'retry', 'showLog'] as const };
    await view.send({ type: 'state', state: state([{ id: 'u', role: 'user', text: 'hi' }, assistant('e1', '', { status: 'error', error: { ...error, actions: [...error.actions] } })]) });
    const box = view.page.locator('[data-id="e1"] .error-box');
    assert.match(await box.innerText(), /DeepInfra rejected the API key/);
    await box.locator('summary').click();
    assert.match(await box.locator('.error-detail pre').innerText(), /HTTP 401/);
    for (const [label, action] of [['Set API Key', 'setApiKey'], ['Retry', 'retry'], ['Show Log', 'showLog']] as const) {
      await box.getByRole('button', { name: label }).click();
      assert.deepEqual((await view.posted()).pop(), { type: 'errorAction', action, messageId: 'e1' });
    }
  });

  it('wraps long URLs and paths inside a 300 px side bar: error, details, note, prompt, answer, stats', async () => {
    await view.page.setViewportSize({ width: 300, height: 1500 });
    await view.send({ type: 'state', state: state(unbreakableMessages()) });
    await view.page.locator('[data-id="n4"] .error-detail summary').click();
    // Every line of text ends inside the list; only code blocks may scroll sideways.
    const overflowing = await view.page.evaluate(() => {
      const list = document.querySelector('.message-list')!;
      const right = list.getBoundingClientRect().right;
      const walker = document.createTreeWalker(list, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      const found: string[] = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent!.trim() || node.parentElement!.closest('.code-block pre')) continue;
        // Text cut short with an ellipsis (the model name) ends where its box ends.
        const parent = node.parentElement!;
        range.selectNodeContents(node);
        const box = getComputedStyle(parent).textOverflow === 'ellipsis' ? parent.getBoundingClientRect() : range.getBoundingClientRect();
        if (box.right > right + 0.5) found.push(node.textContent!.slice(0, 40));
      }
      return found;
    });
    assert.deepEqual(overflowing, []);
    assert.match(await view.page.locator('[data-id="n2"] .message-author').innerText(), /^meta-llama\/Llama-3\.2-90B/);
    assert.match(await view.page.locator('[data-id="n4"] .error-message').innerText(), /top up at https:\/\/cloud\.segmind\.com/);
  });

  it('keeps every header badge on one line beside a long model name, from a 250 px side bar up', async () => {
    // The last answer, stopped and idle: its header holds the name, the Stopped badge and Regenerate.
    const messages: ViewMessage[] = [
      { id: 'u', role: 'user', text: 'Describe the screenshot' },
      assistant('s1', 'A partial answ', { status: 'stopped', modelName: 'Llama 3.2 90B Vision Instruct (Segmind)' }),
      { id: 'u2', role: 'user', text: 'Again' },
      assistant('s2', 'Another partial', { status: 'stopped', modelName: 'meta-llama/Llama-3.2-90B-Vision-Instruct-Turbo-with-a-long-name' }),
    ];
    await view.send({ type: 'state', state: state(messages) });
    for (const width of [250, 280, 340, 420]) {
      await view.page.setViewportSize({ width, height: 800 });
      await view.frames();
      const badges = await view.page.locator('.message-header .badge').evaluateAll((all) => all.map((badge) => {
        const range = document.createRange();
        range.selectNodeContents(badge);
        const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
        const box = badge.getBoundingClientRect();
        const header = badge.closest('.message-header')!.getBoundingClientRect();
        return { text: badge.textContent, lines, inside: box.left >= header.left && box.right <= header.right + 0.5, clipped: badge.scrollWidth > badge.clientWidth };
      }));
      assert.deepEqual(badges, [1, 2].map(() => ({ text: 'Stopped', lines: 1, inside: true, clipped: false })), `at ${width} px`);
      // The name gives way instead, cut short with an ellipsis.
      const name = await view.page.locator('[data-id="s2"] .message-author').evaluate((el) => ({ cut: el.scrollWidth > el.clientWidth, ellipsis: getComputedStyle(el).textOverflow }));
      assert.deepEqual(name, { cut: true, ellipsis: 'ellipsis' }, `at ${width} px`);
      const avatar = await view.page.locator('[data-id="s2"] .message-avatar').evaluate((el) => [el.clientWidth, el.clientHeight]);
      assert.deepEqual(avatar, [22, 22], `the avatar stays round at ${width} px`);
    }
  });

  it('offers Regenerate on the last answer and Edit on the last prompt, only when idle', async () => {
    await view.send({ type: 'state', state: state(conversation(4)) });
    assert.equal(await view.page.getByRole('button', { name: 'Regenerate answer' }).count(), 1);
    assert.equal(await view.page.getByRole('button', { name: 'Edit and resend this prompt' }).count(), 1);
    await view.page.locator('[data-id="m3"]').getByRole('button', { name: 'Regenerate answer' }).click();
    await view.page.locator('[data-id="m2"]').getByRole('button', { name: 'Edit and resend this prompt' }).click();
    const posted = (await view.posted()).map((m) => m.type);
    assert.deepEqual(posted.slice(-2), ['regenerate', 'editLast']);
    await view.send({ type: 'busy', busy: true });
    assert.equal(await view.page.getByRole('button', { name: 'Regenerate answer' }).count(), 0);

    await view.send({ type: 'remove', ids: ['m2', 'm3'] }, { type: 'setDraft', text: 'Question 2, edited' }, { type: 'busy', busy: false });
    assert.equal(await view.page.locator('textarea').inputValue(), 'Question 2, edited');
    assert.equal(await view.page.locator('[data-id="m1"]').getByRole('button', { name: 'Regenerate answer' }).count(), 1);
  });

  it('opens a 500-message chat with only the latest messages built, and builds older ones on the way up', async () => {
    await view.send({ type: 'state', state: state(conversation(500)) });
    const built = () => view.page.locator('article.message').count();
    const initial = await built();
    assert.ok(initial > 0 && initial <= 30, `${initial} messages built at first`);
    assert.equal(await view.page.locator('[data-id="m499"]').count(), 1);
    for (let i = 0; i < 5; i++) {
      await view.page.locator('.message-list').evaluate((el) => (el.scrollTop = 0));
      await view.frames();
    }
    assert.ok((await built()) > initial, 'scrolling up builds earlier messages');
  });

  it('shows elapsed seconds while waiting for an answer that does not stream', async () => {
    await view.send({ type: 'state', state: state([{ id: 'u', role: 'user', text: 'hi' }, assistant('w', '', { status: 'waiting', startedAt: Date.now() - 5_000, modelName: 'LLaVA 1.6 7B', note: 'Using LLaVA 1.6 7B: the chat’s model cannot see images.' })], { busy: true }) });
    const waiting = view.page.locator('[data-id="w"] .message-waiting');
    // Counted from when the request started (5 s ago), not from when the view drew it; then it ticks.
    // (Read as numbers, not as exact values: a loaded machine may draw a second or two late.)
    const seconds = async () => Number((await waiting.innerText()).match(/^Waiting for the answer… (\d+) s$/)?.[1]);
    const first = await seconds();
    assert.ok(first >= 5 && first < 15, `the counter starts at the request's age: ${await waiting.innerText()}`);
    await view.page.waitForFunction(
      (n) => Number(document.querySelector('[data-id="w"] .message-waiting')?.textContent?.match(/(\d+) s/)?.[1]) > n,
      first,
      { timeout: 5000 },
    );
    assert.match(await view.page.locator('[data-id="w"] .message-note').innerText(), /Using LLaVA 1\.6 7B/);
    await view.send({ type: 'update', id: 'w', patch: { status: 'done', text: 'A cat on a sofa.' } });
    assert.equal(await waiting.isHidden(), true);
    // The answer's new chunk is laid out at the next frame (content-visibility), so read it then.
    assert.equal(await view.until(() => view.page.locator('[data-id="w"] .markdown').innerText(), 'A cat on a sofa.'), 'A cat on a sofa.');
  });
});
