// Screenshots of the chat view in each theme, for looking at it as a person would:
//   npx tsx test/webview/screenshots.ts [outDir]
// Writes welcome-*.png, chat-*.png, composer-*.png, context-*.png and narrow-*.png.

import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ViewMessage } from '../../src/protocol';
import { MODELS, SAMPLE_ANSWER, TEXT_MODEL_ID, VISION_MODEL_ID, state, unbreakableMessages } from './fixtures';
import { buildWebview, launchChromium, openWebview, startHarness, type WebviewPage } from './harness';
import type { ThemeName } from './themes';

async function sampleImage(view: WebviewPage): Promise<string> {
  return view.page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 200;
    const g = canvas.getContext('2d')!;
    const gradient = g.createLinearGradient(0, 0, 320, 200);
    gradient.addColorStop(0, '#3a7bd5');
    gradient.addColorStop(1, '#00d2ff');
    g.fillStyle = gradient;
    g.fillRect(0, 0, 320, 200);
    g.fillStyle = '#ffffff';
    g.font = 'bold 28px sans-serif';
    g.fillText('Login failed', 70, 110);
    return canvas.toDataURL('image/png');
  });
}

function chat(imageUrl: string): ViewMessage[] {
  const now = Date.now();
  return [
    { id: 'u1', role: 'user', text: 'Explain this code from `src/search.ts` (lines 12–15, typescript).\nWhy does it call the API on every key?\n\n```typescript\ninput.addEventListener(\'input\', () => {\n  search(input.value);\n});\n```' },
    {
      id: 'a1', role: 'assistant', text: SAMPLE_ANSWER, modelName: 'Llama 3.2 11B Vision Instruct', status: 'done',
      stats: { promptTokens: 812, completionTokens: 164, costUsd: 0.0000488, firstTokenMs: 420, totalMs: 2310 },
    },
    { id: 'u2', role: 'user', text: 'What does this screenshot show?', images: [{ id: 'i1', name: 'login.png', mime: 'image/png', dataUrl: imageUrl, width: 320, height: 200, bytes: 14_210 }] },
    { id: 'a2', role: 'assistant', text: 'The screenshot shows a **login form** with an error banner that reads "Login failed". The most likely causes are', modelName: 'Llama 3.2 11B Vision Instruct', status: 'stopped', stats: { completionTokens: 23, totalMs: 1200 } },
    { id: 'u3', role: 'user', text: 'Try again on Segmind' },
    {
      id: 'a3', role: 'assistant', text: '', modelName: 'Llama 3.2 90B Vision Instruct', status: 'error',
      error: { kind: 'outOfCredits', message: 'Your Segmind credits are used up. Top up to keep chatting, or pick a DeepInfra model.', detail: 'HTTP 406: {"error":"Insufficient credits"}', actions: ['openBilling', 'retry', 'selectModel'], billingUrl: 'https://cloud.segmind.com/console/billing' },
    },
    { id: 'u4', role: 'user', text: 'Describe the image in one sentence.' },
    { id: 'a4', role: 'assistant', text: '', modelName: 'LLaVA 1.6 7B', status: 'waiting', startedAt: now - 7_000, note: 'Using LLaVA 1.6 7B: the chat’s model cannot see images.' },
  ];
}

