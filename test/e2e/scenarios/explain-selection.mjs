// 5. Explain Selection from the editor's context menu sends the selected code to the chat.

import { assert, ChatView, modelRequests, textOf, waitFor } from '../harness.mjs';
import { SAMPLE_CODE_FILE } from '../../../scripts/lib/workspace.mjs';

export default {
  name: 'explain-selection',
  title: 'Explain Selection from the editor context menu on a workspace file',
  async run(vs, sim) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    // The debounce function, lines 4 to 13.
    const selection = await vs.selectLines(SAMPLE_CODE_FILE, 4, 13);
    const page = vs.page;

    // Right-click inside the highlighted selection (the text layer above it takes the event).
    const box = await selection.boundingBox();
    await page.mouse.click(box.x + Math.min(40, box.width / 2), box.y + box.height / 2, { button: 'right' });
    await vs.clickMenuItem('Explain Selection');

    const chat = new ChatView(await vs.chatFrame());
    await chat.waitForAnswer();
    const question = await textOf(chat.frame.locator('article.message.user').last());
    assert.match(question, /debounce/, `the prompt shows the selected code: ${question.slice(0, 200)}`);
    assert.match(await chat.answerText(), /Simulator answer/);

    const request = await waitFor(() => modelRequests(sim).at(-1), { message: 'the request' });
    assert.ok(request.promptChars > 200, `the selected code went to the model (${request.promptChars} characters)`);
  },
};
