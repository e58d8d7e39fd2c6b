// Conversations kept on disk across window reloads.

import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newConversation, reviveConversation, titleFor } from '../../../src/extension/conversation';
import { ConversationStore } from '../../../src/extension/history';
import { viewImage } from './harness';

describe('chat history on disk', () => {
  let dir: string;
  const warnings: string[] = [];
  const log = { warn: (m: string) => void warnings.push(m) };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vision-chat-history-'));
    warnings.length = 0;
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  function sample(title: string, updatedAt: number) {
    const c = newConversation(updatedAt);
    c.title = title;
    c.updatedAt = updatedAt;
    c.messages.push({ id: 'u', role: 'user', text: title, images: [viewImage()] }, { id: 'a', role: 'assistant', text: 'answer', status: 'done' });
    return c;
  }

  it('restores a saved conversation, images included, in a new store (a window reload)', async () => {
    const conversation = sample('Refactor this', 1000);
    await new ConversationStore(dir, log).save(conversation, true);

    const reloaded = new ConversationStore(dir, log);
    const restored = await reloaded.load(conversation.id);
    assert.deepEqual(restored, conversation);
    assert.deepEqual(await reloaded.list(), [{ id: conversation.id, title: 'Refactor this', updatedAt: 1000, messageCount: 2 }]);
  });

  it('lists newest first and deletes', async () => {
    const store = new ConversationStore(dir, log);
    const older = sample('older', 1000);
    const newer = sample('newer', 2000);
    await store.save(older);
    await store.save(newer);
    await store.flush();
    assert.deepEqual((await store.list()).map((e) => e.title), ['newer', 'older']);
    await store.delete(newer.id);
    assert.deepEqual((await store.list()).map((e) => e.title), ['older']);
    assert.equal(await new ConversationStore(dir, log).load(newer.id), undefined);
  });

  it('debounces saves while an answer streams and writes the latest state once', async () => {
    const store = new ConversationStore(dir, log, 40);
    const conversation = sample('streaming', 1000);
    for (let i = 0; i < 20; i++) {
      conversation.messages[1] = { ...conversation.messages[1], text: `answer ${i}` };
      void store.save(conversation);
    }
    assert.deepEqual(await fs.readdir(dir).catch(() => []), [], 'nothing written yet');
    await new Promise((r) => setTimeout(r, 100));
    await store.flush();
    const onDisk = await new ConversationStore(dir, log).load(conversation.id);
    assert.equal(onDisk?.messages[1].text, 'answer 19');
  });

  it('does not keep empty chats', async () => {
    const store = new ConversationStore(dir, log);
    await store.save(newConversation(), true);
    assert.deepEqual(await store.list(), []);
  });

  it('starts over from an unreadable index, with a warning, instead of failing', async () => {
    await fs.writeFile(path.join(dir, 'index.json'), '{not json');
    const store = new ConversationStore(dir, log);
    assert.deepEqual(await store.list(), []);
    assert.equal(warnings.length, 1);
  });

  it('shows an answer that was streaming when the window closed as stopped', () => {
    const revived = reviveConversation({
      id: 'c1',
      title: 't',
      createdAt: 1,
      updatedAt: 2,
      messages: [{ id: 'a', role: 'assistant', text: 'half', status: 'streaming', startedAt: 5 }, { bogus: true }],
    });
    assert.equal(revived?.messages.length, 1);
    assert.equal(revived?.messages[0].status, 'stopped');
  });

  it('titles a chat from the first line of its first prompt', () => {
    assert.equal(titleFor('\n  Why is   this slow?\nmore'), 'Why is this slow?');
    assert.equal(titleFor('x'.repeat(100)).length, 60);
    assert.equal(titleFor('', [{ name: 'shot.png' }]), 'Image: shot.png');
  });
});
