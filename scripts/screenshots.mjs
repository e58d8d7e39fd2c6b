#!/usr/bin/env node
// The README's pictures of the chat view, taken in a real VS Code (code-server) the way a person
// would make them, in a dark and a light theme:
//
//   node scripts/screenshots.mjs [--theme dark|light] [--out docs]
//
// Packages the extension (`npm run package`), starts the provider simulator in this process, and for
// each theme starts code-server with a fresh profile, the extension installed, settings pointing at
// the simulator and `workbench.colorTheme` set. In Chromium (1280×800, device scale 1) it sets a
// DeepInfra and a Segmind key through Vision Chat: Set API Key…, runs Explain Selection on the sample
// workspace's debounce function and Describe Image on its PNG, waits for both answers, clears the
// notifications and writes docs/chat-dark.png and docs/chat-light.png.
//
// code-server and Node 24 come from `scripts/setup-e2e.mjs` (cached in .vscode-test/); the profiles
// stay in .vscode-test/screenshots/<theme>/ for a look afterwards. Nothing leaves 127.0.0.1.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { tsImport } from 'tsx/esm/api';
import { delay, installExtension, packageVsix, writeUserSettings } from './lib/codeServer.mjs';
import { SAMPLE_CODE_FILE, SAMPLE_IMAGE_FILE } from './lib/workspace.mjs';
import { CACHE, ROOT, setupE2e } from './setup-e2e.mjs';
import { CHROMIUM_ARGS, ChatView, VsCode, waitFor } from '../test/e2e/harness.mjs';

const THEMES = {
  dark: 'Default Dark Modern',
  light: 'Default Light Modern',
};

const { values: args } = parseArgs({
  options: {
    theme: { type: 'string' },
    out: { type: 'string', default: path.join(ROOT, 'docs') },
  },
});

const WINDOW = { width: 1280, height: 800 };
/** Wide enough for the code block's buttons and the tokens-and-cost line on one line. */
const SIDE_BAR_WIDTH = 440;
/** The PNGs go into the repository; anything larger should be cropped or recompressed. */
const MAX_BYTES = 300 * 1024;
const WORK = path.join(CACHE, 'screenshots');

/** Settings for a clean picture: the theme, and none of the workbench's own hints. */
function pictureSettings(theme) {
  return {
    'workbench.colorTheme': THEMES[theme],
    'workbench.activityBar.location': 'default',
    'editor.minimap.enabled': false,
    'breadcrumbs.enabled': false,
    'editor.renderWhitespace': 'none',
    'window.commandCenter': false,
    'workbench.layoutControl.enabled': false,
    'chat.commandCenter.enabled': false,
    'editor.lightbulb.enabled': 'off',
    'editor.scrollbar.horizontal': 'hidden', // the long signature line would show one
    // The simulator's port would show as a forwarded port in the status bar.
    'remote.autoForwardPorts': false,
  };
}

async function main() {
  const themes = args.theme ? [args.theme] : Object.keys(THEMES);
  for (const theme of themes) if (!THEMES[theme]) throw new Error(`Unknown theme "${theme}". Use ${Object.keys(THEMES).join(' or ')}.`);

  const tools = await setupE2e();
  await packageVsix();
  fs.rmSync(WORK, { recursive: true, force: true });
  const template = path.join(WORK, 'template');
  writeUserSettings(path.join(template, 'user-data'), {});
  await installExtension(tools, { extensionsDir: path.join(template, 'extensions'), userDataDir: path.join(template, 'user-data') });

  const { startSimulator } = await tsImport(path.join(ROOT, 'src', 'simulator', 'server.ts'), import.meta.url);
  const answers = await answerLengths();
  const browser = await chromium.launch({ executablePath: tools.chromium, headless: true, args: CHROMIUM_ARGS });
  let vs;
  let sim;
  const stop = async () => {
    await vs?.stop();
    await browser.close().catch(() => {});
    await sim?.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop().then(() => process.exit(130)));

  try {
    fs.mkdirSync(args.out, { recursive: true });
    for (const theme of themes) {
      sim = await startSimulator({ tokensPerSecond: 200, credits: 24.6 });
      vs = await VsCode.start({
        name: `screenshots-${theme}`,
        tools,
        browser,
        sim,
        dir: path.join(WORK, theme),
        extensionsTemplate: path.join(template, 'extensions'),
        settings: pictureSettings(theme),
      });
      const file = path.join(args.out, `chat-${theme}.png`);
      await stage(vs, sim, answers).catch(async (error) => {
        const shot = path.join(WORK, `${theme}-failure.png`);
        await vs.page.screenshot({ path: shot }).catch(() => {});
        throw new Error(`${error.message}\n(the screen at the failure: ${path.relative(ROOT, shot)})`, { cause: error });
      });
      await vs.page.screenshot({ path: file, type: 'png' });
      const kb = Math.round(fs.statSync(file).size / 1024);
      console.log(`[screenshots] ${path.relative(ROOT, file)} (${kb} KB)`);
      if (fs.statSync(file).size > MAX_BYTES) console.warn(`[screenshots] ${path.basename(file)} is over ${MAX_BYTES / 1024} KB`);
      await vs.stop();
      vs = undefined;
      await sim.close();
      sim = undefined;
    }
  } finally {
    await stop();
  }
}

