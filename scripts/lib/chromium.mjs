// The browser every Chromium test drives (the chat view's unit tests, the e2e suite, the benchmarks),
// and the rule for a test that cannot find it: on a developer's machine it skips and says why in one
// line; under CI (CI=true) it fails, because `npm test` installs Chromium before the first stage
// that needs it and a skip there would hide a broken set-up.

import fs from 'node:fs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How to get a browser, in one line. */
export const INSTALL_CHROMIUM = 'as root, `node scripts/setup-e2e.mjs --browser` (or `apt-get install -y chromium`), or set CHROMIUM_PATH to a Chromium or Chrome binary';

/** CHROMIUM_PATH, else Debian's Chromium or a Chrome at the usual places; undefined when none is there. */
export function findChromium(env = process.env) {
  const candidates = [env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((p) => p && fs.existsSync(p));
}

/** Whether this is a CI run, where a missing tool the project can install is a failure, never a skip. */
export function inCi(env = process.env) {
  const value = env.CI?.trim();
  return !!value && !/^(0|false|no)$/i.test(value);
}
