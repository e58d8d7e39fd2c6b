// Issue 14: the chat sees the code you point at. A workspace file attached by typing `#` in the
// prompt box and one attached from the Explorer's "Add to Vision Chat" show as chips with their
// sizes; the request the simulator receives holds both files' text, each in its own delimited
// `<context>` block before the question; the answer streams, the sent prompt keeps the chips, and
// Apply to File… on the answer's code block goes through the diff (Accept, one undo, Reject).

import fs from 'node:fs';
import path from 'node:path';
import { SAMPLE_CODE_FILE } from '../../../scripts/lib/workspace.mjs';
import { assert, ChatView, modelRequests, textOf, waitFor } from '../harness.mjs';
import { applyAcceptUndoReject } from './apply-change.mjs';

const EXPLORER_FILE = 'README.md';

export default {
  name: 'context-attach',
  title: 'a file attached with # and one from the Explorer reach the model delimited; its change applies through the diff',
  timeoutMs: 180_000,
  // Paced, so the answer is seen streaming before it ends.
  simulator: { answerTokens: 60, tokensPerSecond: 60 },
  async run(vs, sim, { resultsDir }) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    let chat = await vs.openChat();
    let chips = chat.chips();

    // `#` and part of the name: the list offers the file; Enter attaches it and takes "#deboun" out.
    await chat.attachWithHash('#deboun', /debounce\.ts/);
    await waitFor(async () => (await chips.count()) === 1, { timeout: 15_000, message: 'a chip for src/debounce.ts' });
    assert.equal(await chat.input().inputValue(), '', 'the #query is taken out of the prompt box');

    // The Explorer's context menu on README.md.
    await vs.runCommand('View: Show Explorer');
    const item = await vs.explorerItem(EXPLORER_FILE);
    await item.click({ button: 'right' });
    await vs.clickMenuItem('Add to Vision Chat');
    // The chat view comes back (a new webview frame: the Explorer took its place in the side bar).
    chat = await waitFor(
      async () => {
        const view = new ChatView(await vs.chatFrame());
        return (await view.chips().count().catch(() => 0)) === 2 ? view : undefined;
      },
      { timeout: 15_000, message: `the chat view back with a second chip, for ${EXPLORER_FILE}` },
    );
    chips = chat.chips();
    const frame = chat.frame;

    // Each chip names its file and its size in tokens, and can be removed by name.
    const chipTexts = await Promise.all((await chips.all()).map((chip) => textOf(chip)));
    assert.ok(chipTexts.some((t) => /debounce\.ts/.test(t) && /\d+\s*tokens?/.test(t)), `a debounce.ts chip with its size: ${chipTexts.join(' | ')}`);
    assert.ok(chipTexts.some((t) => t.includes(EXPLORER_FILE) && /\d+\s*tokens?/.test(t)), `a README.md chip with its size: ${chipTexts.join(' | ')}`);
    assert.equal(await frame.getByRole('button', { name: `Remove ${EXPLORER_FILE}` }).count(), 1, 'the README.md chip has a remove button');
    // The side bar alone: the chips are what the picture is for.
    await vs.page.locator('.part.sidebar').screenshot({ path: path.join(resultsDir, 'context-chips.png') });

    // Ask for a change to the attached file; the answer streams.
    const before = modelRequests(sim).length;
    await chat.send(`Please fix ${SAMPLE_CODE_FILE}.`);
    const lengths = await chat.lengthsUntilDone(chat.lastAnswer(), { timeout: 30_000 });
    assert.ok(new Set(lengths).size >= 3, `the answer streamed (visible lengths: ${lengths.join(', ')})`);

    // What the simulator received: both files whole, each in its own block, then the question.
    const requests = modelRequests(sim).slice(before);
    assert.equal(requests.length, 1, 'one request for the answer');
    const text = requests[0].lastUserText;
    for (const [relative, label] of [[SAMPLE_CODE_FILE, 'src/debounce.ts'], [EXPLORER_FILE, 'README.md']]) {
      const block = new RegExp(`<context kind="file" path="${label.replace('.', '\\.')}"[^>]*>\\n([\\s\\S]*?)\\n</context>`).exec(text);
      assert.ok(block, `a <context kind="file" path="${label}"> block in the request:\n${text.slice(0, 600)}`);
      const content = fs.readFileSync(path.join(vs.workspace, relative), 'utf8').trimEnd();
      assert.ok(block[1].includes(content), `the ${label} block holds the file's whole text`);
    }
    assert.ok(text.trimEnd().endsWith(`Please fix ${SAMPLE_CODE_FILE}.`), 'the question comes after the attachments');
    assert.ok(text.indexOf('<context') < text.indexOf('Please fix'), 'the attachments come before the question');

    // The sent prompt keeps the chips, and the box is empty for the next question.
    const sent = chat.messages().nth(-2);
    const sentChips = await Promise.all((await chat.sentChips(sent).all()).map((chip) => textOf(chip)));
    assert.ok(sentChips.some((t) => t.includes('debounce.ts')) && sentChips.some((t) => t.includes(EXPLORER_FILE)), `the sent prompt shows both chips: ${sentChips.join(' | ')}`);
    assert.equal(await chips.count(), 0, 'the chips above the box are cleared once sent');

    // Apply to File… on the answer's block for src/debounce.ts (opened first, as one reviews it).
    await vs.openFile(SAMPLE_CODE_FILE);
    await applyAcceptUndoReject(vs, chat.lastAnswer(), SAMPLE_CODE_FILE, { screenshot: path.join(resultsDir, 'context-apply-diff.png') });
  },
};
