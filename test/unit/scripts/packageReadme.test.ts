// The README inside the .vsix: vsce refuses relative links without a repository, and the .vsix
// ships neither the screenshots nor the documents they point at.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
// @ts-expect-error -- a plain .mjs build script without types
import { packageReadme } from '../../../scripts/package-readme.mjs';

const rewrite = packageReadme as (markdown: string) => string;

describe('the packaged README', () => {
  it('turns relative images into their description and relative links into text, keeping URLs and anchors', () => {
    const out = rewrite(
      '| ![Dark theme](docs/chat-dark.png) |\nSee [src/core/README.md](src/core/README.md), [the notes](docs/perf/NOTES.md), [VS Code](https://code.visualstudio.com), [above](#install) and ![badge](https://img.example/b.png).',
    );
    assert.equal(
      out,
      '| *Dark theme* |\nSee `src/core/README.md`, the notes (`docs/perf/NOTES.md` in the source), [VS Code](https://code.visualstudio.com), [above](#install) and ![badge](https://img.example/b.png).',
    );
  });

  it('leaves no relative link in the real README', () => {
    const out = rewrite(readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8'));
    const relative = [...out.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^(https?:|mailto:|#)/.test(t));
    assert.deepEqual(relative, []);
  });
});
