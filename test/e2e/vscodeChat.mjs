// Driving VS Code's own Chat view (the built-in Copilot Chat, signed out: `chat.allowAnonymousAccess`)
// the way a person does, for the scenarios that put our models in it. Selectors were read from the
// real DOM of code-server 4.139.1 (VS Code 1.139.1).

import { waitFor } from './harness.mjs';

/** Settings that show VS Code's Chat without sign-in (the e2e profile turns AI features off by default). */
export const VSCODE_CHAT_SETTINGS = { 'chat.allowAnonymousAccess': true, 'chat.disableAIFeatures': false };

/** Opens the Chat view (Ctrl+Alt+I, in the secondary side bar) and waits for its input. */
export async function openVsCodeChat(vs) {
  const input = vs.page.locator('.interactive-input-part').first();
  await waitFor(
    async () => {
      if (await input.isVisible()) return true;
      await vs.page.keyboard.press('Control+Alt+KeyI');
      await input.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
      return input.isVisible();
    },
    { timeout: 60_000, interval: 500, message: "VS Code's Chat view to open" },
  );
}

function modelPicker(vs) {
  return vs.page.locator('.interactive-input-part .model-picker-name').first();
}

/**
 * Opens VS Code's Language Models editor (the palette's Chat: Manage Language Models, which the
 * model picker's Manage Models… also opens), types `search` into its search box as a person looks
 * for a model in a long list (its rows are drawn only when in view), waits for the row of
 * `modelName`, and returns the texts of the rows shown, whitespace collapsed. Closes it again.
 */
export async function manageModelsRows(vs, modelName, search = modelName) {
  const row = vs.page.locator('.monaco-list-row', { hasText: modelName }).first();
  const searchBox = vs.page.locator('.suggest-input-container').first();
  await vs.runCommand('Chat: Manage Language Models');
  await searchBox.waitFor({ state: 'visible', timeout: 30_000 });
  await waitFor(
    async () => {
      if (await row.isVisible().catch(() => false)) return true;
      if (!(await searchBox.innerText()).includes(search)) {
        await searchBox.click();
        await vs.page.keyboard.press('Control+A');
        await vs.page.keyboard.type(search);
      }
      return row.isVisible({ timeout: 3_000 }).catch(() => false);
    },
    { timeout: 150_000, interval: 1000, message: `${modelName} to be listed in the Language Models editor` },
  );
  const rows = (await row.locator('xpath=..').locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  const close = vs.page.locator('[aria-label^="Close Modal Editor"]').first();
  if (await close.isVisible().catch(() => false)) await close.click();
  else await vs.runCommand('View: Close Editor');
  await searchBox.waitFor({ state: 'hidden', timeout: 10_000 });
  return rows;
}

/**
 * Picks `modelName` in the Chat view's model picker (an action widget; its rows are list rows). It
 * shows a few models and folds the rest under "Other Models": typing in its search box finds any.
 */
export async function pickChatModel(vs, modelName) {
  // The picker's label is cut to the width of the side bar: compare its start.
  const shown = async () => modelName.startsWith(((await modelPicker(vs).textContent()) ?? '').replace(/…$/, '').trim().slice(0, 12));
  await waitFor(
    async () => {
      if (await shown()) return true;
      await modelPicker(vs).click();
      await vs.page.locator('.action-widget input[aria-label="Search models"]').fill(modelName);
      const row = vs.page.locator('.action-widget .monaco-list-row', { hasText: modelName }).first();
      if (await row.isVisible({ timeout: 2_000 }).catch(() => false)) await row.click();
      else await vs.page.keyboard.press('Escape');
      await waitFor(shown, { timeout: 3_000 }).catch(() => false);
      return shown();
    },
    { timeout: 45_000, interval: 1000, message: `the Chat view's model picker to show ${modelName}` },
  );
}

/** Types into the Chat input (a Monaco editor in the workbench, not a webview) and sends. */
export async function sendChatPrompt(vs, text) {
  await vs.page.locator('.interactive-input-part .monaco-editor').first().click();
  await vs.page.keyboard.type(text);
  await vs.page.keyboard.press('Enter');
}

/** Tools that VS Code asks about show a confirmation: allow it. */
export async function approveToolIfAsked(vs) {
  const button = vs.page.locator('.chat-confirmation-widget .monaco-button', { hasText: /^(Allow|Continue)/ }).first();
  if (await button.isVisible().catch(() => false)) await button.click();
}

/** Waits until the Chat view's latest answer has finished (VS Code marks a streaming one `chat-response-loading`). */
export async function waitForChatAnswerDone(vs, { timeout = 60_000 } = {}) {
  const last = vs.page.locator('.interactive-item-container.interactive-response').last();
  await waitFor(async () => (await last.count()) > 0 && !(await last.evaluate((el) => el.classList.contains('chat-response-loading'))), {
    timeout,
    message: "the Chat view's answer to finish",
  });
}

/** The text of the Chat view's latest answer. */
export async function lastChatResponse(vs) {
  return (await vs.page.locator('.interactive-item-container.interactive-response').last().textContent().catch(() => '')) ?? '';
}

/**
 * Attaches a workspace image to the Chat input as a person does: Add Context… (the paperclip in the
 * input's toolbar), its name typed into the picker, Enter on the file's row. Waits for its chip
 * above the input to say it is an image. (The picker's Files & Folders… list attaches a PNG as a
 * plain file in VS Code 1.139, whose bytes never reach a model as an image.)
 */
export async function attachImage(vs, fileName) {
  const chip = vs.page.locator('.interactive-input-part .chat-attached-context-attachment', { hasText: fileName }).first();
  const listed = async () => (await vs.quickPickLabels()).some((l) => l.startsWith(fileName));
  await waitFor(
    async () => {
      if (await chip.isVisible().catch(() => false)) return true;
      await vs.closeQuickInput();
      await vs.page.locator('.interactive-input-part [aria-label^="Add Context"]').first().click();
      await vs.quickInputBox().waitFor({ state: 'visible', timeout: 5_000 });
      await vs.quickInputBox().fill(fileName);
      // The file search answers after a moment; its first row is the active one, and Enter accepts it.
      if (!(await waitFor(listed, { timeout: 10_000 }).catch(() => false))) return false;
      await vs.page.keyboard.press('Enter');
      await chip.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {});
      return chip.isVisible().catch(() => false);
    },
    { timeout: 60_000, interval: 500, message: `${fileName} to be attached to the Chat input` },
  );
  const label = (await chip.getAttribute('aria-label')) ?? '';
  if (!/image/i.test(label)) throw new Error(`${fileName} was attached, but not as an image: “${label}”`);
}
