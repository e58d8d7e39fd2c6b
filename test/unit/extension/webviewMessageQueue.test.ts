// The order in which the chat view's messages are acted on, with a real session against the real
// simulator: a prompt sent right after choosing a model goes to that model, Stop and New Chat act
// while an answer streams, and one failing message does not jam the ones after it.

import * as assert from 'node:assert/strict';
import { closeDispatchers } from '../../../src/core/providers';
import type { WebviewMessage } from '../../../src/protocol';
import { newConversation } from '../../../src/extension/conversation';
import type { ChatSession } from '../../../src/extension/session';
import { handledAtOnce, untilUnderWay, WebviewMessageQueue } from '../../../src/extension/webviewMessageQueue';
import { startSimulator, type Simulator } from '../../../src/simulator/server';
import { SEGMIND_TEXT_MODEL, TEXT_MODEL, type TestHost, newSession, waitFor } from './harness';

/** How long saving a model choice takes here: VS Code's configuration write is just as asynchronous. */
const SETTINGS_WRITE_MS = 40;

/**
 * The chat controller's handling of the messages that touch the session, without VS Code. The model
 * choice only shows once its (slow) write completes: the ordering alone must make the prompt use it.
 */
function chatQueue(host: TestHost, session: ChatSession) {
  const failures: string[] = [];
  const handle = async (message: WebviewMessage): Promise<void> => {
    switch (message.type) {
      case 'selectModel':
        await new Promise((resolve) => setTimeout(resolve, SETTINGS_WRITE_MS));
        host.settingsValue = { ...host.settingsValue, modelId: message.modelId };
        return;
      case 'send':
        await untilUnderWay(session, session.send(message.text, message.images), (e) => failures.push(String(e)));
        return;
      case 'stop':
        session.stop();
        return;
      case 'newChat':
        session.load(newConversation());
        return;
      case 'editLast':
        throw new Error('the prompt box is gone');
    }
  };
  const queue = new WebviewMessageQueue(handle, (message, e) => failures.push(`${message.type}: ${e instanceof Error ? e.message : String(e)}`));
  return { queue, failures };
}

describe('chat view messages, in order (against the simulator)', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator();
  });
  after(async () => {
    await sim.close();
    await closeDispatchers();
  });
  beforeEach(() => sim.reset());

  it('a prompt sent right after choosing a model goes to the chosen model', async () => {
    const { host, session } = newSession(sim);
    assert.equal(host.settingsValue.modelId, TEXT_MODEL);
    const { queue, failures } = chatQueue(host, session);

    queue.push({ type: 'selectModel', modelId: SEGMIND_TEXT_MODEL });
    queue.push({ type: 'send', text: 'Which model are you?', images: [] });
    await queue.whenDrained();
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
    const { queue } = chatQueue(host, session);

    queue.push({ type: 'send', text: 'Tell me a long story.', images: [] });
    await waitFor(() => host.postsOf('delta').length > 0);
    queue.push({ type: 'stop' });

    assert.equal(session.busy, false, 'stopped as the message arrived');
    assert.equal(host.replay().at(-1)!.status, 'stopped');
    await waitFor(() => sim.requests.some((r) => r.closedByClient));
  });

  it('New Chat during a streaming answer does not wait for the answer to end', async () => {
    sim.configure({ answerTokens: 2000, tokensPerSecond: 40 });
    const { host, session } = newSession(sim);
    const { queue } = chatQueue(host, session);

    queue.push({ type: 'send', text: 'Tell me a very long story.', images: [] });
    queue.push({ type: 'newChat' });
    await queue.whenDrained();

    // At 40 tokens a second the answer would take 50 s (past the test's timeout): the queue moved
    // on once the answer was under way, and New Chat stopped it.
    assert.equal(session.snapshot().messages.length, 0, 'the new chat is open');
    assert.equal(session.busy, false);
    assert.deepEqual(host.postsOf('append').map((a) => a.message.role), ['user', 'assistant'], 'the prompt was taken before the switch');
    const answerId = host.postsOf('append')[1].message.id;
    assert.equal(host.postsOf('update').filter((u) => u.id === answerId).at(-1)?.patch.status, 'stopped');
  });

  it('a message that fails is reported and the next ones still run', async () => {
    const { host, session } = newSession(sim);
    const { queue, failures } = chatQueue(host, session);

    queue.push({ type: 'selectModel', modelId: SEGMIND_TEXT_MODEL });
    queue.push({ type: 'editLast' });
    queue.push({ type: 'send', text: 'Still there?', images: [] });
    await queue.whenDrained();
    await session.whenIdle();

    assert.deepEqual(failures, ['editLast: the prompt box is gone']);
    assert.equal(host.replay().at(-1)?.status, 'done', 'the prompt after it was answered');
    assert.equal(host.replay().at(-1)?.modelId, SEGMIND_TEXT_MODEL);
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
      { type: 'notify', level: 'info', message: 'x' },
      { type: 'pickImage' },
      { type: 'pickModel' },
      { type: 'errorAction', action: 'showLog', messageId: 'm1' },
    ];
    for (const m of ordered) assert.equal(handledAtOnce(m), false, `${m.type} waits its turn`);
    for (const m of atOnce) assert.equal(handledAtOnce(m), true, `${m.type} is handled at once`);
  });
});
