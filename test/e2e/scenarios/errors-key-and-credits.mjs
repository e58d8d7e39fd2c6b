// 7a. Errors a person can fix: a wrong key (401) offers Set API Key, which fixes it, and Retry then
// answers; running out of Segmind credits (406) offers the top-up action.

import { assert, modelRequests, waitFor } from '../harness.mjs';

export default {
  name: 'errors-key-and-credits',
  title: 'a wrong key (401) offers Set API Key; out of credits (406) offers Top Up Credits',
  async run(vs, sim) {
    // A mistyped key: the check fails, and the person saves it anyway.
    await vs.setApiKey('DeepInfra', 'not-the-right-key', { onFailure: 'Save Anyway' });
    const chat = await vs.openChat();
    await chat.send('Hello?');
    await chat.waitForAnswer();
    const error = chat.errorBox();
    await error.waitFor({ timeout: 10_000 });
    await waitFor(async () => /key/i.test(await error.innerText()), { message: 'an error message about the key' });
    assert.equal(modelRequests(sim).at(-1).status, 401);
    assert.ok(!(await error.innerText()).includes('not-the-right-key'), 'the key itself is never shown');

    // The error's own button leads to the fix.
    await error.getByRole('button', { name: 'Set API Key' }).click();
    await vs.pickQuickItem('DeepInfra').catch(() => {}); // the flow may already know the provider
    await vs.answerInputBox(sim.validKey);
    await waitFor(async () => (await vs.notificationTexts()).some((t) => t.includes('DeepInfra key saved')), { message: 'the key to be saved' });
    // With the key fixed the extension may ask again by itself; otherwise the error's Retry does.
    const answered = async () => /Simulator answer/.test(await chat.answerText());
    const retriedByItself = await waitFor(answered, { timeout: 5_000, message: 'an answer' }).catch(() => false);
    if (!retriedByItself) await chat.errorBox().getByRole('button', { name: 'Retry' }).click();
    await waitFor(answered, { timeout: 20_000, message: 'the answer with the right key' });
    assert.equal(modelRequests(sim).at(-1).status, 200);

    // Out of Segmind credits.
    await vs.setApiKey('Segmind', sim.validKey);
    await chat.selectModel('segmind:llama-v3-8b-instruct');
    sim.queueScenario('status-406');
    await chat.send('One more question.');
    await chat.waitForAnswer();
    const outOfCredits = chat.errorBox();
    await outOfCredits.waitFor({ timeout: 10_000 });
    await waitFor(async () => /credits/i.test(await outOfCredits.innerText()), { message: 'an error message about credits' });
    const topUp = outOfCredits.getByRole('button', { name: 'Top Up Credits' });
    assert.ok(await topUp.isVisible(), 'the top-up action is offered');
    assert.equal(modelRequests(sim).at(-1).status, 406);
  },
};
