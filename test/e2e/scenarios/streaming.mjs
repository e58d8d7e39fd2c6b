// 2. A DeepInfra answer arrives in pieces: the visible text grows while it streams, and the tokens
// and cost appear under it at the end.

import { assert, modelRequests, waitFor } from '../harness.mjs';

export default {
  name: 'streaming',
  title: 'a DeepInfra answer grows on screen while it streams, then shows tokens and cost',
  // About four seconds of streaming: slow enough to watch, quick enough to test.
  simulator: { tokensPerSecond: 30, answerTokens: 120 },
  async run(vs, sim) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    const chat = await vs.openChat();
    await chat.send('Explain what a debounce function is for.');

    // Every length the answer showed on screen while it streamed, as the page drew it.
    const answer = chat.lastAnswer();
    const lengths = await chat.lengthsUntilDone(answer);
    const growing = lengths.filter((n, i) => i > 0 && n > lengths[i - 1]).length;
    assert.ok(growing >= 3, `the visible text grew at least three times while streaming (lengths seen: ${lengths.join(', ')})`);
    assert.ok(lengths[0] < lengths[lengths.length - 1] / 2, `the first length seen was part of the answer, not all of it (lengths: ${lengths.join(', ')})`);

    await chat.waitForAnswer();
    const text = await chat.answerText();
    assert.match(text, /Simulator answer from meta-llama\/Llama-3\.2-11B-Vision-Instruct/);
    const stats = await waitFor(async () => {
      const t = await answer.locator('.message-stats').innerText();
      return /tokens/.test(t) && /\$\d/.test(t) ? t : undefined;
    }, { message: 'tokens and cost under the answer' });
    assert.match(stats, /→ 120 tokens/, `the completion token count the provider reported: ${stats}`);

    const [request] = modelRequests(sim);
    assert.equal(request.provider, 'deepinfra');
    assert.equal(request.stream, true, 'DeepInfra was asked to stream');
  },
};
