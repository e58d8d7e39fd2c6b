// Issue 11: the models a provider lists, not only the built-in ones. A model only the simulator's
// DeepInfra listing knows appears in the chat view's picker with its price, is chosen by typing
// part of its name, answers, and its cost shows under the answer; the next time the picker opens it
// is on top, under "Recently used", and so it is in Select Model. With the listing down, the
// built-in models show with a note saying why.

import { assert, modelRequests, waitFor } from '../harness.mjs';

const LISTED_ONLY = 'Zephyr Orbit 12B Instruct';
const LISTED_ID = 'deepinfra:simulated/Zephyr-Orbit-12B-Instruct';

/** The rows of the open quick pick: label and description, whitespace collapsed. */
async function quickRows(vs) {
  return vs.page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .allInnerTexts()
    .then((rows) => rows.map((r) => r.replace(/\s+/g, ' ').trim()));
}

export const liveCatalog = {
  name: 'live-catalog',
  title: 'a model only the DeepInfra listing knows is found in the picker by typing, shows its price, answers, and its cost shows',
  timeoutMs: 120_000,
  async run(vs, sim) {
    await vs.setApiKey('DeepInfra', sim.validKey);
    const chat = await vs.openChat();
    // The listing is read in the background: the picker's rows grow once it arrives.
    const row = await chat.findOneModel('zephyr orb', { message: 'the listed model in the picker' });
    assert.equal(await row.getAttribute('data-model-id'), LISTED_ID);
    assert.equal((await row.locator('.model-option-details').innerText()).trim(), '64K · $0.11/$0.22 per M', 'its context and price');
    assert.match(await row.getAttribute('aria-label'), /^Zephyr Orbit 12B Instruct, DeepInfra, .*\$0\.11 input, \$0\.22 output per million tokens/);
    await vs.screenshot('test-results/e2e/live-catalog-picker.png');
    await vs.page.keyboard.press('Enter');
    await waitFor(async () => (await chat.modelId()) === LISTED_ID, { message: 'the chat to use it' });

    await chat.send('Say hello.');
    const answer = await chat.waitForAnswer();
    const stats = await waitFor(async () => {
      const t = await answer.locator('.message-stats').innerText();
      return /\$\d/.test(t) ? t : undefined;
    }, { message: 'the cost under the answer' });
    assert.ok(stats);
    assert.equal(modelRequests(sim).at(-1).model, 'simulated/Zephyr-Orbit-12B-Instruct');

    // Chosen once, it is on top of the picker the next time, under "Recently used"…
    await chat.modelPicker().click();
    const first = await waitFor(async () => {
      const groups = await chat.frame.locator('.model-group').allInnerTexts();
      return groups[0]?.toUpperCase() === 'RECENTLY USED' ? chat.frame.getByRole('option').first() : undefined;
    }, { message: '"Recently used" on top of the picker' });
    assert.equal(await first.getAttribute('data-model-id'), LISTED_ID);
    await vs.page.keyboard.press('Escape');
    // …and of Select Model.
    await vs.runCommand('Vision Chat: Select Model…');
    const rows = await waitFor(async () => {
      const r = await quickRows(vs);
      return r[0]?.includes(LISTED_ONLY) ? r : undefined;
    }, { timeout: 20_000, message: 'the model just used on top of Select Model' });
    assert.match(rows[0], /Recently used/, `the first row: ${rows[0]}`);
    await vs.closeQuickInput();
  },
};

export const liveCatalogDown = {
  name: 'live-catalog-down',
  title: 'with the listing down, Select Model shows the built-in models and a note saying why',
  timeoutMs: 90_000,
  async run(vs, sim) {
    sim.configure({ listingsDown: true });
    await vs.setApiKey('DeepInfra', sim.validKey);
    await vs.openChat();
    await vs.runCommand('Vision Chat: Select Model…');
    const rows = await waitFor(async () => {
      const r = await quickRows(vs);
      return r.some((t) => t.includes('Could not reach DeepInfra’s model list; showing the built-in models')) ? r : undefined;
    }, { timeout: 30_000, message: 'the note in Select Model' });
    assert.ok(rows.some((r) => r.includes('Llama 3.2 11B Vision Instruct')), 'the built-in models are there');
    assert.ok(!rows.some((r) => r.includes(LISTED_ONLY)), 'no listed model');
    await vs.closeQuickInput();
  },
};
