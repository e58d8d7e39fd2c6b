// What the code-server benchmarks share, from the end-to-end harness (scripts/, test/e2e/): the
// tools (code-server, Node 24, Chromium), the extension packaged and installed as a user installs
// it, and a fresh VS Code per run against an in-process simulator.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { tsImport } from 'tsx/esm/api';
import { log, packageInTemporaryCopy, root } from './lib.ts';

export const NEEDS = ['src/extension/extension.ts', 'scripts/setup-e2e.mjs', 'scripts/lib/codeServer.mjs', 'test/e2e/harness.mjs'];

/**
 * Sets everything up once; `start()` opens a fresh VS Code on it. `close()` stops the browser and
 * the simulator and deletes the temporary folders.
 * @param {{ simulator?: object }} [options]
 */
export async function codeServerBench(options = {}) {
  const { setupE2e } = await import('../scripts/setup-e2e.mjs');
  const { installExtension, writeUserSettings } = await import('../scripts/lib/codeServer.mjs');
  const { CHROMIUM_ARGS, VsCode } = await import('../test/e2e/harness.mjs');
  const { startSimulator } = await tsImport(path.join(root, 'src', 'simulator', 'server.ts'), import.meta.url);

  const tools = await setupE2e({ quiet: true });
  log('packaging and installing the extension');
  const copy = await packageInTemporaryCopy();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ovc-bench-vscode-'));
  const template = path.join(work, 'template');
  writeUserSettings(path.join(template, 'user-data'), {});
  await installExtension(tools, { vsix: copy.vsix, extensionsDir: path.join(template, 'extensions'), userDataDir: path.join(template, 'user-data') });
  const sim = await startSimulator(options.simulator ?? {});
  const browser = await chromium.launch({ executablePath: tools.chromium, headless: true, args: CHROMIUM_ARGS });
  let runs = 0;
  return {
    tools,
    sim,
    browser,
    /** @param {object} [settings] user settings on top of the simulator's */
    start(settings = {}) {
      const dir = path.join(work, `run-${runs++}`);
      return VsCode.start({ name: path.basename(dir), tools, browser, sim, dir, extensionsTemplate: path.join(template, 'extensions'), settings });
    },
    async close() {
      await browser.close();
      await sim.close();
      copy.remove();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}