/**
 * Builds the conversation the picture shows, through the UI only: Explain Selection on the debounce
 * function, then Describe Image on the sample PNG, so the picture ends on the thumbnail and its
 * answer with the code block, its buttons and the tokens-and-cost line above them.
 */
async function stage(vs, sim, answers) {
  const page = vs.page;
  await page.setViewportSize(WINDOW);

  await vs.setApiKey('Segmind', sim.validKey); // the status bar's credits
  await vs.setApiKey('DeepInfra', sim.validKey);
  await vs.openChat();
  await widenSideBar(page);

  // Explain Selection on the debounce function (lines 4–13), from the editor's context menu.
  sim.configure({ answerTokens: answers.explain });
  const selection = await vs.selectLines(SAMPLE_CODE_FILE, 4, 13);
  const box = await selection.boundingBox();
  await page.mouse.click(box.x + Math.min(40, box.width / 2), box.y + box.height / 2, { button: 'right' });
  await vs.clickMenuItem('Explain Selection');
  const chat = new ChatView(await vs.chatFrame());
  await chat.waitForAnswer();

  // Describe Image from the Explorer's context menu: the thumbnail, then the description.
  sim.configure({ answerTokens: answers.describe });
  await vs.runCommand('View: Show Explorer');
  const item = await vs.explorerItem(SAMPLE_IMAGE_FILE);
  await item.click({ button: 'right' });
  await vs.clickMenuItem('Describe Image');
  // Showing the Explorer hid the chat; the command shows it again, in a new frame.
  const revealed = new ChatView(await vs.chatFrame());
  await revealed.frame.locator('article.message.user img.message-image').waitFor({ timeout: 15_000 });
  await waitFor(async () => (await revealed.answers().count()) >= 2, { message: 'the second answer' });
  await revealed.waitForAnswer();
  // The chat was hidden while the Explorer showed; scroll to the end as a person would.
  const sideBar = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
  await page.mouse.move(sideBar.x + sideBar.width / 2, sideBar.y + sideBar.height / 2);
  await page.mouse.wheel(0, 10_000);

  await tidy(vs);
}

/**
 * How many tokens make the simulator's answer end with its code block, before the filler it pads
 * longer answers with ("Filler words pad this answer…" reads badly in a README). The count depends
 * only on how many digit groups the request's numbers have, so typical values stand in for them.
 */
async function answerLengths() {
  const { buildAnswer, summarize } = await tsImport(path.join(ROOT, 'src', 'simulator', 'answers.ts'), import.meta.url);
  const png = { image: { source: 'data-url', declaredMime: 'image/png', sniffedMime: 'image/png', bytes: 1826, width: 320, height: 200 } };
  const untilFiller = (images, promptChars) => {
    const { tokens } = buildAnswer(summarize('meta-llama/Llama-3.2-11B-Vision-Instruct', 3, promptChars, images), 1000, 'ok');
    return tokens.findIndex((t) => t.startsWith('Filler'));
  };
  return { explain: untilFiller([], 900), describe: untilFiller([png], 60) };
}

/** Drags the side bar's edge so the chat is SIDE_BAR_WIDTH pixels wide. */
async function widenSideBar(page) {
  const sideBar = page.locator('#workbench\\.parts\\.sidebar');
  const box = await sideBar.boundingBox();
  const edge = box.x + box.width;
  // The grid's sash nearest the side bar's right edge is the one a person would drag.
  const sashes = await page.locator('.monaco-sash.vertical').evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).filter((r) => r.height > 100).map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 })));
  const sash = sashes.sort((a, b) => Math.abs(a.x - edge) - Math.abs(b.x - edge))[0];
  await page.mouse.move(sash.x, sash.y);
  await page.mouse.down();
  await page.mouse.move(box.x + SIDE_BAR_WIDTH, sash.y, { steps: 10 });
  await page.mouse.up();
  await waitFor(async () => Math.abs((await sideBar.boundingBox()).width - SIDE_BAR_WIDTH) <= 2, { message: `the side bar to be ${SIDE_BAR_WIDTH} px wide` });
}

/** No toasts, no open menus or quick inputs, the pointer out of the way. */
async function tidy(vs) {
  await vs.closeQuickInput();
  await vs.runCommand('Notifications: Clear All Notifications');
  await waitFor(async () => (await vs.page.locator('.notification-toast').count()) === 0, { message: 'the notifications to close' });
  // The empty part of the activity bar: nothing there shows a hover or a scroll bar.
  await vs.page.mouse.move(24, WINDOW.height - 300);
  await delay(500);
}

main().catch((error) => {
  console.error(`[screenshots] ${error.stack ?? error.message}`);
  process.exit(1);
});
