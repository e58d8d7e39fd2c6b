// 10. An image pasted into the prompt box, and one dropped on the view, are attached, shown and sent.
//
// Headless Chromium has no system clipboard or file manager to drag from, so the test hands the
// view the same paste and drop events a person's Ctrl+V or drag produces, carrying a real PNG.

import { assert, modelRequests, waitFor } from '../harness.mjs';
import { encodePng } from '../../../scripts/lib/png.mjs';

const PICTURE = encodePng(64, 48, (x, y) => [x * 4, y * 5, 128]).toString('base64');

export default {
  name: 'paste-image',
  title: 'paste and drop an image into the chat input and send it',
  async run(vs, sim) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    const chat = await vs.openChat();
    const thumbnails = chat.frame.locator('[aria-label="Attached images"] img');

    await chat.input().click();
    await chat.input().evaluate((input, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, PICTURE);
    await thumbnails.first().waitFor({ timeout: 10_000 });
    await chat.send('What is in this picture?');

    const sent = await waitFor(() => modelRequests(sim).at(-1), { timeout: 15_000, message: 'the request' });
    assert.equal(sent.imageCount, 1, 'the pasted image was sent');
    assert.deepEqual(sent.imageMimes.length, 1);
    await chat.waitForAnswer();
    assert.match(await chat.answerText(), /1 image/);
    assert.equal(await chat.frame.locator('article.message.user').last().locator('img.message-image').count(), 1, 'the sent message shows the image');
    assert.equal(await thumbnails.count(), 0, 'the prompt box is empty again');

    // Dropping a file on the view attaches it the same way.
    await chat.frame.locator('#app').evaluate((app, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
      for (const type of ['dragenter', 'dragover', 'drop']) app.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }, PICTURE);
    await thumbnails.first().waitFor({ timeout: 10_000 });
    assert.equal(await thumbnails.first().getAttribute('alt'), 'dropped.png');
    await chat.send('And this one?');
    await waitFor(() => modelRequests(sim).length === 2 && modelRequests(sim)[1].imageCount === 1, { timeout: 15_000, message: 'the dropped image to be sent' });
  },
};
