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
 * The model picker lists a provider's models only once VS Code has asked the provider for them,
 * which a fresh window does when a person opens Manage Models… (it activates the provider's
 * extension). So, as a person would: Manage Models…, wait for our model's row, close the editor.
 */
export async function showModelsInManageModels(vs, modelName) {
  const row = vs.page.locator('.monaco-list-row', { hasText: modelName }).first();
  const close = vs.page.locator('[aria-label^="Close Modal Editor"]').first();
  // A click on the picker or its "Manage Models…" row can be lost while the workbench is still
  // busy (a clean run saw the editor never open): open it again until it is open, then wait for us.
  await waitFor(
    async () => {
      if (await row.isVisible().catch(() => false)) return true;
      if (!(await close.isVisible().catch(() => false))) {
        await modelPicker(vs).click();
        const manage = vs.page.locator('.action-widget .monaco-list-row', { hasText: 'Manage Models' }).first();
        if (await manage.isVisible({ timeout: 5_000 }).catch(() => false)) await manage.click().catch(() => {});
        await close.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {});
      }
      return row.isVisible().catch(() => false);
    },
    { timeout: 150_000, interval: 1000, message: `${modelName} to be listed in Manage Models…` },
  );
  await close.click();
  await close.waitFor({ state: 'hidden', timeout: 10_000 });
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

/** The text of the Chat view's latest answer. */
export async function lastChatResponse(vs) {
  return (await vs.page.locator('.interactive-item-container.interactive-response').last().textContent().catch(() => '')) ?? '';
}
