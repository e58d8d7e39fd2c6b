// Conversations kept on disk across window reloads.

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fsModule from 'node:fs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newConversation, reviveConversation, titleFor } from '../../../src/extension/conversation';
import { ConversationStore } from '../../../src/extension/history';
import type { ViewImage } from '../../../src/protocol';
import { viewImage } from './harness';

/** Polls an async condition until it holds (5 s at most). */
async function waitForAsync(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}

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

  it('writes a streaming answer once per pause, not once per delta, and without being asked to flush', async () => {
    // Count the conversation's own file writes (temporary file, then rename) through node:fs itself.
    const writes: string[] = [];
    const realWriteFile = fsModule.promises.writeFile;
    fsModule.promises.writeFile = ((file: Parameters<typeof realWriteFile>[0], ...rest: unknown[]) => {
      writes.push(path.basename(String(file)).replace(/\.json\..*\.tmp$/, '.json'));
      return (realWriteFile as (...args: unknown[]) => Promise<void>)(file, ...rest);
    }) as typeof realWriteFile;
    try {
      const store = new ConversationStore(dir, log, { debounceMs: 40 });
      const conversation = sample('streaming', 1000);
      const file = `${conversation.id}.json`;
      const onDisk = async () => (await new ConversationStore(dir, log).load(conversation.id))?.messages[1].text;
      const stream = async (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          conversation.messages[1] = { ...conversation.messages[1], text: `answer ${i}` };
          await store.save(conversation);
        }
      };

      await stream(0, 20);
      assert.deepEqual(writes, [], 'nothing written while the deltas keep coming');
      await waitForAsync(async () => (await onDisk()) === 'answer 19');
      assert.equal(writes.filter((w) => w === file).length, 1, `twenty saves in a burst, one write: ${writes.join(', ')}`);

      await stream(20, 30);
      await waitForAsync(async () => (await onDisk()) === 'answer 29');
      assert.equal(writes.filter((w) => w === file).length, 2, 'the next burst, one more write');
    } finally {
      fsModule.promises.writeFile = realWriteFile;
    }
  });

  it('does not keep empty chats', async () => {
    const store = new ConversationStore(dir, log);
    await store.save(newConversation(), true);
    assert.deepEqual(await store.list(), []);
  });

  it('skips an unreadable chat file, with a warning, and lists the others', async () => {
    await fs.writeFile(path.join(dir, 'broken.json'), '{not json');
    const store = new ConversationStore(dir, log);
    await store.save(sample('readable', 1000), true);
    assert.deepEqual((await store.list()).map((e) => e.title), ['readable']);
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

describe('chat history across windows, deletes, images and limits (issue 12)', () => {
  let dir: string;
  const warnings: string[] = [];
  const log = { warn: (m: string) => void warnings.push(m) };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vision-chat-history-'));
    warnings.length = 0;
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  /** An image of `kb` KB of incompressible bytes, different per seed (history never decodes images). */
  function photo(kb: number, seed: string): ViewImage {
    const bytes = createHash('sha512').update(seed).digest();
    const payload = Buffer.alloc(kb * 1024);
    for (let i = 0; i < payload.length; i += bytes.length) bytes.copy(payload, i);
    payload.writeUInt32BE(kb, 0);
    return { id: `img-${seed}`, name: `${seed}.png`, mime: 'image/png', dataUrl: `data:image/png;base64,${payload.toString('base64')}`, width: 800, height: 600, bytes: payload.length };
  }

  function chat(title: string, updatedAt: number, images: ViewImage[] = []) {
    const c = newConversation(updatedAt);
    c.title = title;
    c.updatedAt = updatedAt;
    c.messages.push({ id: `${title}-u`, role: 'user', text: title, ...(images.length ? { images } : {}) }, { id: `${title}-a`, role: 'assistant', text: 'answer', status: 'done' });
    return c;
  }

  async function chatFiles(): Promise<string[]> {
    return (await fs.readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  }

  it('two windows saving chats into one folder both keep them in the list (no cached index overwrites another)', async () => {
    const windowA = new ConversationStore(dir, log);
    const windowB = new ConversationStore(dir, log);
    assert.deepEqual(await windowA.list(), []);
    assert.deepEqual(await windowB.list(), []);
    const fromA = chat('from window A', 1000);
    const fromB = chat('from window B', 2000);
    await windowA.save(fromA, true);
    await windowB.save(fromB, true);
    await windowA.save(chat('A again', 3000), true);

    for (const store of [windowA, windowB, new ConversationStore(dir, log)]) {
      assert.deepEqual((await store.list()).map((e) => e.title), ['A again', 'from window B', 'from window A']);
    }
  });

  it('lists a chat file that an old index lost, and prunes stray temporary files', async () => {
    const lost = chat('lost by an old index', 1000);
    await new ConversationStore(dir, log).save(lost, true);
    await fs.writeFile(path.join(dir, 'index.json'), '[]');
    const stale = path.join(dir, `${lost.id}.json.123.tmp`);
    await fs.writeFile(stale, '{"half":');
    const old = new Date(Date.now() - 3_600_000);
    await fs.utimes(stale, old, old);

    const store = new ConversationStore(dir, log);
    assert.deepEqual((await store.list()).map((e) => e.title), ['lost by an old index']);
    await store.save(chat('another', 2000), true);
    assert.ok(!(await fs.readdir(dir)).some((f) => f.endsWith('.tmp')), 'the crash leftover is gone');
  });

  it('a chat deleted while an answer is still being saved stays deleted, in this window and another', async () => {
    const store = new ConversationStore(dir, log, { debounceMs: 20 });
    const open = chat('open while streaming', 1000);
    await store.save(open, true);
    const otherWindow = new ConversationStore(dir, log);
    assert.equal((await otherWindow.list()).length, 1);

    await store.delete(open.id);
    open.messages[1] = { ...open.messages[1], text: 'more streamed text' };
    await store.save(open); // the streaming answer's debounced save
    await store.save(open, true); // and its end
    await otherWindow.save(open, true); // the same chat open in another window

    assert.deepEqual(await store.list(), []);
    assert.deepEqual(await new ConversationStore(dir, log).list(), []);
    assert.equal(await new ConversationStore(dir, log).load(open.id), undefined);
    assert.deepEqual(await chatFiles(), []);
  });

  it('stores images apart from the chat text, so an answer does not rewrite them', async () => {
    const store = new ConversationStore(dir, log);
    const image = photo(512, 'diagram');
    const conversation = chat('with a photo', 1000, [image]);
    await store.save(conversation, true);
    const [file] = await chatFiles();
    const firstSize = (await fs.stat(path.join(dir, file))).size;
    assert.ok(firstSize < 4096, `the chat file holds text only (${firstSize} bytes)`);
    const images = await fs.readdir(path.join(dir, 'images'));
    assert.equal(images.length, 1);
    const imageFile = path.join(dir, 'images', images[0]);
    const imageMtime = (await fs.stat(imageFile)).mtimeMs;

    conversation.messages.push({ id: 'u2', role: 'user', text: 'and now?' }, { id: 'a2', role: 'assistant', text: 'another answer', status: 'done' });
    conversation.updatedAt = 2000;
    await new Promise((r) => setTimeout(r, 20));
    await store.save(conversation, true);
    assert.equal((await fs.stat(imageFile)).mtimeMs, imageMtime, 'the image file was not rewritten');
    assert.ok((await fs.stat(path.join(dir, file))).size < 4096);

    const restored = await new ConversationStore(dir, log).load(conversation.id);
    assert.deepEqual(restored, conversation, 'the image comes back exactly');
  });

  it('migrates a chat saved with its images inline, keeping every image', async () => {
    const legacy = chat('saved by 0.x', 1000, [photo(256, 'one'), photo(256, 'two')]);
    await fs.writeFile(path.join(dir, `${legacy.id}.json`), JSON.stringify(legacy));
    await fs.writeFile(path.join(dir, 'index.json'), JSON.stringify([{ id: legacy.id, title: legacy.title, updatedAt: 1000, messageCount: 2 }]));

    const store = new ConversationStore(dir, log);
    assert.deepEqual((await store.list()).map((e) => e.title), ['saved by 0.x']);
    await store.flush();
    const size = (await fs.stat(path.join(dir, `${legacy.id}.json`))).size;
    assert.ok(size < 4096, `the chat file no longer holds the images (${size} bytes)`);
    assert.equal((await fs.readdir(path.join(dir, 'images'))).length, 2);
    assert.deepEqual(await new ConversationStore(dir, log).load(legacy.id), legacy);
  });

  it('keeps history under its total byte limit by removing the oldest chats, never the one just saved, and says so', async () => {
    const notices: string[] = [];
    const store = new ConversationStore(dir, log, { maxTotalBytes: 1024 * 1024, onPruned: (m) => notices.push(m) });
    await store.save(chat('oldest', 1000, [photo(400, 'a')]), true);
    await store.save(chat('middle', 2000, [photo(400, 'b')]), true);
    assert.deepEqual(notices, []);
    const newest = chat('newest', 3000, [photo(400, 'c')]);
    await store.save(newest, true);

    assert.deepEqual((await store.list()).map((e) => e.title), ['newest', 'middle']);
    assert.equal((await fs.readdir(path.join(dir, 'images'))).length, 2, "the removed chat's image is gone too");
    assert.equal(notices.length, 1);
    assert.match(notices[0], /history .*1 MB limit.*oldest chat/i);
    assert.deepEqual(await store.load(newest.id), newest);
  });

  it('keeps an image two chats share until neither needs it', async () => {
    const store = new ConversationStore(dir, log);
    const shared = photo(64, 'shared');
    const first = chat('first', 1000, [shared]);
    const second = chat('second', 2000, [shared]);
    await store.save(first, true);
    await store.save(second, true);
    assert.equal((await fs.readdir(path.join(dir, 'images'))).length, 1, 'stored once');
    await store.delete(first.id);
    assert.deepEqual((await store.load(second.id))?.messages[0].images, [shared]);
  });
});

describe('a saved chat read back field by field (issue 12)', () => {
  it('drops or repairs each malformed field, never the whole chat', () => {
    const good = viewImage();
    const revived = reviveConversation({
      id: 'c1',
      title: 42,
      createdAt: 'yesterday',
      updatedAt: 5,
      messages: [
        { id: 'u1', role: 'user', text: 'first prompt', images: 'not a list' },
        { id: 'a1', role: 'assistant', text: 'first answer', status: 'done', stats: { totalMs: 'slow', completionTokens: 12 }, modelId: 7 },
        { id: 'u2', role: 'user', text: 'second prompt', images: [good, { id: 'x', name: 'evil', mime: 'image/png', dataUrl: 'javascript:alert(1)', width: 1, height: 1, bytes: 1 }, null] },
        { id: 'a2', role: 'assistant', text: 'second answer', status: 'exploded', error: { kind: 'boom', message: 3, actions: ['retry', 'rm -rf'] } },
        { id: 'a2', role: 'assistant', text: { rich: true }, status: 'done', note: ['x'] },
        { id: 5, role: 'system', text: 'dropped: not ours' },
      ],
    });
    assert.ok(revived);
    assert.equal(revived.title, 'New chat');
    assert.equal(typeof revived.createdAt, 'number');
    const [u1, a1, u2, a2, a3] = revived.messages;
    assert.equal(revived.messages.length, 5);
    assert.deepEqual(u1, { id: 'u1', role: 'user', text: 'first prompt' });
    assert.deepEqual(a1.stats, { completionTokens: 12 });
    assert.equal(a1.modelId, undefined);
    assert.equal(a1.text, 'first answer');
    assert.deepEqual(u2.images, [good]);
    assert.equal(a2.status, 'error');
    assert.equal(a2.error?.kind, 'protocol');
    assert.equal(typeof a2.error?.message, 'string');
    assert.deepEqual(a2.error?.actions, ['retry']);
    assert.notEqual(a3.id, 'a2', 'a repeated id is replaced, so updates reach the right message');
    assert.equal(a3.text, '');
    assert.equal(a3.note, undefined);
  });
});
