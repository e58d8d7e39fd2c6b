// Chromium for the webview benchmarks: Debian's build driven by playwright-core (which never
// downloads a browser), and esbuild to bundle the webview code a benchmark loads into a page.

import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { resolve } from 'node:path';
import { root } from './lib';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Bundles a browser module (path from the repository root) into a script that sets `globalName`. */
export async function bundleForBrowser(entry: string, globalName: string): Promise<string> {
  const result = await build({
    entryPoints: [resolve(root, entry)],
    bundle: true,
    write: false,
    format: 'iife',
    globalName,
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