/** A sent prompt with its chips, chips above the box, and the `#` list open over them. */
async function showContext(view: WebviewPage): Promise<void> {
  const sent: ViewMessage = {
    id: 'u1', role: 'user', text: 'Why does the search fire on every key?',
    context: [
      { id: 's1', kind: 'file', label: 'src/search.ts', tokens: 1840, location: { path: 'src/search.ts' } },
      { id: 's2', kind: 'problems', label: 'Problems (2)', tokens: 120 },
    ],
  };
  await view.send({ type: 'state', state: state([sent], { models: MODELS.map((m) => ({ ...m, contextLength: 8192 })) }) });
  await view.send({
    type: 'addContext',
    chips: [
      { id: 'c1', kind: 'selection', label: 'composer.ts:12-30', tokens: 850, location: { path: 'src/webview/composer.ts', startLine: 12, endLine: 30 } },
      { id: 'c2', kind: 'folder', label: 'src/webview', tokens: 9_400, location: { path: 'src/webview' }, note: '2 files over 100 KB left out' },
      { id: 'c3', kind: 'changes', label: 'Changes', tokens: 310 },
    ],
  });
  await view.page.locator('textarea').focus();
  await view.page.keyboard.type('Refactor this #comp');
  const request = await view.page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string; query?: string; requestId?: string }[] }).__posted.find((m) => m.type === 'suggestContext' && m.query === 'comp')?.requestId,
  );
  await view.send({
    type: 'contextSuggestions',
    requestId: (await request.jsonValue())!,
    suggestions: [
      { label: 'src/webview/composer.ts', detail: 'src/webview', ref: { kind: 'file', path: 'src/webview/composer.ts' } },
      { label: 'src/webview/contextCompletion.ts', detail: 'src/webview', ref: { kind: 'file', path: 'src/webview/contextCompletion.ts' } },
      { label: 'test/unit/webview/context.test.ts', detail: 'test/unit/webview', ref: { kind: 'file', path: 'test/unit/webview/context.test.ts' } },
    ],
  });
  await view.page.locator('.context-suggestion').first().waitFor();
  await view.page.keyboard.press('ArrowDown');
  await view.frames();
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? 'test-results/webview-screenshots');
  const dist = await mkdtemp(path.join(os.tmpdir(), 'ovc-webview-'));
  await buildWebview(dist);
  const harness = await startHarness({ distDir: dist });
  const browser = await launchChromium();
  try {
    for (const theme of ['dark', 'light', 'highContrast'] as ThemeName[]) {
      const welcome = await openWebview(browser, harness, { theme, width: 400, height: 720 });
      await welcome.send({ type: 'state', state: state() });
      await welcome.frames();
      await welcome.page.screenshot({ path: path.join(outDir, `welcome-${theme}.png`) });

      const view = await openWebview(browser, harness, { theme, width: 400, height: 1500 });
      await view.send({ type: 'state', state: state(chat(await sampleImage(view)), { busy: true }) });
      await view.frames();
      await view.page.screenshot({ path: path.join(outDir, `chat-${theme}.png`) });

      const composer = await openWebview(browser, harness, { theme, width: 400, height: 520 });
      await composer.send({ type: 'state', state: state([], { modelId: TEXT_MODEL_ID }) });
      const base64 = (await sampleImage(composer)).split(',')[1]!;
      await composer.send({ type: 'attachImages', images: [{ name: 'login.png', mime: 'image/png', base64 }] });
      await composer.page.fill('textarea', 'What is wrong with this login form?');
      await composer.page.waitForSelector('.thumbnail img');
      await composer.page.screenshot({ path: path.join(outDir, `composer-${theme}.png`) });
      if (view.cspViolations.length || view.pageErrors.length) console.error(theme, view.cspViolations, view.pageErrors);

      const context = await openWebview(browser, harness, { theme, width: 400, height: 560 });
      await showContext(context);
      await context.page.screenshot({ path: path.join(outDir, `context-${theme}.png`) });
      if (context.cspViolations.length || context.pageErrors.length) console.error(theme, context.cspViolations, context.pageErrors);

      const narrow = await openWebview(browser, harness, { theme, width: 300, height: 1500 });
      await narrow.send({ type: 'state', state: state(unbreakableMessages()) });
      await narrow.page.locator('[data-id="n4"] .error-detail summary').click();
      await narrow.frames();
      await narrow.page.screenshot({ path: path.join(outDir, `narrow-${theme}.png`) });
    }
    void VISION_MODEL_ID;
  } finally {
    await browser.close();
    await harness.close();
  }
  console.log(`screenshots in ${outDir}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
