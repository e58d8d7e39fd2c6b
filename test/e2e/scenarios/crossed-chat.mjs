// Issue 12: a prompt waiting for its API key belongs to the chat it was typed in. New Chat (the
// view's title button) while the key box is open must not send it with the old chat's history into
// the new one: the new chat stays empty, and the old chat keeps the prompt with a Retry that sends it.

import { assert, modelRequests, textOf, waitFor } from '../harness.mjs';

const SEGMIND_MODEL = 'segmind:llama-v3-8b-instruct';

export default {
  name: 'crossed-chat',
  title: 'New Chat while a prompt waits for its key: the prompt stays in its own chat, with Retry',
  async run(vs, sim) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    const chat = await vs.openChat();
    await chat.send('First question, in chat A.');
    await chat.waitForAnswer();

    // A provider with no key yet: sending asks for it.
    await chat.selectModel(SEGMIND_MODEL);
    await chat.send('Second question, for chat A.');
    const keyBox = vs.quickInputBox();
    await keyBox.waitFor({ state: 'visible', timeout: 15_000 });
    await waitFor(async () => /Segmind API Key/.test(await vs.page.locator('.quick-input-widget').innerText()), { message: 'the Segmind key box' });

    // New Chat from the chat view's title bar while the key box stays open.
    await vs.page.locator('.part.sidebar').getByRole('button', { name: 'New Chat' }).click();
    await waitFor(async () => (await chat.messages().count()) === 0, { message: 'the new, empty chat' });
    assert.ok(await keyBox.isVisible(), 'the key box is still open');

    await vs.answerInputBox(sim.validKey);
    await waitFor(async () => (await vs.notificationTexts()).some((t) => t.includes('Segmind key saved')), { message: 'the Segmind key to be saved' });

    // Chat A is saved with the prompt and its unsent answer: the history list says 4 messages.
    await vs.runCommand('Vision Chat: Show Chat History…');
    const rowA = vs.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'First question, in chat A.' }).first();
    await waitFor(async () => /4 messages/.test(await rowA.innerText().catch(() => '')), {
      timeout: 15_000,
      message: 'chat A listed with its 4 messages',
    });
    assert.equal(await chat.messages().count(), 0, 'nothing of chat A landed in the new chat');
    assert.equal(modelRequests(sim).filter((r) => r.provider === 'segmind').length, 0, 'no request went out for the prompt meanwhile');

    // Back in chat A: the prompt is there, not sent, with Retry.
    await rowA.click();
    await waitFor(async () => (await chat.messages().count()) === 4, { message: 'chat A back in the view' });
    assert.match(await textOf(chat.messages().nth(2)), /Second question, for chat A\./);
    const error = chat.errorBox();
    await error.waitFor({ timeout: 10_000 });
    assert.match(await error.innerText(), /Not sent/);
    await error.getByRole('button', { name: 'Retry' }).click();
    await waitFor(async () => /Simulator answer/.test(await chat.answerText()), { timeout: 30_000, message: 'the answer in chat A' });
    const sent = modelRequests(sim).filter((r) => r.provider === 'segmind');
    assert.equal(sent.length, 1);
    assert.equal(await chat.messages().count(), 4, 'the answer took the place of the unsent one');
  },
};
