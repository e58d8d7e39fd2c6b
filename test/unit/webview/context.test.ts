// Context chips and `#` completion in the chat webview (issue 14), in headless Chromium through the
// harness page: the built bundle, the host's CSP, a fake VS Code API recording what the view posts.
// The host's side is played by hand: its answers (`contextSuggestions`, `addContext`) are sent the
// way the extension sends them.

import assert from 'node:assert/strict';
import type { ContextChip, ContextSuggestion, WebviewMessage } from '../../../src/protocol';
import { MODELS, TEXT_MODEL_ID, state } from '../../webview/fixtures';
import type { Locator } from 'playwright-core';
import { useWebviewSuite, type WebviewPage } from '../../webview/harness';

const APP_TS: ContextChip = { id: 'c1', kind: 'file', label: 'src/app.ts', tokens: 1234, location: { path: 'src/app.ts' } };
const SELECTION: ContextChip = { id: 'c2', kind: 'selection', label: 'composer.ts:12-30', tokens: 850, location: { path: 'src/composer.ts', startLine: 12, endLine: 30 } };
const PROBLEMS: ContextChip = { id: 'c3', kind: 'problems', label: 'Problems (3)', tokens: 96 };
const FOLDER: ContextChip = { id: 'c4', kind: 'folder', label: 'src/webview', tokens: 41_000, location: { path: 'src/webview' }, note: '2 files over 100 KB left out: big.json, dump.log' };

const ROWS: ContextSuggestion[] = [
  { label: 'selection', detail: 'The active editor’s selection', ref: { kind: 'selection' } },
  { label: 'src/app.ts', detail: 'src', ref: { kind: 'file', path: 'src/app.ts' } },
  { label: 'changes', detail: 'The git diff of the working tree', ref: { kind: 'changes' } },
];

/** Waits for the view to ask for the rows of `query`, and returns its request. */
async function suggestRequest(view: WebviewPage, query: string): Promise<Extract<WebviewMessage, { type: 'suggestContext' }>> {
  const handle = await view.page.waitForFunction(
    (wanted) => (window as unknown as { __posted: WebviewMessage[] }).__posted.find((m) => m.type === 'suggestContext' && m.query === wanted),
    query,
    { timeout: 5000 },
  );
  return (await handle.jsonValue()) as Extract<WebviewMessage, { type: 'suggestContext' }>;
}

const postedOf = async <T extends WebviewMessage['type']>(view: WebviewPage, type: T) =>
  (await view.posted()).filter((m): m is Extract<WebviewMessage, { type: T }> => m.type === type);

/** What the chips above the prompt box show, one string each (the note, only read out, left aside). */
const composerChips = (view: WebviewPage) => chipTexts(view.page.locator('.composer .context-chip'));

function chipTexts(chips: Locator): Promise<string[]> {
  return chips.evaluateAll((els) =>
    els.map((el) => [el.querySelector('.context-chip-label')?.textContent, el.querySelector('.context-chip-size')?.textContent].join(' ')),
  );
}

