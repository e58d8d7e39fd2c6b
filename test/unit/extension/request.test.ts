// What a model is sent, built from the conversation on screen.

import * as assert from 'node:assert/strict';
import { buildCatalog } from '../../../src/core/catalog';
import { isProviderError } from '../../../src/core/errors';
import type { ViewMessage } from '../../../src/protocol';
import { buildChatRequest } from '../../../src/extension/request';
import { TEXT_MODEL, VISION_MODEL, viewImage } from './harness';

const catalog = buildCatalog();
const text = catalog.get(TEXT_MODEL)!;
const vision = catalog.get(VISION_MODEL)!;
const settings = { systemPrompt: 'Be brief.', temperature: 0.3, maxTokens: 100_000 };

let n = 0;
const user = (t: string, images?: ViewMessage['images']): ViewMessage => ({ id: `u${n++}`, role: 'user', text: t, images });
const answer = (t: string, status: ViewMessage['status'] = 'done'): ViewMessage => ({ id: `a${n++}`, role: 'assistant', text: t, status });

describe('building the request', () => {
  it('sends the system prompt, settings, and the answered exchanges in order', () => {
    const request = buildChatRequest(text, [user('one'), answer('1'), user('two')], settings, catalog.visionModels());
    assert.deepEqual(request.messages.map((m) => [m.role, m.content]), [['user', 'one'], ['assistant', '1'], ['user', 'two']]);
    assert.equal(request.options?.systemPrompt, 'Be brief.');
    assert.equal(request.options?.temperature, 0.3);
    assert.equal(request.options?.maxTokens, text.maxOutputTokens, 'max tokens never exceeds what the model can give');
  });

  it('leaves out prompts whose answer failed, and failed answers', () => {
    const failed: ViewMessage = { ...answer(''), status: 'error', error: { kind: 'server', message: 'x', actions: [] } };
    const request = buildChatRequest(text, [user('lost'), failed, user('asked again')], settings, catalog.visionModels());
    assert.deepEqual(request.messages.map((m) => m.content), ['asked again']);
  });

  it('keeps a stopped answer as context', () => {
    const request = buildChatRequest(text, [user('a'), answer('partial', 'stopped'), user('b')], settings, catalog.visionModels());
    assert.deepEqual(request.messages.map((m) => m.content), ['a', 'partial', 'b']);
  });

  it('sends only the latest image to a one-image model and names the earlier one', () => {
    const history = [user('first', [viewImage(10, 10, 'old.png')]), answer('ok'), user('second', [viewImage(20, 20, 'new.png')])];
    const request = buildChatRequest(vision, history, settings, catalog.visionModels());
    assert.equal(request.messages[0].images, undefined);
    assert.match(request.messages[0].content, /image not included: old\.png/);
    assert.equal(request.messages[2].images?.length, 1);
    assert.equal(request.messages[2].images?.[0].name, 'new.png');
  });

  it('lets a follow-up question still see the last image', () => {
    const history = [user('what is it?', [viewImage()]), answer('a chart'), user('what colour is it?')];
    const request = buildChatRequest(vision, history, settings, catalog.visionModels());
    assert.equal(request.messages[0].images?.length, 1);
  });

  it('refuses the newest prompt\'s image for a model that cannot see', () => {
    assert.throws(
      () => buildChatRequest(text, [user('what?', [viewImage()])], settings, catalog.visionModels()),
      (e: unknown) => isProviderError(e) && e.kind === 'unsupported' && /cannot see images/.test(e.message),
    );
  });

  it('drops older images rather than failing after a switch to a text model', () => {
    const history = [user('look', [viewImage(10, 10, 'chart.png')]), answer('a chart'), user('now in words')];
    const request = buildChatRequest(text, history, settings, catalog.visionModels());
    assert.ok(request.messages.every((m) => !m.images?.length));
    assert.match(request.messages[0].content, /chart\.png/);
  });

  it('drops the oldest exchanges when the conversation outgrows the context window', () => {
    const big = 'word '.repeat(4000); // ~5.7k tokens by the estimate; Llama 3 8B has 8k
    const history = [user(big), answer(big), user(big), answer('short'), user('latest')];
    const request = buildChatRequest(text, history, { ...settings, maxTokens: 1024 }, catalog.visionModels());
    assert.equal(request.messages.at(-1)?.content, 'latest');
    assert.equal(request.messages[0].role, 'user', 'the kept part starts with a prompt');
    assert.ok(request.messages.length < history.length);
    const chars = request.messages.reduce((sum, m) => sum + m.content.length, 0);
    assert.ok(chars / 3.5 <= 8192 - 1024, 'what is sent fits the window');
  });
});
