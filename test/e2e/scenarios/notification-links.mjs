// Issue 12, finding 1: text a repository controls never becomes a clickable `command:` link in a
// notification. A workspace file named like a Markdown command link goes through Describe Image (it
// is not an image, so the warning names it), and a saved prompt from the workspace's
// .vscode/settings.json whose name is such a link asks for a model that does not exist (the warning
// names the prompt). Each warning shows the name as plain text, with no link in its message, and
// clicking the text opens nothing.

import fs from 'node:fs';
import path from 'node:path';
import { assert, modelRequests, waitFor } from '../harness.mjs';

const LINK = '(command:workbench.action.openSettings?%22editor.tabSize%22)';
const FILE_NAME = `[Convert it first]${LINK}.png`;
const PROMPT_NAME = `[Open the settings]${LINK}`;

export default {
  name: 'notification-links',
  title: 'a file name and a saved prompt name holding a command: link show as plain text in notifications, and run nothing',
  timeoutMs: 180_000,
  async run(vs, sim, { resultsDir }) {
    // What a hostile repository would hold: the file, and a prompt in its workspace settings.
    fs.writeFileSync(path.join(vs.workspace, FILE_NAME), 'not an image, whatever its name says\n');
    fs.mkdirSync(path.join(vs.workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(vs.workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'visionChat.prompts': [{ name: PROMPT_NAME, template: 'Say hello.', model: 'deepinfra:no-such/model' }] }, null, 2),
    );

    // 1. Describe Image from the Explorer on the file. Its menu item is there once the workbench
    // knows the extension's contributions: wait for its commands in the palette first.
    await vs.findInPalette('Vision Chat: Run Prompt…');
    await vs.closeQuickInput();
    await vs.runCommand('View: Show Explorer');
    const item = await vs.explorerItem(FILE_NAME);
    await item.click({ button: 'right' });
    await vs.clickMenuItem('Describe Image');
    const fileToast = await toastWith(vs, 'is not a PNG, JPEG, GIF or WebP image');
    const problems = await inertProblems(vs, fileToast, FILE_NAME, 'Convert it first', path.join(resultsDir, 'notification-links-file.png'));
    await closeToast(vs, fileToast);
    await vs.runCommand('View: Close All Editors');

    // 2. The saved prompt from Run Prompt…: its model is missing, and the warning names the prompt.
    await vs.runCommand('Vision Chat: Run Prompt…');
    await vs.quickPick({ title: 'Run Prompt', includes: [PROMPT_NAME] });
    await vs.pickQuickItem(PROMPT_NAME);
    const promptToast = await toastWith(vs, 'which is not available');
    problems.push(...(await inertProblems(vs, promptToast, PROMPT_NAME, 'Open the settings', path.join(resultsDir, 'notification-links-prompt.png'))));

    assert.deepEqual(problems, [], 'both notifications show the names as inert text');
    // Model listings may be read (the pickers need them); no prompt may have gone to a model.
    assert.deepEqual(modelRequests(sim).map((r) => `${r.method} ${r.path}`), [], 'nothing was sent to a model');
  },
};

async function toastWith(vs, text) {
  const toast = vs.page.locator('.notification-toast', { hasText: text }).first();
  await toast.waitFor({ timeout: 20_000 });
  return toast;
}

/**
 * What is wrong with the notification: a link in its message (VS Code renders `[label](command:…)` as
 * one), the name not shown as written (the zero-width spaces that break the link syntax are
 * invisible), or a settings editor opened by clicking where the link's label is.
 */
async function inertProblems(vs, toast, name, label, screenshot) {
  const problems = [];
  const message = toast.locator('.notification-list-item-message');
  await vs.screenshot(screenshot);
  const links = await toast.locator('a[href^="command:" i]').count();
  if (links) problems.push(`${links} command: link(s) in the notification`);
  const anyLinks = await message.locator('a, [role="link"]').count();
  if (anyLinks) problems.push(`${anyLinks} link element(s) in the message`);
  const text = (await message.innerText()).replace(/\u200B/g, '');
  if (!text.includes(name)) problems.push(`the message does not show the name as written: ${JSON.stringify(text)}`);

  // Click the label, as a person would; a link there runs workbench.action.openSettings.
  await message.getByText(label).first().click();
  // A command takes a moment to open an editor: let the workbench go idle twice before looking.
  for (let i = 0; i < 2; i++) await vs.page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve(undefined), { timeout: 2000 })));
  if (await vs.page.locator('.settings-editor').count()) {
    problems.push('clicking the label opened the settings editor');
    // It opens as a modal editor; close it so the rest of the scenario can go on and report too.
    await vs.page.keyboard.press('Escape');
    await vs.page.keyboard.press('Escape');
  }
  return problems;
}

async function closeToast(vs, toast) {
  await toast.hover();
  await toast.getByRole('button', { name: /Clear Notification|Close/ }).first().click();
  await waitFor(async () => (await toast.count()) === 0 || !(await toast.isVisible()), { message: 'the notification to close' });
}
