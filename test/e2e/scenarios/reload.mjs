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
    await chat.input().fill('An unsent draft');
    await vs.page.waitForTimeout(500);

    await vs.runCommand('Developer: Reload Window');
    await vs.page.waitForSelector('.monaco-workbench', { state: 'detached', timeout: 20_000 }).catch(() => {});
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
