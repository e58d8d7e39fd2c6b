// Issue 11: the spend limit per day. An answer on a priced DeepInfra model takes the day past
// `visionChat.spendLimitPerDay`; a second window (its own extension host, on the same profile)
// knows the day's spend, asks before the next prompt in a modal, gives the prompt back on Cancel,
// and sends it on Send Anyway.

import { assert, modelRequests, waitFor } from '../harness.mjs';

const PRICED_ID = 'deepinfra:simulated/Zephyr-Orbit-12B-Instruct';
// The first prompt's input costs about $0.000005 on it; its 400-token answer about $0.00009.
const LIMIT_USD = 0.00003;

export default {
  name: 'spend-limit',
  title: 'past the spend limit per day, a second window asks before sending; Cancel gives the prompt back, Send Anyway sends',
  timeoutMs: 180_000,
  settings: { 'visionChat.spendLimitPerDay': LIMIT_USD },
  async run(vs, sim) {
    sim.configure({ answerTokens: 400, tokensPerSecond: 2000 });
    await vs.setApiKey('DeepInfra', sim.validKey);
    const chatA = await vs.openChat();
    const row = await chatA.findOneModel('zephyr orb', { message: 'the priced model in the picker' });
    await row.click();
    await waitFor(async () => (await chatA.modelId()) === PRICED_ID, { message: 'the chat to use the priced model' });

    // Within the limit: sent without a question.
    await chatA.send('Say hello.');
    await chatA.waitForAnswer();
    assert.equal(modelRequests(sim).length, 1);
    assert.equal(await vs.dialog().count(), 0, 'no question while within the limit');

    // Window B: a second page on the same code-server and folder.
    const windowB = await vs.openSecondWindow();
    const chatB = await windowB.openChat();
    // Window B opens the chat A has open: its two messages are there.
    await waitFor(async () => (await chatB.messages().count()) === 2, { message: 'window A\'s chat in window B' });

    await chatB.send('Past the limit?');
    const question = await waitFor(async () => ((await windowB.dialog().count()) ? windowB.dialog() : undefined), { timeout: 15_000, message: 'the spend limit question' });
    const text = (await question.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Sending this would pass your spend limit of \$0\.000030 a day\./);
    assert.match(text, /Spent today: \$0\.0000\d+ /, 'the day\'s spend, from window A');
    await windowB.screenshot('test-results/e2e/spend-limit-question.png');
    await windowB.page.keyboard.press('Escape');
    await waitFor(async () => (await chatB.input().inputValue()) === 'Past the limit?', { message: 'the prompt back in the box' });
    assert.equal(modelRequests(sim).length, 1, 'nothing was sent');
    assert.equal(await chatB.messages().count(), 2, 'nothing was added to the chat');

    await chatB.input().press('Enter');
    const again = await waitFor(async () => ((await windowB.dialog().count()) ? windowB.dialog() : undefined), { timeout: 15_000, message: 'the question again' });
    await again.locator('.monaco-button', { hasText: /^Send Anyway$/ }).click();
    // The new answer, not window A's finished one: the prompt and its answer are added first.
    await waitFor(async () => (await chatB.answers().count()) === 2, { timeout: 15_000, message: 'the answer to the prompt sent anyway' });
    await chatB.waitForAnswer();
    assert.equal(modelRequests(sim).length, 2, 'sent at the user\'s word');
  },
};
