// Export Chat as Markdown.

import * as assert from 'node:assert/strict';
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

  const exported = renderChatMarkdown(conversation, 'why-build', new Date('2025-03-04T10:00:00Z'));

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
});
