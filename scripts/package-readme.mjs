#!/usr/bin/env node
// Part of `vscode:prepublish`: writes dist/README.md, the README that goes into the .vsix (package.json
// `vsce.readmePath`). The repository's README links to screenshots and documents by relative paths;
// the .vsix ships neither and has no repository to resolve them against (vsce refuses such links),
// so here an image becomes its description in italics and a link becomes its text and path.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `![alt](path)` and `[text](path)` whose target is neither a URL, an anchor nor mailto:, rewritten. */
export function packageReadme(markdown) {
  const relative = (target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#');
  return markdown
    .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (all, alt, target) => (relative(target) ? `*${alt.trim() || path.basename(target)}*` : all))
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (all, text, target) => {
      if (!relative(target)) return all;
      return text === target ? `\`${target}\`` : `${text} (\`${target}\` in the source)`;
    });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.join(ROOT, 'dist', 'README.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, packageReadme(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')));
}
