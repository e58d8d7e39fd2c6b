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
    // The prompt box is usable again, and nothing more arrives for the stopped answer: a next
    // question's answer comes after anything still on its way to the view for the first one.
    assert.ok(await chat.input().isEditable(), 'the prompt box is usable again');
    sim.configure({ tokensPerSecond: 0, answerTokens: 10 });
    await chat.send('Thanks, that is enough.');
    await waitFor(async () => (await chat.answers().count()) === 2, { message: 'a second answer' });
    await chat.waitForAnswer();
    assert.equal(await chat.answerText(chat.answers().first()), kept, 'no text is added to the stopped answer after Stop');
  },
};
