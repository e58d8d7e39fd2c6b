// The spend limit's question in the chat session: asked before anything is sent, and a "no" loses
// nothing of the user's (the prompt goes back to the box; Regenerate keeps the answer it would replace).

import * as assert from 'node:assert/strict';
import type { ModelInfo } from '../../../src/core/types';
import { newSession, TEXT_MODEL, useSimulator, VISION_MODEL, viewImage } from './harness';

describe('chat session and the spend limit (against the simulator)', () => {
  const sim = useSimulator();

  it('asks with the model and the request\'s estimated input tokens, and sends on yes', async () => {
    const { host, session } = newSession(sim);
    const asked: { model: ModelInfo; inputTokens: number }[] = [];
    host.confirmSpend = async (model, estimateInputTokens) => (asked.push({ model, inputTokens: estimateInputTokens() }), true);

    await session.send('A short question');
    await session.send('A much longer follow-up question, with more words in it than the first one had');

    assert.deepEqual(asked.map((a) => a.model.id), [TEXT_MODEL, TEXT_MODEL]);
    assert.ok(asked[0].inputTokens > 0);
    assert.ok(asked[1].inputTokens > asked[0].inputTokens, 'the follow-up carries the chat so far');
    assert.equal(sim.requests.length, 2);
    assert.equal(host.replay().at(-1)?.status, 'done');
  });

  it('on no, sends nothing and gives the prompt back with its images', async () => {
    const { host, session } = newSession(sim);
    host.settingsValue = { ...host.settingsValue, modelId: VISION_MODEL };
    host.confirmSpend = async () => false;

    await session.send('Do not lose me', [viewImage()]);

    assert.equal(sim.requests.length, 0);
    assert.equal(host.replay().length, 0, 'nothing was added to the chat');
    const draft = host.postsOf('setDraft').at(-1);
    assert.equal(draft?.text, 'Do not lose me');
    assert.equal(draft?.images?.length, 1);
    assert.equal(session.busy, false);
  });

  it('on no to Regenerate, keeps the answer it would have replaced', async () => {
    const { host, session } = newSession(sim);
    await session.send('First');
    const before = host.replay();
    host.confirmSpend = async () => false;

    await session.regenerate();

    assert.equal(sim.requests.length, 1);
    assert.deepEqual(host.replay(), before);
    assert.equal(session.busy, false);
  });
});
