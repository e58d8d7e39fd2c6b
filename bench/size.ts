// Size: the production bundles and the .vsix, as `npm run package` makes them. The build runs in a
// temporary copy of the repository so it never overwrites the dist/ other work is using.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kb, log, report, requireFiles, root, run } from './lib';

const BUDGETS = [
  { what: 'extension bundle (dist/extension.js)', file: 'dist/extension.js', max: 250 * 1024 },
  { what: 'webview bundle (dist/webview.js)', file: 'dist/webview.js', max: 300 * 1024 },
  { what: 'package (.vsix)', file: 'dist-vsix/open-vision-chat.vsix', max: 1.5 * 1024 * 1024 },
];

/** Left out of the copy: dependencies are linked, not copied; build outputs and caches are not inputs. */
const SKIP = new Set(['node_modules', '.git', 'dist', 'dist-vsix', 'out', '.vscode-test', 'test-results']);

run(async () => {
  requireFiles('size', ['src/extension/extension.ts', 'src/webview/main.ts']);
  const copy = mkdtempSync(join(tmpdir(), 'ovc-size-'));
  try {
    for (const entry of readdirSync(root)) {
      if (!SKIP.has(entry)) cpSync(join(root, entry), join(copy, entry), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
    log('npm run package (production build + vsce) in a temporary copy');
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: copy, stdio: ['ignore', 'ignore', 'inherit'] });
    for (const { what, file, max } of BUDGETS) {
      const bytes = statSync(join(copy, file)).size;
      report({ what, value: kb(bytes), budget: `≤ ${kb(max)}`, ok: bytes <= max });
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
