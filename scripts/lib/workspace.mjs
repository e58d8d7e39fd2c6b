// The sample workspace `npm start` opens and the end-to-end tests work in: a code file to select and
// explain, and a PNG to describe.

import fs from 'node:fs';
import path from 'node:path';
import { samplePicture } from './png.mjs';

export const SAMPLE_CODE_FILE = 'src/debounce.ts';
export const SAMPLE_IMAGE_FILE = 'images/landscape.png';

const SAMPLE_CODE = `// Select a few lines, right-click and choose "Explain Selection".

/** Calls \`fn\` once calls have stopped for \`waitMs\`; the last call's arguments win. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, waitMs: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...args);
    }, waitMs);
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
`;

const README = `# Open Vision Chat sample

- Open the Vision Chat view in the activity bar, or press F1 and run **Vision Chat: Open Chat**.
- In \`${SAMPLE_CODE_FILE}\`, select some lines, right-click, **Explain Selection**.
- In the Explorer, right-click \`${SAMPLE_IMAGE_FILE}\`, **Describe Image**.
`;

/** Writes the sample files into `dir` (creating it), leaving any other files there alone. */
export function createSampleWorkspace(dir) {
  const files = {
    [SAMPLE_CODE_FILE]: SAMPLE_CODE,
    [SAMPLE_IMAGE_FILE]: samplePicture(),
    'README.md': README,
  };
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}