describe('context chips and # completion (headless Chromium)', function () {
  const currentView = useWebviewSuite('the context chip tests', 'ovc-context-test-');
  let view: WebviewPage;
  beforeEach(() => {
    view = currentView();
  });

  it('shows the chips the host adds with icon, size, note and total; removes one with its button, opens one with a click', async () => {
    await view.send({ type: 'state', state: state() });
    assert.equal(await view.page.locator('.composer .context-area').isHidden(), true, 'no chips, no chip row');
    await view.send({ type: 'addContext', chips: [APP_TS, SELECTION] }, { type: 'addContext', chips: [PROBLEMS, FOLDER] });

    const texts = (await composerChips(view)).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.deepEqual(texts, ['src/app.ts 1.2K tokens', 'composer.ts:12-30 850 tokens', 'Problems (3) 96 tokens', 'src/webview 41K tokens']);
    const icons = await view.page.locator('.composer .context-chip .context-chip-icon').evaluateAll((els) => els.map((e) => e.className.replace(/.*codicon-(\S+).*/, '$1')));
    assert.deepEqual(icons, ['file', 'selection', 'warning', 'folder']);
    const folder = view.page.locator('.composer .context-chip[data-chip-id="c4"]');
    assert.match((await folder.getAttribute('title'))!, /41K tokens\n2 files over 100 KB left out/);
    assert.equal(await folder.locator('.context-chip-note').count(), 1, 'a chip with a note is marked');
    assert.match(await folder.locator('.visually-hidden').textContent() ?? '', /left out: big\.json/, 'and the note is read out');
    assert.equal(await view.page.locator('.composer .context-total').innerText(), '4 attachments, 43K tokens');

    // The same id again replaces the chip in place (the host re-read it); no duplicate.
    await view.send({ type: 'addContext', chips: [{ ...APP_TS, tokens: 2000 }] });
    assert.equal((await composerChips(view))[0]!.replace(/\s+/g, ' ').trim(), 'src/app.ts 2K tokens');

    await view.page.getByRole('button', { name: 'Remove composer.ts:12-30' }).click();
    assert.deepEqual(await postedOf(view, 'removeContext'), [{ type: 'removeContext', id: 'c2' }]);
    assert.equal((await composerChips(view)).length, 3);
    assert.equal(await view.page.locator('.composer .context-total').innerText(), '3 attachments, 43K tokens');

    // A chip with a place opens it; one without (Problems) has nothing to open.
    await view.page.locator('.composer .context-chip[data-chip-id="c4"] .context-chip-open').click();
    assert.deepEqual(await postedOf(view, 'openContext'), [{ type: 'openContext', location: { path: 'src/webview' } }]);
    assert.equal(await view.page.locator('.composer .context-chip[data-chip-id="c3"] .context-chip-open').count(), 0);
  });

  it('warns when the chips add up to more than the model’s context', async () => {
    const models = MODELS.map((m) => ({ ...m, contextLength: 8192 }));
    await view.send({ type: 'state', state: state([], { models }) });
    await view.send({ type: 'addContext', chips: [APP_TS] });
    const total = view.page.locator('.composer .context-total');
    assert.equal(await total.evaluate((e) => e.classList.contains('over')), false);
    await view.send({ type: 'addContext', chips: [FOLDER] });
    assert.match(await total.innerText(), /^2 attachments, 42K tokens: more than Llama 3\.2 11B Vision Instruct takes \(8\.2K tokens\)\. What does not fit will be left out, and named\.$/);
    assert.equal(await total.evaluate((e) => e.classList.contains('over')), true);
    // A model with a larger context takes it all: the warning goes.
    await view.send({ type: 'models', models: models.map((m) => ({ ...m, contextLength: 128_000 })), modelId: models[0]!.id });
    assert.equal(await total.innerText(), '2 attachments, 42K tokens');
  });

  it('keyboard only: # opens the list, arrows move, Enter attaches; Shift+Tab reaches the chip’s remove button, Enter removes it', async () => {
    await view.send({ type: 'state', state: state() });
    const input = view.page.locator('textarea');
    await input.focus();
    await view.page.keyboard.type('Explain #');
    const first = await suggestRequest(view, '');
    assert.equal(await input.getAttribute('aria-expanded'), 'true', 'open (searching) while the first answer is on its way');
    await view.page.keyboard.type('s');
    const request = await suggestRequest(view, 's');
    assert.notEqual(request.requestId, first.requestId);
    await view.send({ type: 'contextSuggestions', requestId: request.requestId, suggestions: ROWS });

    const listbox = view.page.getByRole('listbox', { name: 'Context to attach' });
    await listbox.waitFor();
    assert.equal(await input.getAttribute('aria-controls'), await listbox.getAttribute('id'));
    assert.deepEqual(
      (await listbox.getByRole('option').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
      ['selection The active editor’s selection', 'src/app.ts src', 'changes The git diff of the working tree'],
    );
    const activeText = async () => view.page.locator(`#${await input.getAttribute('aria-activedescendant')}`).innerText();
    assert.match(await activeText(), /^selection/);
    await view.page.keyboard.press('ArrowDown');
    assert.match(await activeText(), /^src\/app\.ts/);
    await view.page.keyboard.press('ArrowUp');
    await view.page.keyboard.press('ArrowUp');
    assert.match(await activeText(), /^changes/, 'Up from the first row wraps to the last');
    await view.page.keyboard.press('ArrowDown');
    await view.page.keyboard.press('ArrowDown');
    assert.equal(await view.page.locator('.context-suggestion[aria-selected="true"]').innerText().then((t) => t.split(/\s/)[0]), 'src/app.ts');

    await view.page.keyboard.press('Enter');
    assert.deepEqual(await postedOf(view, 'attachContext'), [{ type: 'attachContext', ref: { kind: 'file', path: 'src/app.ts' } }]);
    assert.equal(await input.inputValue(), 'Explain ', 'the #query is taken out of the text');
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    assert.equal(await listbox.isHidden(), true);
    assert.equal((await view.posted()).some((m) => m.type === 'send'), false, 'Enter in the list does not send');

    // The host answers with the chip; the user goes back to it from the box and removes it.
    await view.send({ type: 'addContext', chips: [APP_TS] });
    await view.page.locator('.composer .context-chip').waitFor();
    assert.equal(await view.page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA', 'a new chip does not take the focus');
    await view.page.keyboard.press('Shift+Tab');
    assert.equal(await view.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Remove src/app.ts');
    await view.page.keyboard.press('Enter');
    assert.deepEqual(await postedOf(view, 'removeContext'), [{ type: 'removeContext', id: 'c1' }]);
    assert.equal((await composerChips(view)).length, 0);
    assert.equal(await view.page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA', 'focus goes back to the box');
  });

  it('Escape closes the list without stopping the answer; the next Escape stops it', async () => {
    await view.send({ type: 'state', state: state([{ id: 'u', role: 'user', text: 'hi' }, { id: 'a', role: 'assistant', text: 'Hel', status: 'streaming' }], { busy: true }) });
    const input = view.page.locator('textarea');
    await input.focus();
    await view.page.keyboard.type('next: #pro');
    const request = await suggestRequest(view, 'pro');
    await view.send({ type: 'contextSuggestions', requestId: request.requestId, suggestions: [{ label: 'problems', ref: { kind: 'problems' } }] });
    await view.page.locator('.context-suggestion').waitFor();

    await view.page.keyboard.press('Escape');
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    assert.equal(await view.page.locator('.context-popup').isHidden(), true);
    assert.equal((await view.posted()).some((m) => m.type === 'stop'), false, 'Escape in the list is not Stop');
    // Closed for this #word: typing on in it does not reopen the list.
    await view.page.keyboard.type('b');
    await view.frames();
    assert.equal(await input.getAttribute('aria-expanded'), 'false');

    await view.page.keyboard.press('Escape');
    await view.waitForPosted('stop');
    assert.equal(await input.inputValue(), 'next: #prob', 'nothing typed is lost');
  });

  it('Enter typed before the rows arrive attaches the first one and never sends; a stale answer is dropped', async () => {
    await view.send({ type: 'state', state: state() });
    const input = view.page.locator('textarea');
    await input.focus();
    await view.page.keyboard.type('#a');
    const stale = await suggestRequest(view, 'a');
    await view.page.keyboard.type('p');
    const current = await suggestRequest(view, 'ap');
    await view.page.keyboard.press('Enter');
    // The answer to the older query comes last-but-one: it must not be shown or taken.
    await view.send({ type: 'contextSuggestions', requestId: stale.requestId, suggestions: [{ label: 'a.txt', ref: { kind: 'file', path: 'a.txt' } }] });
    await view.frames();
    assert.deepEqual(await postedOf(view, 'attachContext'), []);
    assert.equal(await view.page.locator('.context-suggestion').count(), 0);
    await view.send({ type: 'contextSuggestions', requestId: current.requestId, suggestions: [{ label: 'src/app.ts', ref: { kind: 'file', path: 'src/app.ts' } }] });
    assert.deepEqual(await postedOf(view, 'attachContext'), [{ type: 'attachContext', ref: { kind: 'file', path: 'src/app.ts' } }]);
    assert.equal(await input.inputValue(), '');
    assert.equal((await view.posted()).some((m) => m.type === 'send'), false);
  });

  it('a #word nothing matches closes the list, and Enter sends as usual', async () => {
    await view.send({ type: 'state', state: state() });
    const input = view.page.locator('textarea');
    await input.focus();
    await view.page.keyboard.type('Fixes issue #12');
    const request = await suggestRequest(view, '12');
    await view.send({ type: 'contextSuggestions', requestId: request.requestId, suggestions: [] });
    assert.equal(await view.until(() => input.getAttribute('aria-expanded'), 'false'), 'false');
    await view.page.keyboard.press('Enter');
    assert.equal((await view.waitForPosted('send')).text, 'Fixes issue #12');
  });

  it('marks the letters of the query in each row, in the file name first', async () => {
    await view.send({ type: 'state', state: state() });
    await view.page.locator('textarea').focus();
    await view.page.keyboard.type('#comp');
    const request = await suggestRequest(view, 'comp');
    await view.send({
      type: 'contextSuggestions',
      requestId: request.requestId,
      suggestions: ['src/webview/composer.ts', 'compat/old/x.ts', 'src/contextCompletion.ts'].map((path) => ({ label: path, ref: { kind: 'file' as const, path } })),
    });
    await view.page.locator('.context-suggestion').first().waitFor();
    const marked = await view.page.locator('.context-suggestion-label').evaluateAll((els) =>
      els.map((el) => Array.from(el.childNodes).map((n) => ((n as Element).classList?.contains('context-match') ? `[${n.textContent}]` : n.textContent)).join('')),
    );
    assert.deepEqual(marked, ['src/webview/[comp]oser.ts', '[comp]at/old/x.ts', 'src/[co]ntextCo[mp]letion.ts']);
  });

  it('keeps long chip labels inside a 300 px side bar', async () => {
    await view.page.setViewportSize({ width: 300, height: 700 });
    const long = 'src/some/deeply/nested/folder/with/AVeryLongComponentNameThatGoesOnAndOn.tsx';
    await view.send({ type: 'state', state: state([{ id: 'u1', role: 'user', text: 'q', context: [{ ...APP_TS, label: long }] }]) });
    await view.send({ type: 'addContext', chips: [{ ...FOLDER, label: long }, SELECTION] });
    const overflow = await view.page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return Array.from(document.querySelectorAll('.context-chip, .context-chip-remove, .context-total'))
        .filter((el) => el.getBoundingClientRect().right > width)
        .map((el) => el.className);
    });
    assert.deepEqual(overflow, []);
    assert.equal(await view.page.getByRole('button', { name: `Remove ${long}` }).isVisible(), true, 'the remove button is not pushed out by the label');
  });

  it('a click on a row attaches it and keeps the focus in the box', async () => {
    await view.send({ type: 'state', state: state() });
    await view.page.locator('textarea').focus();
    await view.page.keyboard.type('look at #');
    const request = await suggestRequest(view, '');
    await view.send({ type: 'contextSuggestions', requestId: request.requestId, suggestions: ROWS });
    await view.page.getByRole('listbox').getByRole('option', { name: /changes/ }).click();
    assert.deepEqual(await postedOf(view, 'attachContext'), [{ type: 'attachContext', ref: { kind: 'changes' } }]);
    assert.equal(await view.page.locator('textarea').inputValue(), 'look at ');
    assert.equal(await view.page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA');
  });

  it('send carries the chips’ ids and clears them; a send that cannot go keeps them', async () => {
    await view.send({ type: 'state', state: state([], { modelId: TEXT_MODEL_ID }) });
    await view.send({ type: 'addContext', chips: [APP_TS, PROBLEMS] });
    const input = view.page.locator('textarea');
    await input.fill('Why does this fail?');
    // An image for a model that cannot see: refused, and nothing (text, image, chips) is lost.
    await view.send({ type: 'attachImages', images: [{ name: 'shot.png', mime: 'image/png', base64: TINY_PNG }] });
    await view.page.locator('.thumbnail img').waitFor();
    await input.press('Enter');
    await view.frames();
    assert.equal((await view.posted()).some((m) => m.type === 'send'), false);
    assert.equal((await composerChips(view)).length, 2);
    assert.equal(await input.inputValue(), 'Why does this fail?');

    await view.page.getByRole('button', { name: 'Remove Images' }).click();
    await input.press('Enter');
    assert.deepEqual(await view.waitForPosted('send'), { type: 'send', text: 'Why does this fail?', images: [], context: ['c1', 'c3'] });
    assert.equal((await composerChips(view)).length, 0);
    assert.equal(await view.page.locator('.composer .context-area').isHidden(), true);
  });

  it('keeps the chips through a reload, and sends them after it', async () => {
    await view.send({ type: 'state', state: state() });
    await view.page.locator('textarea').fill('half-written');
    await view.send({ type: 'addContext', chips: [SELECTION, FOLDER] });
    await view.page.waitForFunction(() => JSON.parse(sessionStorage.getItem('__vscodeState') ?? '{}').draft?.context?.length === 2);

    await view.reload();
    await view.send({ type: 'state', state: state() });
    assert.deepEqual((await composerChips(view)).map((t) => t.split(/\s/)[0]), ['composer.ts:12-30', 'src/webview']);
    await view.page.locator('textarea').press('Enter');
    assert.deepEqual((await view.waitForPosted('send')).context, ['c2', 'c4']);
  });

  it('shows a sent prompt’s chips; one with a place opens it on click or Enter, one without is not a button', async () => {
    await view.send({
      type: 'state',
      state: state([{ id: 'u1', role: 'user', text: 'What is wrong here?', context: [SELECTION, PROBLEMS, FOLDER], note: 'Left out: src/webview (did not fit the model’s context).' }]),
    });
    const sent = view.page.locator('[data-id="u1"] .message-context');
    assert.deepEqual(await chipTexts(sent.locator('.context-chip')), ['composer.ts:12-30 850 tokens', 'Problems (3) 96 tokens', 'src/webview 41K tokens']);
    assert.equal(await sent.locator('.context-chip-remove').count(), 0, 'a sent chip cannot be removed');
    assert.equal(await sent.getByRole('button').count(), 2, 'Problems has no place to open');
    assert.match(await view.page.locator('[data-id="u1"] .message-note').innerText(), /Left out: src\/webview/);

    await sent.getByRole('button', { name: /composer\.ts:12-30/ }).click();
    assert.deepEqual(await postedOf(view, 'openContext'), [{ type: 'openContext', location: { path: 'src/composer.ts', startLine: 12, endLine: 30 } }]);
    await view.clearPosted();
    await sent.getByRole('button', { name: /src\/webview/ }).focus();
    await view.page.keyboard.press('Enter');
    assert.deepEqual(await postedOf(view, 'openContext'), [{ type: 'openContext', location: { path: 'src/webview' } }]);

    // Chips that come with a later update (the host names what it sent) are drawn too.
    await view.send({ type: 'update', id: 'u1', patch: { context: [APP_TS] } });
    assert.deepEqual(await chipTexts(sent.locator('.context-chip')), ['src/app.ts 1.2K tokens']);
  });

  it('renders hostile labels, notes and rows as text', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    await view.send({ type: 'state', state: state([{ id: 'u1', role: 'user', text: 'q', context: [{ ...APP_TS, label: hostile, note: hostile }] }]) });
    await view.send({ type: 'addContext', chips: [{ ...FOLDER, label: hostile, note: hostile }] });
    await view.page.locator('textarea').focus();
    await view.page.keyboard.type('#');
    const request = await suggestRequest(view, '');
    await view.send({ type: 'contextSuggestions', requestId: request.requestId, suggestions: [{ label: hostile, detail: hostile, ref: { kind: 'file', path: 'x.ts' } }] });
    await view.page.locator('.context-suggestion').waitFor();

    const report = await view.page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      elements: document.querySelectorAll('#app img, #app b').length,
      labels: Array.from(document.querySelectorAll('.context-chip-label, .context-suggestion-label')).map((e) => e.textContent),
    }));
    assert.deepEqual(report, { pwned: undefined, elements: 0, labels: [hostile, hostile, hostile] });
    assert.equal(await view.page.getByRole('button', { name: `Remove ${hostile}` }).count(), 1);
  });

  it('posts dropFiles for files dropped from VS Code’s Explorer, without typing their URIs into the box', async () => {
    await view.send({ type: 'state', state: state() });
    await view.page.evaluate(() => {
      const dropped = new DataTransfer();
      // VS Code's own list holds every file; text/uri-list only the first.
      dropped.setData('application/vnd.code.uri-list', 'file:///work/project/src/app.ts\r\nfile:///work/project/README.md');
      dropped.setData('text/uri-list', 'file:///work/project/src/app.ts');
      const box = document.querySelector('textarea')!;
      box.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dropped, bubbles: true }));
      (window as unknown as { __overlay: string }).__overlay = document.querySelector('.drop-overlay')!.textContent!;
      const over = new DragEvent('dragover', { dataTransfer: dropped, bubbles: true, cancelable: true });
      box.dispatchEvent(over);
      (window as unknown as { __accepted: boolean }).__accepted = over.defaultPrevented;
      box.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true }));
    });
    assert.deepEqual(await postedOf(view, 'dropFiles'), [{ type: 'dropFiles', uris: ['file:///work/project/src/app.ts', 'file:///work/project/README.md'] }]);
    assert.deepEqual(await view.page.evaluate(() => [(window as unknown as { __overlay: string }).__overlay, (window as unknown as { __accepted: boolean }).__accepted]), ['Drop files to attach them', true]);
    assert.equal(await view.page.locator('textarea').inputValue(), '');
    assert.equal(await view.page.locator('.drop-overlay').isHidden(), true);
    assert.equal(await view.page.locator('.thumbnail').count(), 0, 'not taken for images');
  });
});

/** A 1×1 PNG. */
const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
