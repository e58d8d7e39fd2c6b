// Export Chat as Markdown.

import * as assert from 'node:assert/strict';
import { marked, type Token } from 'marked';
import { newConversation } from '../../../src/extension/conversation';
import { renderChatMarkdown, safeFileName } from '../../../src/extension/exportMarkdown';
import { viewImage } from './harness';

describe('exporting a chat as Markdown', () => {
  const image = viewImage(32, 16, 'screen shot.png');
  const conversation = newConversation();
  conversation.title = 'Why is the build slow?';
  conversation.messages.push(
    { id: 'u1', role: 'user', text: 'Look at this', images: [image] },
    {
      id: 'a1',
      role: 'assistant',
      text: 'It is **webpack**.\n\n```ts\nconst a = 1;\n```',
      modelId: 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct',
      modelName: 'Llama 3.2 11B Vision Instruct',
      status: 'done',
      stats: { promptTokens: 120, completionTokens: 30, costUsd: 0.000012, firstTokenMs: 230, totalMs: 2100 },
    },
    { id: 'u2', role: 'user', text: 'More?' },
    {
      id: 'a2',
      role: 'assistant',
      text: '',
      modelId: 'segmind:llama-v3-8b-instruct',
      modelName: 'Llama 3 8B Instruct',
      status: 'error',
      error: { kind: 'outOfCredits', message: 'Segmind says the account is out of credits.', actions: ['openBilling'] },
    },
  );

  const exported = renderChatMarkdown(conversation, 'why-build', { exportedAt: new Date('2025-03-04T10:00:00Z') });

  it('writes images as files beside the document and references them, never inline', () => {
    assert.equal(exported.images.length, 1);
    assert.equal(exported.images[0].fileName, 'why-build-image-1.png');
    assert.deepEqual(exported.images[0].bytes, Buffer.from(image.dataUrl.split(',')[1], 'base64'));
    assert.match(exported.markdown, /!\[screen shot\.png\]\(why-build-image-1\.png\)/);
    assert.ok(!exported.markdown.includes('data:image'), 'no data URL in the document');
  });

  it('names the model of each answer and keeps its text and stats', () => {
    assert.match(exported.markdown, /^# Why is the build slow\?/);
    assert.match(exported.markdown, /## You\n\nLook at this/);
    assert.match(exported.markdown, /## Llama 3\.2 11B Vision Instruct \(DeepInfra\)\n\nIt is \*\*webpack\*\*\./);
    assert.match(exported.markdown, /```ts\nconst a = 1;\n```/);
    assert.match(exported.markdown, /<sub>120 → 30 tokens · \$0\.000012 · first token 230 ms · total 2\.1 s<\/sub>/);
  });

  it('keeps errors as errors', () => {
    assert.match(exported.markdown, /## Llama 3 8B Instruct \(Segmind\)\n\n> \*\*Error:\*\* Segmind says the account is out of credits\./);
  });

  it('makes a safe file name from a title', () => {
    assert.equal(safeFileName('Why is the build slow?'), 'why-is-the-build-slow');
    assert.equal(safeFileName('../../etc/passwd'), 'etcpasswd');
  });

  it('never lets a name, title, note or error message add Markdown to the document (issue 12)', () => {
    const hostile = newConversation();
    hostile.title = 'Plan\n\n# Injected title\n[run](command:workbench.action.openSettings)';
    hostile.messages.push(
      { id: 'u1', role: 'user', text: 'See', images: [viewImage(8, 8, 'a.png](x.png)\n\n# Injected by a name\n\n[click](command:evil)\r\n![b')] },
      {
        id: 'a1',
        role: 'assistant',
        text: 'Fine.',
        modelId: 'openaiCompatible:x',
        modelName: 'Model\n## Injected speaker <img src=x onerror=alert(1)>',
        note: 'A note\n\n# Injected note',
        status: 'error',
        error: { kind: 'network', message: 'Broke\u2028\n- [list](command:evil)\n# Injected error', actions: [] },
      },
    );
    const out = renderChatMarkdown(hostile, 'plan', { exportedAt: new Date('2025-03-04T10:00:00Z') });
    const tokens = walk(marked.lexer(out.markdown));
    const headings = tokens.filter((t) => t.type === 'heading').map((t) => `${'#'.repeat((t as { depth: number }).depth)} ${(t as { text: string }).text}`);
    assert.equal(headings.length, 3, `one title and two speakers, nothing injected: ${JSON.stringify(headings)}`);
    assert.match(headings[0], /^# Plan .*Injected title/);
    assert.equal(tokens.filter((t) => t.type === 'link').length, 0, 'no link in the document');
    assert.equal(tokens.filter((t) => t.type === 'list').length, 0, 'no list from the error message');
    assert.equal(tokens.filter((t) => t.type === 'html').length, 0, 'no raw HTML from the model name');
    const images = tokens.filter((t) => t.type === 'image') as { href: string; text: string }[];
    assert.equal(images.length, 1);
    assert.equal(images[0].href, 'plan-image-1.png');
    assert.match(images[0].text, /^a\.png.*x\.png.*Injected by a name.*click.*command:evil.*!.*b$/, 'the name is kept, on one line');
  });

  it('picks free names for the images instead of overwriting files beside the document (issue 12)', () => {
    const two = newConversation();
    two.messages.push({ id: 'u1', role: 'user', text: 'Two', images: [viewImage(8, 8, 'one.png'), viewImage(9, 9, 'two.png')] });
    const taken = new Set(['notes-image-1.png', 'notes-image-3.png', 'notes.md']);
    const out = renderChatMarkdown(two, 'notes', { isTaken: (name) => taken.has(name) });
    assert.deepEqual(
      out.images.map((i) => i.fileName),
      ['notes-image-2.png', 'notes-image-4.png'],
    );
    assert.match(out.markdown, /!\[one\.png\]\(notes-image-2\.png\)/);
    assert.match(out.markdown, /!\[two\.png\]\(notes-image-4\.png\)/);
  });
});

/** Every token of a marked token tree, depth first. */
function walk(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    out.push(token);
    const children = (token as { tokens?: Token[] }).tokens;
    if (children) out.push(...walk(children));
    const items = (token as { items?: Token[] }).items;
    if (items) out.push(...walk(items));
  }
  return out;
}
