// Apply to File: an answer's code block goes into the workspace file it names through VS Code's diff
// editor; Accept writes it (one undo restores the file), Reject leaves the file untouched.

import fs from 'node:fs';
import path from 'node:path';
import { assert, ChatView, waitFor } from '../harness.mjs';
import { SAMPLE_CODE_FILE } from '../../../scripts/lib/workspace.mjs';

const COMMENT = '// Changed by the provider simulator';

export default {
  name: 'apply-change',
  title: 'Apply to File on an answer’s code block: diff, Accept (one undo restores), Reject',
  async run(vs, sim, { resultsDir }) {
    const page = vs.page;
    await vs.setApiKey('DeepInfra', sim.validKey);

    // Quote the debounce function (lines 4 to 13) with Explain Selection, then ask for a change.
    const selection = await vs.selectLines(SAMPLE_CODE_FILE, 4, 13);
    const box = await selection.boundingBox();
    await page.mouse.click(box.x + Math.min(40, box.width / 2), box.y + box.height / 2, { button: 'right' });
    await vs.clickMenuItem('Explain Selection');
    const chat = new ChatView(await vs.chatFrame());
    await chat.waitForAnswer();
    await chat.send('Please fix it.');
    await waitFor(async () => (await chat.answers().count()) === 2, { message: 'the second answer' });
    const answer = await chat.waitForAnswer();
    await applyAcceptUndoReject(vs, answer, SAMPLE_CODE_FILE, { screenshot: path.join(resultsDir, 'apply-diff.png') });
  },
};

/**
 * Apply to File… on the answer's code block for `relativePath` (the simulator's change: one comment
 * line): the diff opens and nothing is written; Accept writes exactly that line and one undo restores
 * the file; Reject leaves it untouched. Shared with context-attach.
 */
export async function applyAcceptUndoReject(vs, answer, relativePath, { screenshot } = {}) {
  const page = vs.page;
  const file = path.join(vs.workspace, relativePath);
  const original = fs.readFileSync(file, 'utf8');
  const apply = answer.getByRole('button', { name: `Apply to ${relativePath}…` });
  assert.equal(await apply.count(), 1, 'the code block offers Apply to the file its answer names');

  const diffTab = page.locator('.tabs-container .tab', { hasText: 'Vision Chat’s change' });
  const openDiff = async () => {
    await apply.click();
    await diffTab.waitFor({ timeout: 15_000 });
    await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 10_000 });
    // The change shows as one inserted line in the diff.
    await page.locator('.monaco-diff-editor .line-insert').first().waitFor({ timeout: 10_000 });
  };
  const titleAction = (name) => page.locator(`.editor-actions .action-label[aria-label^="${name}"]`).first();

  // Accept: the file on disk gains exactly the comment line.
  await openDiff();
  assert.equal(fs.readFileSync(file, 'utf8'), original, 'nothing is written before Accept');
  if (screenshot) await vs.screenshot(screenshot);
  await titleAction('Accept Change').click();
  // Awaited until the whole change is there: a read while VS Code writes can see the file cut short.
  const written = await waitFor(
    () => {
      const text = fs.readFileSync(file, 'utf8');
      return text.length > original.length && text.includes(COMMENT) ? text : undefined;
    },
    { timeout: 10_000, message: `the file to be written with "${COMMENT}"` },
  );
  const added = written.split('\n').filter((l) => !original.split('\n').includes(l));
  assert.deepEqual(added.map((l) => l.trim()), [COMMENT], 'the one line the answer added');
  assert.equal(written.replace(`${added[0]}\n`, ''), original, 'the rest of the file is as it was');
  await waitFor(async () => (await diffTab.count()) === 0, { message: 'the diff to close after Accept' });

  // One undo restores it (then a save puts it back on disk).
  const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
  await editor.click();
  await page.keyboard.press('Control+Z');
  await page.keyboard.press('Control+S');
  await waitFor(() => fs.readFileSync(file, 'utf8') === original, { timeout: 10_000, message: 'one undo and a save to restore the file' });

  // Reject: the diff closes and the file stays as it is.
  await openDiff();
  await titleAction('Reject Change').click();
  await waitFor(async () => (await diffTab.count()) === 0, { message: 'the diff to close after Reject' });
  assert.equal(fs.readFileSync(file, 'utf8'), original, 'Reject leaves the file untouched');
  const problems = (await vs.notificationTexts()).filter((t) => /fail|could not|cannot/i.test(t));
  assert.deepEqual(problems, [], 'no error was shown');
}
