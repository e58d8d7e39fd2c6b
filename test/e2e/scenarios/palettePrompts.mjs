// Issue 7: prompts from the command palette and the editor's context menu. A saved prompt runs on
// the selection from "Run Prompt…" and its answer streams into the chat; the same prompt is in the
// editor's Vision Chat submenu under "Run Saved Prompt…"; "Ask…" sends a question and offers it
// back next time.

import path from 'node:path';
import { assert, textOf, waitFor } from '../harness.mjs';

const SAVED_PROMPT = 'Review Selection';

export default {
  name: 'palette-prompts',
  title: 'a saved prompt runs on the selection from the palette and the context menu, its answer streams in; Ask… remembers the question',
  timeoutMs: 150_000,
  // Paced like a real model, so the answer is seen growing.
  simulator: { tokensPerSecond: 25, answerTokens: 200 },
  settings: {
    'visionChat.model': 'openaiCompatible:sim-text',
    'visionChat.prompts': [
      { name: SAVED_PROMPT, template: 'Review this ${language} code from ${fileName}:\n\n${selection}', command: true },
      { name: 'Broken', template: 'Uses ${nope}' },
    ],
  },
  async run(vs, sim) {
    await openFromExplorer(vs, 'src/debounce.ts');
    // Select lines 3–6 (the doc comment and the start of debounce) with the keyboard.
    await vs.page.locator('.monaco-editor .view-lines').first().click();
    await vs.page.keyboard.press('Control+Home');
    await vs.page.keyboard.press('ArrowDown');
    await vs.page.keyboard.press('ArrowDown');
    for (let i = 0; i < 4; i++) await vs.page.keyboard.press('Shift+ArrowDown');

    // Run Prompt… lists the built-ins and the saved prompt; the broken one is reported, not listed.
    await runCommandKeepingSelection(vs, 'Vision Chat: Run Prompt…');
    // Read once the whole list is there: the built-ins, the saved prompt and the problem line.
    const builtIns = ['Explain', 'Find Bugs', 'Write Tests', 'Add Comments', 'Describe Image in Detail', 'Extract Text from Image'];
    // The first command of a new window may wait for the extension to activate: slow under load.
    const labels = await vs.quickPick({ title: 'Run Prompt', includes: [...builtIns, SAVED_PROMPT, 'saved prompt problem'], timeout: 30_000 });
    assert.ok(!labels.some((l) => l.includes('Broken')), `a prompt with an unknown variable is not offered: ${labels.join(' | ')}`);
    await vs.pickQuickItem(SAVED_PROMPT);

    // The chat shows the expanded prompt and the answer grows as it streams.
    const chat = await vs.chatFrame();
    const userText = chat.locator('.message.user .user-text').last();
    await userText.waitFor({ timeout: 15_000 });
    const sent = await userText.textContent();
    assert.match(sent, /^Review this typescript code from debounce\.ts:/);
    assert.match(sent, /export function debounce/);
    assert.doesNotMatch(sent, /\$\{/, 'every variable was filled');

    const answer = chat.locator('.message.assistant .message-body').last();
    const stats = chat.locator('.message.assistant .message-stats').last();
    const lengths = new Set();
    await waitFor(
      async () => {
        const text = await textOf(answer).catch(() => '');
        if (text) lengths.add(text.length);
        // The stats line (tokens, timing) appears once the answer is complete.
        return text.includes('Filler words') && /tokens/.test(await textOf(stats).catch(() => '')) ? text : undefined;
      },
      { timeout: 30_000, interval: 50, message: 'the answer to stream into the chat' },
    );
    assert.ok(lengths.size >= 3, `the answer was seen at ${lengths.size} lengths while streaming`);
    const first = sim.requests.find((r) => r.model === 'sim-text');
    assert.ok(first && first.lastPromptChars >= sent.trim().length - 2, `the simulator got the prompt (${first?.lastPromptChars} chars)`);

    // The same saved prompt from the editor's context menu: Vision Chat › Run Saved Prompt….
    await waitFor(async () => (await chat.locator('.message.assistant').count()) === 1 && !(await vs.page.locator('.quick-input-widget').isVisible()), { message: 'one answer' });
    await vs.page.locator('.monaco-editor .view-lines .view-line').nth(3).click({ button: 'right' });
    await vs.clickMenuItem('Vision Chat');
    await vs.clickMenuItem('Run Saved Prompt…');
    await vs.pickQuickItem(SAVED_PROMPT);
    await waitFor(async () => (await chat.locator('.message.assistant').count()) === 2, { timeout: 20_000, message: 'a second answer, from the context menu' });
    await waitFor(async () => /tokens/.test(await textOf(chat.locator('.message.assistant .message-stats').nth(1)).catch(() => '')), {
      timeout: 20_000,
      message: 'the second answer to complete',
    });

    // Ask…: the question goes to the chat, and comes back as a recent prompt next time.
    const question = 'What does median return for an empty list?';
    await vs.runCommand('Vision Chat: Ask…');
    await vs.quickInputBox().fill(question);
    await vs.quickInputBox().press('Enter');
    await waitFor(async () => (await textOf(chat.locator('.message.user .user-text').last())) === question, { timeout: 15_000, message: 'the asked question in the chat' });
    await vs.runCommand('Vision Chat: Ask…');
    // Read the list only once Ask…'s own quick pick has replaced the command palette's rows.
    const recent = await vs.quickPick({ title: 'Ask', includes: [question] });
    assert.equal(recent[0], question);
    await vs.page.keyboard.press('Escape');
  },
};

/** Opens a file with a click in the Explorer, as a person does. */
async function openFromExplorer(vs, relativePath) {
  await (await vs.explorerItem(relativePath)).click();
  await vs.page.locator('.tabs-container .tab', { hasText: path.basename(relativePath) }).waitFor({ timeout: 10_000 });
}

/** F1 and the command's title, without the Escape the harness presses first (it would clear the selection). */
async function runCommandKeepingSelection(vs, title) {
  await vs.page.keyboard.press('F1');
  const input = vs.quickInputBox();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = vs.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
}
