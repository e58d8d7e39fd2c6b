// The end-to-end harness: one VS Code (code-server) per scenario, driven through Chromium the way a
// person drives it: the command palette, menus, the chat view's own controls and the status bar.
// Nothing here calls the extension's API or posts messages into the webview directly.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, startCodeServer, simulatorSettings, writeUserSettings, delay } from '../../scripts/lib/codeServer.mjs';
import { CHROMIUM_ARGS } from '../../scripts/lib/chromium.mjs';
import { createSampleWorkspace } from '../../scripts/lib/workspace.mjs';

export { CHROMIUM_ARGS };

/** Polls `probe` until it returns a truthy value; fails with `message` and the last value otherwise. */
export async function waitFor(probe, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError ? ` (last error: ${lastError.message.split('\n')[0]})` : last !== undefined ? ` (last value: ${JSON.stringify(last)})` : '';
      throw new Error(`Timed out after ${timeout} ms waiting for ${message}${why}`);
    }
    await delay(interval);
  }
}

/**
 * A running VS Code for one scenario: code-server with a fresh profile, a browser page on it, and
 * the scenario's own simulator.
 */
export class VsCode {
  /** @param {{ page: import('playwright-core').Page, sim: any, dir: string, workspace: string, codeServer: any, logFile: string }} parts */
  constructor(parts) {
    Object.assign(this, parts);
    /** @type {import('playwright-core').Page} */
    this.page = parts.page;
  }

  /**
   * @param {{ name: string, tools: any, browser: import('playwright-core').Browser, sim: any, dir: string,
   *           extensionsTemplate: string, settings?: object, env?: object, workspaceTrust?: boolean }} o
   *   `workspaceTrust`: trust is on, so the workspace (a folder VS Code has not seen) opens in
   *   Restricted Mode, instead of every folder being trusted.
   */
  static async start(o) {
    const userDataDir = path.join(o.dir, 'user-data');
    const extensionsDir = path.join(o.dir, 'extensions');
    const workspace = createSampleWorkspace(path.join(o.dir, 'workspace'));
    const logFile = path.join(o.dir, 'code-server.log');
    // The extension was installed once with --install-extension; each profile gets its own copy.
    fs.cpSync(o.extensionsTemplate, extensionsDir, { recursive: true });
    const trust = o.workspaceTrust ? { 'security.workspace.trust.enabled': true } : {};
    writeUserSettings(userDataDir, { ...simulatorSettings(o.sim, {}), ...trust, ...o.settings });

    const port = await freePort();
    // No provider keys from the developer's shell may reach the extension under test.
    const env = { SEGMIND_API_KEY: '', DEEPINFRA_TOKEN: '', VISION_CHAT_SIMULATOR_KEY: '', ...o.env };
    const codeServer = await startCodeServer(o.tools, { port, userDataDir, extensionsDir, workspace, logFile, env, workspaceTrust: Boolean(o.workspaceTrust) });
    let context;
    try {
      context = await o.browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      const vs = new VsCode({ page, context, sim: o.sim, dir: o.dir, workspace, codeServer, logFile });
      o.onStarted?.(vs);
      await page.goto(`${codeServer.url}?folder=${encodeURIComponent(workspace)}`);
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      // The explorer shows the workspace once the workbench has restored its parts.
      await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
      return vs;
    } catch (error) {
      await context?.close().catch(() => {});
      await codeServer.stop();
      throw error;
    }
  }

  async stop() {
    await this.context?.close().catch(() => {});
    await this.codeServer.stop();
  }

  // ---- the command palette and quick inputs ----

  /** F1, the command's title as a person types it, Enter. */
  async runCommand(title) {
    await this.findInPalette(title);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click();
  }

  /**
   * Opens the palette on `title` and waits until it lists it. Right after the workbench shows, the
   * extension host may still be starting; an open palette does not pick up new commands, so it is
   * reopened until they are there.
   */
  async findInPalette(title, { timeout = 30_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      await this.openPalette();
      await this.quickInputBox().fill(`>${title}`);
      const listed = await waitFor(async () => (await this.quickPickLabels()).some((l) => l === title || l.startsWith(title)), {
        timeout: 3_000,
        message: `the palette to list "${title}"`,
      }).catch((error) => (Date.now() > deadline ? Promise.reject(error) : false));
      if (listed) return;
    }
  }

  async openPalette() {
    await this.closeQuickInput();
    await this.page.keyboard.press('F1');
    await this.quickInputBox().waitFor({ state: 'visible', timeout: 10_000 });
  }

