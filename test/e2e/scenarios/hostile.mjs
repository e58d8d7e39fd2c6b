// 8. Model output is hostile input: script tags, onerror attributes, javascript: links and HTML in
// code fences render as text, and nothing the payload carries runs (it would set window.__pwned).

import { assert, waitFor } from '../harness.mjs';

export default {
  name: 'hostile',
  title: 'hostile model output renders as text and runs no script',
  timeoutMs: 180_000,
  async run(vs, sim) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    const chat = await vs.openChat();
    sim.queueScenario('hostile');
    await chat.send('Show me something dangerous.');
    const answer = await chat.waitForAnswer({ timeout: 120_000 });

    assert.equal(await chat.frame.evaluate(() => typeof window.__pwned), 'undefined', 'no payload script ran in the chat view');
    assert.equal(await vs.page.evaluate(() => typeof window.__pwned), 'undefined', 'nor in the workbench');
    assert.equal(await answer.locator('script').count(), 0, 'no script element in the message');
    assert.equal(await answer.locator('[onerror], [onload], [onclick]').count(), 0, 'no event-handler attributes');
    assert.equal(await answer.locator('a[href^="javascript:" i]').count(), 0, 'no javascript: links');
    assert.equal(await answer.locator('iframe, object, embed, form').count(), 0);

    // While it streamed, the answer went through the Markdown renderer and its sanitiser (that is
    // when an onerror or a script would have fired); past 200 000 characters the view shows a
    // plain-text preview with the whole text one click away.
    const body = answer.locator('.message-body');
    assert.ok((await body.textContent()).includes('<script>window.__pwned=1</script>'), 'the script tag shows as text');
    await answer.getByRole('button', { name: 'Show All' }).click();
    await waitFor(async () => (await body.textContent()).length > 1_000_000, { timeout: 20_000, message: 'the whole 1 MB line after Show All' });
    assert.equal(await chat.frame.evaluate(() => typeof window.__pwned), 'undefined', 'still nothing ran');
    assert.equal(await answer.locator('script').count(), 0);

    // The view stays usable after a megabyte of text.
    await chat.input().fill('still responsive');
    assert.equal(await chat.input().inputValue(), 'still responsive');
  },
};
