// Issue 7: a saved prompt run from the palette on a selection fills its template from the editor
// and streams its answer into the chat.

import { assert, ChatView, delay, modelRequests, textOf, waitFor } from '../harness.mjs';
import { SAMPLE_CODE_FILE } from '../../../scripts/lib/workspace.mjs';

const PROMPT_NAME = 'Review for Performance';

export default {
  name: 'run-prompt',
  title: 'Run Prompt… from the palette runs a saved prompt on the selection and streams the answer',
  simulator: { tokensPerSecond: 30, answerTokens: 100 },
  settings: {
    'visionChat.prompts': [
      {
        name: PROMPT_NAME,
        template: 'Review this ${language} code from ${fileName} for performance problems:\n\n```\n${selection}\n```',
      },
    ],
  },
  async run(vs, sim) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    await vs.selectLines(SAMPLE_CODE_FILE, 15, 19); // the median function

    await vs.runCommand('Vision Chat: Run Prompt…');
    await vs.pickQuickItem(PROMPT_NAME);

    const chat = new ChatView(await vs.chatFrame());
    const answer = chat.lastAnswer();
    await answer.waitFor({ timeout: 15_000 });
    const lengths = [];
    while (lengths.length < 40 && (await answer.evaluate((el) => el.classList.contains('in-progress')))) {
      lengths.push((await chat.answerText(answer)).length);
      await delay(200);
    }
    assert.ok(new Set(lengths.filter((n) => n > 0)).size >= 2, `the answer streamed in (lengths seen: ${lengths.join(', ')})`);
    await chat.waitForAnswer();
    assert.match(await chat.answerText(), /Simulator answer/);

    const prompt = await textOf(chat.frame.locator('article.message.user').last());
    assert.match(prompt, /Review this typescript code from .*debounce\.ts for performance problems/, `the template was filled: ${prompt.slice(0, 160)}`);
    assert.match(prompt, /export function median/, 'the selection went in');
    assert.ok(!prompt.includes('${'), 'no variable is left unfilled');
    const request = await waitFor(() => modelRequests(sim).at(-1), { message: 'the request' });
    assert.ok(request.promptChars >= prompt.length - 20, 'what the chat shows is what was sent');
  },
};
