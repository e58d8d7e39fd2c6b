// 3. Stop mid-answer: the text so far stays, marked stopped, and the provider's connection is closed.

import { assert, modelRequests, waitFor } from '../harness.mjs';

export default {
  name: 'stop',
  title: 'Stop mid-stream keeps the partial answer, marked stopped; the connection closes',
  simulator: { tokensPerSecond: 15, answerTokens: 400 },
  async run(vs, sim) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    const chat = await vs.openChat();
    await chat.send('Write a long essay about debouncing.');
    await waitFor(async () => (await chat.answerText()).length > 80, { timeout: 15_000, message: 'some streamed text' });

    await chat.stopButton().click();
    const answer = chat.lastAnswer();
    await answer.locator('.badge.stopped').waitFor({ timeout: 10_000 });
    assert.match(await answer.locator('.badge.stopped').innerText(), /Stopped/);
    const kept = await chat.answerText();
    assert.ok(kept.length > 80, `the partial text stays (${kept.length} characters)`);

    const record = await waitFor(() => modelRequests(sim).find((r) => r.closedByClient), { message: 'the simulator to see the client close the stream' });
    assert.equal(record.finished, false, 'the answer was not complete when the connection closed');
    // Nothing more arrives after the stop.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(await chat.answerText(), kept, 'no text is added after Stop');
    assert.ok(await chat.input().isEditable(), 'the prompt box is usable again');
  },
};