  /** Closes an open quick input. (Only then: Escape in an editor would clear its selection.) */
  async closeQuickInput() {
    if (await this.quickInputVisible()) {
      await this.page.keyboard.press('Escape');
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
    }
  }

  quickInputBox() {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /**
   * The rows of the open quick pick titled `title`, once every label in `includes` is listed (each
   * matched as a part of a row's label). A quick pick fills in steps (the palette's rows first, then
   * the command's own), so reading before that would see half a list.
   */
  async quickPick({ title, includes = [], timeout = 10_000 }) {
    return waitFor(
      async () => {
        const shown = await textOf(this.page.locator('.quick-input-widget .quick-input-title')).catch(() => '');
        if (!shown.startsWith(title)) return undefined;
        const labels = await this.quickPickLabels();
        return includes.every((want) => labels.some((l) => l.includes(want))) ? labels : undefined;
      },
      { timeout, message: `the "${title}" quick pick to list ${includes.map((l) => `"${l}"`).join(', ') || 'its rows'}` },
    );
  }

  async quickPickLabels() {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name').allTextContents().then((ls) => ls.map((l) => l.replace(/\s+/g, ' ').trim()));
  }

  /** Picks an item of the open quick pick by its label (or a part of it). */
  async pickQuickItem(label) {
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
  }

  /** Types into the open input box (e.g. the key prompt) and presses Enter. */
  async answerInputBox(text) {
    const input = this.quickInputBox();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(text);
    await input.press('Enter');
  }

  async quickInputVisible() {
    return this.page.locator('.quick-input-widget').isVisible();
  }

  // ---- the chat view (a webview: nested iframes; the inner one holds #app) ----

  /** The frame that holds the chat view's document, once it has rendered. */
  async chatFrame({ timeout = 20_000 } = {}) {
    return waitFor(
      async () => {
        for (const frame of this.page.frames()) {
          if (frame === this.page.mainFrame()) continue;
          if (await frame.$('#app').catch(() => null)) return frame;
        }
        return undefined;
      },
      { timeout, message: 'the chat view (#app in a webview frame)' },
    );
  }

  /** A second window: another page on the same code-server, profile and folder, once its workbench shows the folder. */
  async openSecondWindow() {
    const page = await this.context.newPage();
    await page.goto(this.page.url());
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
    return new VsCode({ ...this, page });
  }

  /** Vision Chat: Open Chat from the palette; resolves with the view once the host has filled it. */
  async openChat() {
    await this.runCommand('Vision Chat: Open Chat');
    const chat = new ChatView(await this.chatFrame());
    await chat.ready();
    return chat;
  }

  /**
   * Vision Chat: Set API Key… → the provider → the key, as a person pastes it. With a key the
   * simulator accepts, waits for the "key saved" message; otherwise answers the warning with `onFailure`.
   */
  async setApiKey(provider, key, { onFailure } = {}) {
    await this.runCommand('Vision Chat: Set API Key…');
    await this.pickQuickItem(provider);
    await this.answerInputBox(key);
    if (onFailure) {
      await this.clickNotificationButton('could not be confirmed', onFailure);
      return;
    }
    await waitFor(async () => (await this.notificationTexts()).some((t) => t.includes(`${provider} key saved`)), {
      message: `the "${provider} key saved" message`,
    });
  }

  // ---- the status bar, notifications, editors, explorer ----

  statusBar() {
    return this.page.locator('#workbench\\.parts\\.statusbar');
  }

  /** Texts of the status bar items, as a person reads them. */
  async statusBarTexts() {
    return (await this.statusBar().locator('.statusbar-item').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
  }

  /** The credits item of the status bar (its accessible name starts "Segmind balance" once read). */
  creditsItem() {
    return this.statusBar().locator('[aria-label^="Segmind balance"]');
  }

  /** The Segmind balance the status bar shows, as a number (undefined while it shows none). */
  async statusBarBalance() {
    const label = await this.creditsItem().first().getAttribute('aria-label', { timeout: 1000 }).catch(() => null);
    const match = label?.match(/Segmind balance (\d[\d,]*(?:\.\d+)?)/);
    return match ? Number(match[1].replace(/,/g, '')) : undefined;
  }

  /** The notification toasts' texts. */
  async notificationTexts() {
    return (await this.page.locator('.notification-toast').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** Clicks a button of the notification whose message matches `message`. */
  async clickNotificationButton(message, button) {
    const toast = this.page.locator('.notification-toast', { hasText: message }).first();
    await toast.waitFor({ timeout: 10_000 });
    await toast.getByRole('button', { name: button }).click();
  }

  /** Opens a workspace file with Quick Open (Ctrl+P), as a person would. */
  async openFile(relativePath) {
    await this.closeQuickInput();
    await this.page.keyboard.press('Control+P');
    const input = this.quickInputBox();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(relativePath);
    const name = path.basename(relativePath);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
    await input.press('Enter');
    const tab = this.page.locator('.tabs-container .tab', { hasText: name });
    await tab.waitFor({ timeout: 10_000 });
  }

  /**
   * Opens a workspace file and selects lines `from`..`to` (1-based) with the keyboard: Go to Line,
   * then Shift+Down and Shift+End. Resolves with the highlighted selection's locator.
   */
  async selectLines(relativePath, from, to) {
    await this.openFile(relativePath);
    await this.page.locator('.monaco-editor .view-lines').first().click();
    await this.page.keyboard.press('Control+G');
    await this.answerInputBox(`:${from}`);
    for (let line = from; line < to; line++) await this.page.keyboard.press('Shift+ArrowDown');
    await this.page.keyboard.press('Shift+End');
    const selection = this.page.locator('.monaco-editor .selected-text').first();
    await selection.waitFor({ timeout: 5_000 });
    return selection;
  }

  /** The explorer row of a workspace file, expanding its folders first. */
  async explorerItem(relativePath) {
    const tree = this.page.locator('.explorer-folders-view');
    const parts = relativePath.split('/');
    for (const [i, name] of parts.entries()) {
      const row = tree.getByRole('treeitem', { name, exact: true }).first();
      await row.waitFor({ timeout: 10_000 });
      if (i === parts.length - 1) return row;
      if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    }
    throw new Error(`no path in ${relativePath}`);
  }

  /**
   * Clicks an item of the open context menu (VS Code draws it in a shadow root; Playwright pierces
   * it). A menu that has just opened may let a click pass, so the item is hovered until the menu
   * shows it focused, clicked, and the click counts once the menu has closed (or, for a submenu,
   * opened it); if it has not, Enter chooses the focused item as a keyboard user would.
   */
  async clickMenuItem(label) {
    // The whole label, not a part of it: "Vision Chat" (the submenu) must not find "Add to Vision Chat".
    const whole = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    const entry = this.page.locator('.monaco-menu .action-item:not(.disabled)', { has: this.page.locator('.action-label', { hasText: whole }) }).first();
    const item = entry.locator('.action-label', { hasText: whole }).first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await waitFor(
      async () => {
        await item.hover();
        return entry.evaluate((el) => el.classList.contains('focused'));
      },
      { timeout: 5_000, message: `the menu to focus "${label}"` },
    );
    const chosen = async () => !(await item.isVisible()) || (await entry.locator('[aria-expanded="true"]').count()) > 0;
    await item.click();
    const took = await waitFor(chosen, { timeout: 2_000, message: `"${label}" to be chosen` }).catch(() => false);
    if (!took) {
      await this.page.keyboard.press('Enter');
      await waitFor(chosen, { timeout: 5_000, message: `"${label}" to be chosen (by Enter)` });
    }
  }

  /**
   * The modal dialog whose text includes `text` (any dialog without it): VS Code draws its own
   * questions (workspace trust) and an extension's modal messages in the page, over a shade that
   * blocks the rest.
   */
  dialog(text) {
    return this.page.locator('.monaco-dialog-box', text === undefined ? {} : { hasText: text });
  }

  /** Waits for the dialog showing `text` and clicks its button `button`; resolves once it has closed. */
  async answerDialog(text, button, { timeout = 10_000 } = {}) {
    const dialog = this.dialog(text);
    await dialog.waitFor({ timeout });
    await dialog.getByRole('button', { name: button, exact: true }).click();
    await dialog.waitFor({ state: 'detached', timeout: 5_000 });
  }

  async screenshot(file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
  }
}

/** The chat view's document, reached the way its user reaches it: the prompt box, buttons, messages. */
export class ChatView {
  /** @param {import('playwright-core').Frame} frame */
  constructor(frame) {
    this.frame = frame;
  }

  /** The host has sent its state: the model picker names a model. */
  async ready() {
    await waitFor(async () => (await this.modelId()) !== '', { timeout: 15_000, message: 'the chat view to receive its state (a model in the picker)' });
  }

  input() {
    return this.frame.getByRole('textbox', { name: 'Message' });
  }

  /** The button naming the current model ("Model: Llama 3.2 11B Vision Instruct, DeepInfra"). */
  modelPicker() {
    return this.frame.getByRole('button', { name: /^Model:/ });
  }

  /** The id of the model the picker shows. */
  async modelId() {
    return (await this.modelPicker().getAttribute('data-model-id')) ?? '';
  }

  /** Opens the picker and types `query` in its search box; returns the option rows it lists. */
  async searchModels(query) {
    if ((await this.modelPicker().getAttribute('aria-expanded')) !== 'true') await this.modelPicker().click();
    const search = this.frame.getByRole('combobox', { name: 'Search models' });
    await search.fill(query);
    return this.frame.getByRole('listbox', { name: 'Models' }).getByRole('option');
  }

  /** Chooses a model the way a user does: open the picker, type its id, click its row. */
  async selectModel(id) {
    const rows = await this.searchModels(id);
    await rows.and(this.frame.locator(`[data-model-id="${id}"]`)).click();
    await waitFor(async () => (await this.modelId()) === id, { message: `the picker to show ${id}` });
  }

  /**
   * The one model row a search for `query` lists, waited for: a live listing arrives in the
   * background, so the rows grow once it has.
   */
  async findOneModel(query, { timeout = 20_000, message = `one model for "${query}" in the picker` } = {}) {
    return waitFor(async () => {
      const rows = await this.searchModels(query);
      return (await rows.count()) === 1 ? rows.first() : undefined;
    }, { timeout, message });
  }

  /** The chips waiting above the prompt box (a sent prompt's are in its own list). */
  chips() {
    return this.frame.getByRole('list', { name: 'Attached context' }).getByRole('listitem');
  }

  /** A sent prompt's chips. */
  sentChips(message) {
    return message.getByRole('list', { name: 'Context sent with this prompt' }).getByRole('listitem');
  }

  /** Types `query` (a `#word`) key by key, waits for a row matching `option` in the `#` list, and takes the first with Enter. */
  async attachWithHash(query, option) {
    await this.input().click();
    await this.input().pressSequentially(query);
    await this.frame.getByRole('listbox', { name: 'Context to attach' }).getByRole('option', { name: option }).first().waitFor({ timeout: 15_000 });
    await this.input().press('Enter');
  }

  /** Types a prompt and presses Enter. */
  async send(text) {
    await this.input().fill(text);
    await this.input().press('Enter');
  }

  stopButton() {
    return this.frame.getByRole('button', { name: 'Stop (Escape)' });
  }

  messages() {
    return this.frame.locator('article.message');
  }

  answers() {
    return this.frame.locator('article.message.assistant');
  }

  lastAnswer() {
    return this.answers().last();
  }

  /** The visible text of an answer's body (the last answer by default). */
  async answerText(answer = this.lastAnswer()) {
    return textOf(answer.locator('.message-body'));
  }

  /** Waits until the last answer is no longer in progress; returns its locator. */
  async waitForAnswer({ timeout = 30_000 } = {}) {
    await this.lastAnswer().waitFor({ timeout });
    await waitFor(async () => !(await this.lastAnswer().evaluate((el) => el.classList.contains('in-progress'))), {
      timeout,
      message: 'the answer to finish',
    });
    return this.lastAnswer();
  }

  /**
   * The visible lengths an answer's text went through from now until it finished, recorded by the
   * page on every change it drew (a MutationObserver), so nothing is sampled on a timer.
   */
  async lengthsUntilDone(answer = this.lastAnswer(), { timeout = 30_000 } = {}) {
    await answer.waitFor({ timeout });
    return answer.evaluate(
      (el, timeoutMs) =>
        new Promise((resolve, reject) => {
          const length = () => (el.querySelector('.message-body')?.textContent ?? '').replace(/\s+/g, ' ').trim().length;
          const lengths = [length()];
          const finish = () => {
            observer.disconnect();
            clearTimeout(timer);
            resolve(lengths);
          };
          const observer = new MutationObserver(() => {
            const now = length();
            if (now !== lengths.at(-1)) lengths.push(now);
            if (!el.classList.contains('in-progress')) finish();
          });
          const timer = setTimeout(() => (observer.disconnect(), reject(new Error(`the answer did not finish within ${timeoutMs} ms (lengths: ${lengths.join(', ')})`))), timeoutMs);
          observer.observe(el, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class'] });
          if (!el.classList.contains('in-progress')) finish();
        }),
      timeout,
    );
  }

  /** The error box of an answer, and its buttons by their labels. */
  errorBox(answer = this.lastAnswer()) {
    return answer.getByRole('group', { name: 'Error' });
  }
}

/** Requests for an answer the simulator received (key checks, balance reads, model listings and control calls left out). */
export function modelRequests(sim) {
  return sim.requests.filter((r) => r.method === 'POST' && r.provider !== 'control' && !r.path.endsWith('/api/show'));
}

/** Text inside a frame, whitespace collapsed. */
export async function textOf(locator) {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

export { assert };
