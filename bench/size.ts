// Size: the production bundles and the .vsix, as `npm run package` makes them (in a temporary copy
// of the repository, so the dist/ other work uses is left alone).

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { kb, log, packageInTemporaryCopy, report, requireFiles, run } from './lib';

const BUDGETS = [
  { what: 'extension bundle (dist/extension.js)', file: 'dist/extension.js', max: 250 * 1024 },
  { what: 'webview bundle (dist/webview.js)', file: 'dist/webview.js', max: 300 * 1024 },
  { what: 'package (.vsix)', file: 'dist-vsix/open-vision-chat.vsix', max: 1.5 * 1024 * 1024 },
];

run(async () => {
  requireFiles('size', ['src/extension/extension.ts', 'src/webview/main.ts']);
  log('npm run package (production build + vsce) in a temporary copy');
  const copy = await packageInTemporaryCopy();
  try {
    for (const { what, file, max } of BUDGETS) {
      const bytes = statSync(join(copy.dir, file)).size;
      report({ what, value: kb(bytes), budget: `≤ ${kb(max)}`, ok: bytes <= max });
    }
  } finally {
    copy.remove();
  }
});
