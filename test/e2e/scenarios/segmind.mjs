// 4. Segmind answers all at once: a working indicator shows while waiting, then the answer; the
// status bar's credits follow the balance the response header reports.

import { assert, modelRequests, waitFor } from '../harness.mjs';

export default {
  name: 'segmind',
  title: 'a Segmind model shows a working indicator, then the answer; credits update from the header',
  simulator: { credits: 25 },
  async run(vs, sim) {
    await vs.setApiKey('Segmind', sim.validKey);
    const before = await waitFor(() => vs.statusBarBalance(), { message: 'the starting balance in the status bar' });
    assert.ok(Math.abs(before - 25) < 0.05, `the starting balance is the simulator's (${before})`);

    const chat = await vs.openChat();
    await chat.selectModel('segmind:llama-v3-8b-instruct');
    sim.queueScenario('slow'); // Segmind waits 3 s before answering
    await chat.send('What does a debounce do?');

    const answer = chat.lastAnswer();
    const waiting = answer.locator('.message-waiting');
    await waiting.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await waiting.innerText(), /Waiting for the answer/);

    await chat.waitForAnswer({ timeout: 20_000 });
    assert.ok(await waiting.isHidden(), 'the indicator goes away with the answer');
    assert.match(await chat.answerText(), /Simulator answer from llama-v3-8b-instruct/);

    const after = await waitFor(async () => {
      const b = await vs.statusBarBalance();
      return b !== undefined && b !== before ? b : undefined;
    }, { message: 'the status bar balance to change after the answer' });
    assert.ok(Math.abs(after - sim.credits()) < 0.05, `the status bar shows the balance the provider reported (${after} vs ${sim.credits()})`);
    assert.match(await answer.locator('.message-stats').innerText(), /credits/, 'the credits the answer used are shown under it');
    assert.equal(modelRequests(sim).at(-1).provider, 'segmind');
  },
};
