// 9. Reloading the window loses nothing: the conversation and the unsent draft come back.

import { assert, textOf, waitFor } from '../harness.mjs';

export default {
  name: 'reload',
  title: 'after Developer: Reload Window the conversation and the draft are restored',
  async run(vs, sim) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    let chat = await vs.openChat();
    await chat.send('First question before the reload.');
    await chat.waitForAnswer();
    const before = await chat.messages().evaluateAll((els) => els.map((el) => el.textContent.replace(/\s+/g, ' ').trim()));
    const handedOver = await watchStateHandover(chat.frame);
    await chat.input().fill('An unsent draft');
    // The webview saves its draft with setState after a short debounce; the reload must come after
    // VS Code has it, so wait until the webview's host frame has passed it on to the workbench.
    await waitFor(() => handedOver('An unsent draft'), { timeout: 10_000, message: 'the webview to hand the draft to VS Code (setState)' });

    const reloaded = vs.page.waitForEvent('framenavigated', { predicate: (frame) => frame === vs.page.mainFrame(), timeout: 60_000 });
    await vs.runCommand('Developer: Reload Window');
    await reloaded;
    await vs.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });

    chat = await vs.openChat();
    const after = await waitFor(async () => {
      const texts = await chat.messages().evaluateAll((els) => els.map((el) => el.textContent.replace(/\s+/g, ' ').trim()));
      return texts.length >= before.length ? texts : undefined;
    }, { timeout: 20_000, message: 'the conversation to come back' });
    assert.equal(after.length, before.length, 'the same number of messages');
    assert.match(after[0], /First question before the reload\./);
    assert.ok(after[1].includes((await textOf(chat.lastAnswer().locator('.message-body'))).slice(0, 60)), 'the answer is back');
    assert.match(after[1], /Simulator answer/);
    assert.equal(await chat.input().inputValue(), 'An unsent draft', 'the unsent draft is back');
  },
};

/**
 * Watches what the chat view's host frame (VS Code's webview wrapper around our document) sends to
 * the workbench: `setState` reaches it as a `do-update-state` message on its MessagePort. Resolves
 * with a probe: whether a state containing `text` has gone to the workbench.
 */
async function watchStateHandover(chatFrame) {
  const host = chatFrame.parentFrame();
  assert.ok(host, 'the chat view sits in a webview host frame');
  await host.evaluate(() => {
    const sent = (window.__ovcStates = []);
    const send = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (message, ...rest) {
      if (message && message.channel === 'do-update-state') sent.push(String(message.data));
      return send.call(this, message, ...rest);
    };
  });
  return (text) => host.evaluate((t) => window.__ovcStates.some((state) => state.includes(t)), text);
}
