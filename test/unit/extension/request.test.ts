// What a model is sent, built from the conversation on screen.

import * as assert from 'node:assert/strict';
import { buildCatalog } from '../../../src/core/catalog';
import { isProviderError } from '../../../src/core/errors';
import { checkContext, modelFamily } from '../../../src/extension/tokens';
import type { ChatRequest } from '../../../src/core/types';
import type { ViewMessage } from '../../../src/protocol';
import { buildChatRequest } from '../../../src/extension/request';
import { TEXT_MODEL, VISION_MODEL, viewImage } from './harness';

const catalog = buildCatalog();
const text = catalog.get(TEXT_MODEL)!;
const vision = catalog.get(VISION_MODEL)!;
const settings = { systemPrompt: 'Be brief.', temperature: 0.3, maxTokens: 100_000 };

let n = 0;
const user = (t: string, images?: ViewMessage['images']): ViewMessage => ({ id: `u${n++}`, role: 'user', text: t, images });
/** The messages sent, long ones by their length, so that a failure stays readable. */
const contents = (request: ChatRequest) => request.messages.map((m) => (m.content.length > 100 ? `${m.content.length} characters` : m.content));
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
    const big = 'word '.repeat(4000).trim(); // ~4k tokens by the estimate; Llama 3 8B has 8k
    const history = [user(big), answer(big), user(big), answer('short'), user('latest')];
    const request = buildChatRequest(text, history, { ...settings, maxTokens: 1024 }, catalog.visionModels());
    assert.deepEqual(contents(request), [`${big.length} characters`, 'short', 'latest'], 'the oldest exchange is dropped, the kept part starts with a prompt');
    assert.ok(checkContext(request).fits, 'what is sent fits the window less the room for the answer');
  });

  it('keeps the whole conversation while it fits, counting tokens rather than characters', () => {
    const long = 'word '.repeat(3000); // 15k characters, ~3k tokens; both fit Llama 3 8B's 8k with 1k kept for the answer
    const history = [user(long), answer(long), user('latest')];
    const request = buildChatRequest(text, history, { ...settings, maxTokens: 1024 }, catalog.visionModels());
    assert.equal(request.messages.length, history.length);
    assert.ok(checkContext(request).fits);
  });

  it('counts what an image costs the model when deciding what fits', () => {
    // LLaVA 1.5 has a 4k window and an image costs it 576 tokens: an old exchange that would fit
    // beside the text alone has to go once the newest prompt carries an image.
    const llava = catalog.all.find((m) => modelFamily(m) === 'llava-1.5')!;
    const filler = 'word '.repeat(1700);
    const history = [user(filler), answer('ok'), user('what is this?', [viewImage(10, 10)])];
    const tight = { ...settings, maxTokens: 2048 };
    const withoutImage = buildChatRequest(llava, [...history.slice(0, 2), user('what is this?')], tight, catalog.visionModels());
    assert.equal(withoutImage.messages.length, 3);
    const request = buildChatRequest(llava, history, tight, catalog.visionModels());
    assert.deepEqual(contents(request), ['what is this?']);
    assert.equal(request.messages[0].images?.length, 1);
    assert.ok(checkContext(request).fits);
  });
});
