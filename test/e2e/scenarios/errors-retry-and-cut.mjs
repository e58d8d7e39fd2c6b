// 7b. Errors that fix themselves or need one click: rate limiting (429) is retried and then
// answered; a stream cut mid-answer keeps the partial text and offers Retry.

import { assert, modelRequests, waitFor } from '../harness.mjs';

export default {
  name: 'errors-retry-and-cut',
  title: '429 twice is retried, then answered; a cut stream keeps its text and offers Retry',
  async run(vs, sim) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    const chat = await vs.openChat();

    sim.queueScenario('status-429', 2);
    await chat.send('Are you busy?');
    await chat.waitForAnswer({ timeout: 30_000 });
    assert.match(await chat.answerText(), /Simulator answer/, 'the answer arrives after the retries');
    assert.equal(await chat.errorBox().count(), 0, 'no error is left on screen');
    assert.deepEqual(modelRequests(sim).map((r) => r.status), [429, 429, 200], 'two rate-limited attempts, then the answer');

    sim.queueScenario('cut-mid-stream');
    await chat.send('Tell me more.');
    await chat.waitForAnswer();
    const error = chat.errorBox();
    await error.waitFor({ timeout: 10_000 });
    const partial = await chat.answerText();
    assert.ok(partial.length > 0, 'the text that arrived before the cut stays');
    await waitFor(async () => /broke|connection/i.test(await error.innerText()), { message: 'an error message about the broken connection' });

    await error.getByRole('button', { name: 'Retry' }).click();
    await waitFor(async () => (await chat.errorBox().count()) === 0 && /Simulator answer/.test(await chat.answerText()), {
      timeout: 20_000,
      message: 'a whole answer after Retry',
    });
    assert.equal(modelRequests(sim).at(-1).status, 200);
  },
};
