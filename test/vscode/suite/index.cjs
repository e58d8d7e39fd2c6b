// Entry VS Code's extension host loads for `npm run test:vscode`: runs the *.test.cjs files beside
// it with mocha and reports failures through the returned promise.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: the extension host require()s this file. */

const path = require('node:path');
const fs = require('node:fs');
const Mocha = require('mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', color: true, timeout: 20_000 });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.cjs')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
};
