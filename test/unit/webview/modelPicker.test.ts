// The chat view's model picker in Chromium: a button that opens a searchable listbox (ARIA
// combobox), grouped by provider with the recently used on top, marks per model, and a keyboard
// flow that never needs the mouse.

import assert from 'node:assert/strict';
import type { ModelOption } from '../../../src/protocol';
import { MODELS, TEXT_MODEL_ID, VISION_MODEL_ID, manyModels, state } from '../../webview/fixtures';
import { useWebviewSuite, type WebviewPage } from '../../webview/harness';

const PRICED: ModelOption = {
  id: 'deepinfra:simulated/Zephyr-Orbit-12B-Instruct',
  displayName: 'Zephyr Orbit 12B Instruct',
  provider: 'deepinfra',
  providerName: 'DeepInfra',
  vision: true,
  maxImages: 1,
  hasKey: true,
  contextLength: 131072,
  pricing: { inputPerMillion: 0.06, outputPerMillion: 0.24 },
  tools: true,
};
const RETIRED: ModelOption = { ...MODELS[4]!, id: 'segmind:old-model', displayName: 'Old Segmind Model', retired: true };

describe('webview model picker', function () {
  this.timeout(30_000);
  const getView = useWebviewSuite('webview model picker', 'ovc-webview-picker-');
  let view: WebviewPage;
  beforeEach(() => (view = getView()));

  const button = () => view.page.getByRole('button', { name: /^Model:/ });
  const search = () => view.page.getByRole('combobox', { name: 'Search models' });
  const options = () => view.page.getByRole('option');
  /** The accessible names of the options built, in order. */
  const optionNames = () => options().evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  const activeName = () =>
    search().evaluate((input) => {
      const id = input.getAttribute('aria-activedescendant');
      return id ? (document.getElementById(id)?.getAttribute('aria-label') ?? `missing #${id}`) : '';
    });

  it('names the current model on its button, and opens a listbox grouped by provider with marks, notes and missing keys', async () => {
    await view.send({ type: 'state', state: state([], { models: [...MODELS, PRICED, RETIRED], catalogNotes: { segmind: 'Could not reach Segmind; showing the built-in models.' } }) });
    assert.equal(await button().getAttribute('aria-label'), 'Model: Llama 3.2 11B Vision Instruct, DeepInfra');
    assert.equal(await button().getAttribute('aria-expanded'), 'false');
    await button().click();
    assert.equal(await button().getAttribute('aria-expanded'), 'true');
    assert.ok(await search().evaluate((el) => el === document.activeElement), 'the search box has the focus');
    const groups = await view.page.locator('.model-group').allInnerTexts();
    assert.deepEqual(groups.map((g) => g.toUpperCase()), ['DEEPINFRA', 'SEGMIND — NO API KEY SET']);
    assert.deepEqual(await view.page.locator('.model-note').allInnerTexts(), ['Could not reach Segmind; showing the built-in models.']);

    const zephyr = view.page.locator(`[data-model-id="${PRICED.id}"]`);
    assert.equal(await zephyr.locator('.model-option-details').innerText(), '128K · $0.06/$0.24 per M');
    assert.deepEqual(await zephyr.locator('.model-mark').evaluateAll((els) => els.map((e) => e.getAttribute('title'))), ['Sees images', 'Calls tools']);
    assert.equal(
      await zephyr.getAttribute('aria-label'),
      'Zephyr Orbit 12B Instruct, DeepInfra, sees images, calls tools, 128K context, $0.06 input, $0.24 output per million tokens',
    );
    const retired = view.page.locator(`[data-model-id="${RETIRED.id}"]`);
    assert.match((await retired.getAttribute('aria-label'))!, /retired by the provider, no API key set for Segmind$/);
    assert.equal(await retired.locator('.model-option-details').innerText(), 'retired · no key');
    // The current model is the active option when the list opens, and says it is current.
    assert.equal(await activeName(), 'Llama 3.2 11B Vision Instruct, DeepInfra, sees images, current');
  });

  it('filters as you type, chooses with the arrows and Enter, and tells the host', async () => {
    await view.send({ type: 'state', state: state([], { models: [...MODELS, PRICED] }) });
    await button().focus();
    await view.page.keyboard.press('ArrowDown');
    await view.page.keyboard.type('llama 90b');
    assert.deepEqual(
      (await optionNames()).map((n) => n.split(',').slice(0, 2).join(',')),
      ['Llama 3.2 90B Vision Instruct, DeepInfra', 'Llama 3.2 90B Vision Instruct, Segmind'],
    );
    assert.equal(await view.page.locator('.model-count[aria-live="polite"]').innerText(), '2 models');
    assert.match(await activeName(), /^Llama 3\.2 90B Vision Instruct, DeepInfra/);
    await view.page.keyboard.press('ArrowDown');
    assert.match(await activeName(), /^Llama 3\.2 90B Vision Instruct, Segmind/);
    await view.page.keyboard.press('ArrowDown'); // stops at the last
    assert.match(await activeName(), /Segmind/);
    await view.page.keyboard.press('ArrowUp');
    await view.page.keyboard.press('Enter');
    assert.deepEqual(await view.waitForPosted('selectModel'), { type: 'selectModel', modelId: 'deepinfra:meta-llama/Llama-3.2-90B-Vision-Instruct' });
    assert.equal(await view.page.locator('.model-popup').isHidden(), true);
    assert.ok(await button().evaluate((el) => el === document.activeElement), 'the focus is back on the button');
    assert.equal(await button().getAttribute('aria-label'), 'Model: Llama 3.2 90B Vision Instruct, DeepInfra');
  });

  it('searches the id and the marks too, says when nothing matches, and Escape closes without choosing or stopping', async () => {
    await view.send({ type: 'state', state: state([], { models: [...MODELS, PRICED], busy: true }) });
    await button().click();
    await search().fill('zephyr-orbit');
    assert.deepEqual((await optionNames()).map((n) => n.split(',')[0]), ['Zephyr Orbit 12B Instruct']);
    await search().fill('tools vision');
    assert.deepEqual((await optionNames()).map((n) => n.split(',')[0]), ['Zephyr Orbit 12B Instruct']);
    await search().fill('no such model');
    assert.equal(await options().count(), 0);
    assert.equal(await view.page.locator('.model-empty').innerText(), 'No model matches “no such model”.');
    assert.equal(await search().getAttribute('aria-activedescendant'), null);
    await view.page.keyboard.press('Enter'); // nothing to choose
    await view.page.keyboard.press('Escape');
    assert.equal(await view.page.locator('.model-popup').isHidden(), true);
    assert.ok(!(await view.posted()).some((m) => m.type === 'selectModel' || m.type === 'stop'), 'neither a choice nor a stop');
  });

  it('typing on the closed button starts a search, and a click chooses', async () => {
    await view.send({ type: 'state', state: state() });
    await button().focus();
    await view.page.keyboard.type('llava');
    assert.equal(await search().inputValue(), 'llava');
    await view.page.locator('[data-model-id="segmind:llava-v1.6"]').click();
    assert.deepEqual(await view.waitForPosted('selectModel'), { type: 'selectModel', modelId: 'segmind:llava-v1.6' });
  });

  it('shows the recently used on top when not searching, and each model once when searching', async () => {
    await view.send({ type: 'state', state: state([], { modelId: TEXT_MODEL_ID, recentModelIds: ['segmind:llava-v1.6', TEXT_MODEL_ID, 'gone:model'] }) });
    await button().click();
    assert.deepEqual((await view.page.locator('.model-group').allInnerTexts()).map((g) => g.toUpperCase()), ['RECENTLY USED', 'DEEPINFRA', 'SEGMIND — NO API KEY SET']);
    const names = (await optionNames()).map((n) => n.split(',').slice(0, 2).join(','));
    assert.deepEqual(names.slice(0, 2), ['LLaVA 1.6 7B, Segmind', 'Llama 3 8B Instruct, DeepInfra']);
    assert.equal(names.filter((n) => n === 'LLaVA 1.6 7B, Segmind').length, 1, 'not again in its group');
    // Under "Recently used" no heading names the provider: the row does.
    assert.equal(await view.page.locator('[data-model-id="segmind:llava-v1.6"] .model-option-details').innerText(), 'Segmind · no key');
    await search().fill('llava');
    assert.deepEqual((await view.page.locator('.model-group').allInnerTexts()).map((g) => g.toUpperCase()), ['SEGMIND — NO API KEY SET']);
  });

  it('builds only the rows in sight of a 1 000-model catalog, and reaches any of them by keyboard', async () => {
    const models = manyModels(1000);
    await view.send({ type: 'state', state: state([], { models, modelId: VISION_MODEL_ID }) });
    await button().click();
    const built = await options().count();
    assert.ok(built > 5 && built < 40, `${built} option elements for 1 005 models`);
    assert.equal(await options().first().getAttribute('aria-setsize'), '1005');
    // End of the list by Page Down: the rows follow the active option.
    for (let i = 0; i < 130; i++) await view.page.keyboard.press('PageDown');
    assert.match(await activeName(), /^LLaVA 1\.6 7B, Segmind/);
    assert.equal(await view.page.locator('[aria-selected="true"]').getAttribute('aria-posinset'), '1005');
    await search().fill('model 777 ');
    assert.deepEqual((await optionNames()).map((n) => n.split(',')[0]), ['Catalog Model 777 4B Instruct']);
    await view.page.keyboard.press('Enter');
    assert.deepEqual(await view.waitForPosted('selectModel'), { type: 'selectModel', modelId: 'deepinfra:catalog/model-777' });
  });

  it('keeps the rows still in sight as a search narrows, updating their positions and the active one', async () => {
    await view.send({ type: 'state', state: state([], { models: manyModels(1000), modelId: VISION_MODEL_ID }) });
    await button().click();
    await search().pressSequentially('catalog model ');
    const row = view.page.locator('[data-model-id="deepinfra:catalog/model-1"]');
    assert.equal(await row.getAttribute('aria-posinset'), '2');
    assert.equal(await row.getAttribute('aria-selected'), 'false');
    await row.evaluate((el) => el.setAttribute('data-marked', ''));
    // "Catalog Model 0 1B Instruct" has no 2; "Catalog Model 1 2B Instruct" is first now.
    await search().press('2');
    assert.equal(await row.getAttribute('data-marked'), '', 'the same element, not one built again');
    assert.equal(await row.getAttribute('aria-posinset'), '1');
    assert.equal(await row.getAttribute('aria-selected'), 'true');
    assert.match(await activeName(), /^Catalog Model 1 2B Instruct, DeepInfra/);
    const count = Number(/^(\d+) models$/.exec((await view.page.locator('.model-count').textContent()) ?? '')?.[1]);
    assert.equal(await row.getAttribute('aria-setsize'), String(count));
    assert.equal(await view.page.locator('[data-model-id="deepinfra:catalog/model-0"]').count(), 0, 'a row no longer listed is gone');
    assert.equal(await options().first().getAttribute('data-model-id'), 'deepinfra:catalog/model-1', 'rows in list order');
  });

  it('keeps a chosen model the catalog no longer lists on the button, marked not available', async () => {
    await view.send({ type: 'state', state: state([], { modelId: 'deepinfra:gone/model' }) });
    assert.equal(await button().getAttribute('aria-label'), 'Model: deepinfra:gone/model (not available)');
  });
});
