// The chat view's Markdown in headless Chromium: what the model wrote is what the user sees, and an
// answer streamed in pieces ends exactly as the same text rendered whole. The CommonMark spec's
// examples (the `commonmark-spec` package) go through the view's own renderer, MarkdownView.

import assert from 'node:assert/strict';
import { tests as specExamples } from 'commonmark-spec';
import type { ViewMessage } from '../../../src/protocol';
import { state } from '../../webview/fixtures';
import { buildMarkdownProbe, useWebviewSuite, type WebviewPage } from '../../webview/harness';

const answer = (id: string, text: string, extra: Partial<ViewMessage> = {}): ViewMessage => ({
  id, role: 'assistant', text, modelName: 'Llama 3.2 11B Vision Instruct', status: 'done', ...extra,
});

/** A small seeded generator (mulberry32): the same cuts on every run, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `text` in pieces of 1 to `max` characters, their lengths drawn from `seed`. */
function randomCuts(text: string, max: number, seed: number): string[] {
  const next = random(seed);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; ) {
    const size = 1 + Math.floor(next() * max);
    pieces.push(text.slice(i, i + size));
    i += size;
  }
  return pieces;
}

/** The ways an answer arrives: a character at a time, short and long random deltas, whole lines, and a line cut in two. */
function cutPatterns(text: string, seed: number): Record<string, string[]> {
  const lines = text.split(/(?<=\n)/);
  return {
    'one character at a time': Array.from(text),
    'random 1-3 characters': randomCuts(text, 3, seed),
    'random 1-12 characters': randomCuts(text, 12, seed + 1),
    'random 1-40 characters': randomCuts(text, 40, seed + 2),
    'whole lines': lines,
    'each line cut in two': lines.flatMap((line) => [line.slice(0, line.length >> 1), line.slice(line.length >> 1)]),
  };
}

describe('chat view Markdown (headless Chromium)', function () {
  const currentView = useWebviewSuite('the Markdown tests', 'ovc-markdown-test-');
  let view: WebviewPage;
  beforeEach(() => {
    view = currentView();
  });

  /** Shows `text` whole as message `whole`, and streams it as `streamed` in `pieces` (several per frame), then ends it. */
  async function showBoth(text: string, pieces: readonly string[]): Promise<void> {
    await view.send({ type: 'state', state: state([answer('whole', text), answer('streamed', '', { status: 'streaming' })], { busy: true }) });
    await view.stream('streamed', pieces, 3);
    await view.send({ type: 'update', id: 'streamed', patch: { status: 'done' } }, { type: 'busy', busy: false });
    await view.frames();
  }

  const html = (id: string) => view.page.locator(`[data-id="${id}"] .markdown`).evaluate((el) => el.innerHTML);

  it('keeps the numbers of numbered steps that code blocks separate, streamed or whole', async () => {
    const steps = '1. Install it:\n\n```sh\nnpm install\n```\n\n2. Run it:\n\n```sh\nnpm start\n```\n\n3. Open the page.\n';
    await showBoth(steps, randomCuts(steps, 6, 1));
    for (const id of ['whole', 'streamed']) {
      const lists = await view.page.locator(`[data-id="${id}"] .markdown ol`).evaluateAll((ols) => ols.map((ol) => [(ol as HTMLOListElement).start, ol.children.length]));
      assert.deepEqual(lists, [[1, 1], [2, 1], [3, 1]], `${id}: each step keeps its number`);
    }
  });

  it('starts a new list at its own number when the delimiter changes from "." to ")"', async () => {
    await view.send({ type: 'state', state: state([answer('a', '1. foo\n2. bar\n3) baz\n')]) });
    const lists = await view.page.locator('[data-id="a"] .markdown ol').evaluateAll((ols) => ols.map((ol) => [(ol as HTMLOListElement).start, ol.textContent!.trim().split(/\s+/)]));
    assert.deepEqual(lists, [[1, ['foo', 'bar']], [3, ['baz']]]);
  });

  it('aligns table columns as the separator row says', async () => {
    const table = '| left | centre | right | none |\n|:---|:---:|---:|---|\n| a | b | c | d |\n';
    await showBoth(table, randomCuts(table, 5, 2));
    for (const id of ['whole', 'streamed']) {
      const aligns = await view.page.locator(`[data-id="${id}"] .markdown tr`).evaluateAll((rows) => rows.map((row) => Array.from(row.children, (cell) => getComputedStyle(cell).textAlign)));
      assert.deepEqual(aligns, [['left', 'center', 'right', 'left'], ['left', 'center', 'right', 'start']], id);
    }
  });

  it('keeps a link’s title as plain text on one line, with where the link goes below it', async () => {
    const text = '[docs](https://example.com/docs "The API reference") and [bare](https://example.com/b) and [odd](https://example.com/o "x\u0007\n<b>y</b>")\n';
    await view.send({ type: 'state', state: state([answer('a', text)]) });
    const titles = await view.page.locator('[data-id="a"] .markdown a').evaluateAll((links) => links.map((a) => a.getAttribute('title')));
    assert.deepEqual(titles, ['The API reference\nhttps://example.com/docs', 'https://example.com/b', 'x <b>y</b>\nhttps://example.com/o']);
  });

  it('keeps a code block inside its <details> while the answer streams, not only once it ends', async () => {
    const text = 'Intro.\n\n<details>\n<summary>The script</summary>\n\n```sh\necho hi\n```\n\n</details>\n\nAfter the details, more text.\n\nAnd more.';
    await view.send({ type: 'state', state: state([answer('whole', text), answer('streamed', '', { status: 'streaming' })], { busy: true }) });
    const codeInDetails = (id: string) => view.page.locator(`[data-id="${id}"] .markdown details .code-block`).count();
    assert.equal(await codeInDetails('whole'), 1);
    // Streamed up to just after the paragraph that follows the details: the answer has not ended.
    await view.stream('streamed', randomCuts(text.slice(0, text.indexOf('And more.')), 4, 3), 2);
    assert.equal(await view.until(() => codeInDetails('streamed'), 1), 1);
    await view.stream('streamed', ['And more.']);
    await view.send({ type: 'update', id: 'streamed', patch: { status: 'done' } }, { type: 'busy', busy: false });
    await view.frames();
    assert.equal(await html('streamed'), await html('whole'));
  });

  it('renders every CommonMark spec example the same streamed, in six patterns of cuts, as whole', async function () {
    this.timeout(240_000);
    await view.page.evaluate(await buildMarkdownProbe());
    const examples = specExamples.map((example) => ({ number: example.number, markdown: example.markdown.replace(/→/g, '\t') }));
    assert.equal(examples.length, 652, 'the spec ships 652 examples');
    const differences: string[] = [];
    let streams = 0;
    for (let start = 0; start < examples.length; start += 50) {
      const batch = examples.slice(start, start + 50).map(({ number, markdown }) => ({ number, markdown, patterns: cutPatterns(markdown, number * 7919) }));
      const results = await view.page.evaluate((batch) => batch.map(({ number, markdown, patterns }) => {
        const whole = window.markdownProbe.whole(markdown);
        const differing = Object.entries(patterns).filter(([, pieces]) => window.markdownProbe.streamed(pieces) !== whole).map(([name]) => name);
        return { number, differing, streams: Object.keys(patterns).length };
      }), batch);
      for (const result of results) {
        streams += result.streams;
        if (result.differing.length) differences.push(`example ${result.number} (${result.differing.join(', ')})`);
      }
    }
    assert.equal(streams, 652 * 6);
    assert.deepEqual(differences, [], 'spec examples whose streamed rendering differs from the whole one');
  });
});
