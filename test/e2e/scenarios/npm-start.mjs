// `npm start` for a newcomer: the extension started the way scripts/start.mjs starts it (every
// provider at the simulator, the simulator's key handed over) answers the first question with no key
// to paste, and the key picker says whose key that is: the simulator's, not one the user stored.

import { simulatorKeyEnv } from '../../../scripts/lib/codeServer.mjs';
import { assert, modelRequests, waitFor } from '../harness.mjs';

export default {
  name: 'npm-start',
  title: 'as npm start sets it up, the first question answers with no key to paste; the key picker names the simulator’s key',
  env: (sim) => simulatorKeyEnv(sim),
  async run(vs, sim) {
    const chat = await vs.openChat();
    await chat.send('What can you do?');
    await chat.waitForAnswer();
    assert.match(await chat.answerText(), /Simulator answer from meta-llama\/Llama-3\.2-11B-Vision-Instruct/);
    assert.equal(await vs.quickInputVisible(), false, 'no key prompt opened');
    const [request] = modelRequests(sim);
    assert.ok(request?.authorized, 'the simulator accepted the key it was sent');

    // The picker tells the truth about the key in use, and nothing was stored as the user's.
    await vs.runCommand('Vision Chat: Set API Key…');
    await vs.quickPick({ title: 'Set API Key', includes: ['DeepInfra', 'Segmind'] });
    const rows = await waitFor(async () => {
      const texts = (await vs.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      return texts.some((t) => t.startsWith('DeepInfra')) ? texts : undefined;
    }, { message: 'the provider rows' });
    const deepinfra = rows.find((t) => t.startsWith('DeepInfra'));
    assert.match(deepinfra, /the simulator’s key \(npm start\)/, `DeepInfra's row: ${deepinfra}`);
    assert.ok(!rows.some((t) => /key stored in VS Code/.test(t)), `no key is stored: ${rows.join(' | ')}`);
    await vs.page.keyboard.press('Escape');
  },
};
