// 5. Explain Selection from the editor's context menu sends the selected code to the chat.

import { assert, ChatView, modelRequests, textOf, waitFor } from '../harness.mjs';
import { SAMPLE_CODE_FILE } from '../../../scripts/lib/workspace.mjs';

export default {
  name: 'explain-selection',
  title: 'Explain Selection from the editor context menu on a workspace file',
  async run(vs, sim) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    await vs.openFile(SAMPLE_CODE_FILE);

    // Select the debounce function (lines 4-13) with the keyboard, as a person would.
    const page = vs.page;
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await vs.answerInputBox(':4'); // Go to Line
    for (let i = 0; i < 9; i++) await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+End');
    const selection = page.locator('.monaco-editor .selected-text').first();
    await selection.waitFor({ timeout: 5_000 });

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
