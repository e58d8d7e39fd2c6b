// The chat view's messages as the controller routes them (`MessageRouter`, the real one), with a real
// session against the real simulator: a prompt sent right after choosing a model goes to that model,
// Stop and New Chat act while an answer streams, a dialog left open holds nothing up, and one
// failing message does not jam the ones after it. Only what VS Code itself would do (save a setting,
// open a dialog) is played by the test.

import * as assert from 'node:assert/strict';
import { orderingOf, type WebviewMessage } from '../../../src/protocol';
import { SEGMIND_TEXT_MODEL, TEXT_MODEL, newSession, routed, useSimulator, waitFor } from './harness';

describe('chat view messages, routed in order (against the simulator)', () => {
  const sim = useSimulator();

  it('a prompt sent right after choosing a model goes to the chosen model', async () => {
    const { host, session } = newSession(sim);
    assert.equal(host.settingsValue.modelId, TEXT_MODEL);
    const { router, failures } = routed(host, session);

    router.receive({ type: 'selectModel', modelId: SEGMIND_TEXT_MODEL });
    router.receive({ type: 'send', text: 'Which model are you?', images: [] });
    await router.whenDrained();
    await waitFor(() => host.replay().at(-1)?.status === 'done');

    assert.deepEqual(
      sim.requests.map((r) => r.provider),
      ['segmind'],
      'the one request went to Segmind, the model chosen just before sending',
    );
    const answer = host.replay().at(-1)!;
    assert.equal(answer.modelId, SEGMIND_TEXT_MODEL);
    assert.equal(answer.status, 'done');
    assert.deepEqual(failures, []);
  });

  it('Stop acts at once while an answer streams, not after it', async () => {
    sim.configure({ answerTokens: 400, tokensPerSecond: 40 });
    const { host, session } = newSession(sim);
    const { router } = routed(host, session);

    router.receive({ type: 'send', text: 'Tell me a long story.', images: [] });
    await waitFor(() => host.postsOf('delta').length > 0);
    router.receive({ type: 'stop' });

    assert.equal(session.busy, false, 'stopped as the message arrived');
    assert.equal(host.replay().at(-1)!.status, 'stopped');
    await waitFor(() => sim.requests.some((r) => r.closedByClient));
  });

  it('New Chat during a streaming answer does not wait for the answer to end', async () => {
    sim.configure({ answerTokens: 2000, tokensPerSecond: 40 });
    const { host, session } = newSession(sim);
    const { router } = routed(host, session);

    router.receive({ type: 'send', text: 'Tell me a very long story.', images: [] });
    router.receive({ type: 'newChat' });
    await router.whenDrained();

    // At 40 tokens a second the answer would take 50 s (past the test's timeout): the queue moved
    // on once the answer was under way, and New Chat stopped it.
    assert.equal(session.snapshot().messages.length, 0, 'the new chat is open');
    assert.equal(session.busy, false);
    assert.deepEqual(host.postsOf('append').map((a) => a.message.role), ['user', 'assistant'], 'the prompt was taken before the switch');
    const answerId = host.postsOf('append')[1].message.id;
    assert.equal(host.postsOf('update').filter((u) => u.id === answerId).at(-1)?.patch.status, 'stopped');
  });

  it('Regenerate after choosing a model asks the chosen model', async () => {
    const { host, session } = newSession(sim);
    const { router } = routed(host, session);
    router.receive({ type: 'send', text: 'Hello?', images: [] });
    await router.whenDrained();
    await session.whenIdle();

    router.receive({ type: 'selectModel', modelId: SEGMIND_TEXT_MODEL });
    router.receive({ type: 'regenerate' });
    await router.whenDrained();
    await session.whenIdle();

    assert.deepEqual(sim.requests.map((r) => r.provider), ['deepinfra', 'segmind']);
    assert.equal(host.replay().filter((m) => m.role === 'assistant').length, 1, 'the new answer replaced the old one');
    assert.equal(host.replay().at(-1)?.modelId, SEGMIND_TEXT_MODEL);
  });

  it('a dialog left open (the image file dialog) holds up no prompt', async () => {
    const { host, session } = newSession(sim);
    const { router } = routed(host, session, { pickImages: () => new Promise<void>(() => undefined) });

    router.receive({ type: 'pickImage' });
    router.receive({ type: 'send', text: 'Still answering?', images: [] });
    await router.whenDrained();
    await session.whenIdle();
    assert.equal(host.replay().at(-1)?.status, 'done');
  });

  it('a message that fails is reported and the next ones still run', async () => {
    const { host, session } = newSession(sim);
    const { router, failures } = routed(host, session, {
      newChat: async () => {
        throw new Error('the disk is full');
      },
    });

    router.receive({ type: 'selectModel', modelId: SEGMIND_TEXT_MODEL });
    router.receive({ type: 'newChat' });
    router.receive({ type: 'send', text: 'Still there?', images: [] });
    await router.whenDrained();
    await session.whenIdle();

    assert.deepEqual(failures, ['handling the chat view\'s “newChat”: the disk is full']);
    assert.equal(host.replay().at(-1)?.status, 'done', 'the prompt after it was answered');
    assert.equal(host.replay().at(-1)?.modelId, SEGMIND_TEXT_MODEL);
  });

  it('hands each message that is not about the session to the host, once', async () => {
    const { host, session } = newSession(sim);
    const { router, asked } = routed(host, session);
    const messages: WebviewMessage[] = [
      { type: 'pickModel' },
      { type: 'pickImage' },
      { type: 'errorAction', action: 'showLog', messageId: 'm1' },
      { type: 'code', action: 'copy', code: 'x' },
      { type: 'code', action: 'apply', code: 'x', target: 'src/app.ts' },
      { type: 'openLink', href: 'https://example.com' },
    ];
    for (const m of messages) router.receive(m);
    await router.whenDrained();
    await waitFor(() => asked.length === messages.length);
    assert.deepEqual(asked, ['pickModel', 'pickImages', 'errorAction showLog', 'code copy', 'code apply src/app.ts', 'openLink https://example.com']);
  });

  it('orders what changes the chat or its model, and nothing else', () => {
    const ordered: WebviewMessage[] = [
      { type: 'send', text: 'hi', images: [] },
      { type: 'selectModel', modelId: TEXT_MODEL },
      { type: 'regenerate' },
      { type: 'editLast' },
      { type: 'newChat' },
      { type: 'errorAction', action: 'retry', messageId: 'm1' },
      { type: 'errorAction', action: 'setApiKey', messageId: 'm1' },
    ];
    const atOnce: WebviewMessage[] = [
      { type: 'stop' },
      { type: 'ready' },
      { type: 'code', action: 'copy', code: 'x' },
      { type: 'openLink', href: 'https://example.com' },
      { type: 'notify', notice: 'imageNotPrepared' },
      { type: 'pickImage' },
      { type: 'pickModel' },
      { type: 'errorAction', action: 'showLog', messageId: 'm1' },
    ];
    for (const m of ordered) assert.equal(orderingOf(m), 'inTurn', `${m.type} waits its turn`);
    for (const m of atOnce) assert.equal(orderingOf(m), 'atOnce', `${m.type} is handled at once`);
  });
});
