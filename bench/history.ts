// History: what saving a chat costs once an answer has ended, in a chat of 40 photos (the case of
// issue 12: 76 MB rewritten after every answer while the images were inline). The store
// (src/extension/history.ts) keeps images apart, so an answer writes the chat's text only. Bytes
// written per answer (the chat file's size: it is the only file an answer writes) and the time of
// the save, median of ANSWERS saves.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kb, log, median, ms, quick, report, requireFiles, run } from './lib';

const PHOTOS = 40;
/** A phone photo after the chat view prepared it: about 1.4 MB of JPEG, 1.9 MB as base64. */
const PHOTO_BYTES = 1400 * 1024;
const ANSWERS = quick ? 5 : 20;

run(async () => {
  requireFiles('history', ['src/extension/history.ts']);
  const { newConversation } = await import('../src/extension/conversation');
  const { ConversationStore } = await import('../src/extension/history');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vision-chat-bench-history-'));
  try {
    const store = new ConversationStore(dir, { warn: (m) => log(`warn: ${m}`) });
    const chat = newConversation();
    for (let i = 0; i < PHOTOS; i++) {
      const bytes = randomBytes(PHOTO_BYTES);
      const dataUrl = `data:image/jpeg;base64,${bytes.toString('base64')}`;
      chat.messages.push({ id: `u${i}`, role: 'user', text: `What is in photo ${i}?`, images: [{ id: `i${i}`, name: `photo-${i}.jpg`, mime: 'image/jpeg', dataUrl, width: 1120, height: 840, bytes: bytes.length }] });
      chat.messages.push({ id: `a${i}`, role: 'assistant', text: 'A description of the photo. '.repeat(40), status: 'done' });
    }
    let started = performance.now();
    await store.save(chat, true);
    const firstSave = performance.now() - started;
    const file = path.join(dir, `${chat.id}.json`);

    const times: number[] = [];
    for (let k = 0; k < ANSWERS; k++) {
      chat.messages.push({ id: `q${k}`, role: 'user', text: 'One more question about them.' }, { id: `r${k}`, role: 'assistant', text: 'One more answer. '.repeat(60), status: 'done' });
      chat.updatedAt = Date.now();
      started = performance.now();
      await store.save(chat, true);
      times.push(performance.now() - started);
    }
    const written = (await fs.stat(file)).size;
    const images = (await fs.readdir(path.join(dir, 'images'))).length;
    log(`first save (writes the ${images} images) ${ms(firstSave)}; ${ANSWERS} answers saved`);
    report({ what: `history: bytes written per answer, chat of ${PHOTOS} photos`, value: kb(written), note: `the chat file only; its ${images} images (${kb(PHOTO_BYTES * PHOTOS)}) were written once, when first saved (${ms(firstSave)})` });
    report({ what: `history: save per answer, chat of ${PHOTOS} photos`, value: ms(median(times)), note: `median of ${ANSWERS}; includes the scan that keeps history within its limits` });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
