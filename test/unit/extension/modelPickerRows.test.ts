import assert from 'node:assert/strict';
import { buildCatalog } from '../../../src/core/catalog';
import { PROVIDER_IDS, providerName } from '../../../src/core/providerTable';
import type { ProviderId } from '../../../src/core/types';
import { modelPickerRows, type ModelPickerRow } from '../../../src/extension/modelPickerRows';

const allKeys = new Map<ProviderId, boolean>(PROVIDER_IDS.map((p) => [p, true]));
const modelRows = (rows: ModelPickerRow[]) => rows.filter((r): r is Extract<ModelPickerRow, { kind: 'model' }> => r.kind === 'model');

describe('Select Model rows', () => {
  const catalog = buildCatalog([{ id: 'llava:13b', vision: true }]);

  it('names the provider in every model row, not only in its group’s separator', () => {
    // VS Code shows a separator's label beside the first row of its group only; a screen reader
    // reads each row's label and description, never the separator.
    const rows = modelRows(modelPickerRows(catalog, 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct', allKeys));
    assert.ok(rows.length >= 5);
    for (const row of rows) {
      assert.ok(row.description.startsWith(providerName(row.model.provider)), `${row.label} (${row.model.id}): "${row.description}"`);
    }
  });

  it('tells apart the same model served by two providers by what each row reads out', () => {
    const rows = modelRows(modelPickerRows(catalog, 'segmind:llama-v3-8b-instruct', new Map([['segmind', false]])));
    const spoken = (row: (typeof rows)[number]) => `${row.label}, ${row.description}`.replace(/\$\([\w-]+\)\s*/g, '');
    const byName = new Map<string, string[]>();
    for (const row of rows) byName.set(row.model.displayName, [...(byName.get(row.model.displayName) ?? []), spoken(row)]);
    const shared = [...byName.values()].filter((said) => said.length > 1);
    assert.ok(shared.length > 0, 'the catalog has a model two providers serve');
    for (const said of shared) assert.equal(new Set(said).size, said.length, said.join(' | '));
    const segmind90b = rows.find((r) => r.model.provider === 'segmind' && /90B/.test(r.model.displayName))!;
    assert.equal(spoken(segmind90b), 'Llama 3.2 90B Vision Instruct, Segmind · sees images · needs a key');
  });
});

describe('recently used models on top of Select Model', () => {
  const catalog = buildCatalog([{ id: 'llava:13b', vision: true }]);

  it('shows the models chosen last first, newest first, and not again in their provider’s group', () => {
    const recent = ['openaiCompatible:llava:13b', 'segmind:llama-v3-8b-instruct', 'deepinfra:gone/retired-from-the-list'];
    const rows = modelPickerRows(catalog, 'segmind:llama-v3-8b-instruct', allKeys, {}, recent);
    assert.deepEqual(rows[0], { kind: 'provider', label: 'Recently used' });
    assert.deepEqual(
      rows.slice(1, 3).map((r) => r.kind === 'model' && r.model.id),
      ['openaiCompatible:llava:13b', 'segmind:llama-v3-8b-instruct'],
      'a remembered id the catalog no longer has is left out',
    );
    assert.equal(rows[3].kind, 'provider');
    const ids = modelRows(rows).map((r) => r.model.id);
    assert.equal(new Set(ids).size, ids.length, 'every model once');
    assert.equal(ids.length, catalog.all.length, 'and every model');
    const segmind = rows.find((r) => r.kind === 'model' && r.model.id === 'segmind:llama-v3-8b-instruct');
    assert.match(segmind?.kind === 'model' ? segmind.description : '', /^Segmind · current/, 'a recent row still names its provider');
  });

  it('with nothing chosen yet, starts with the first provider', () => {
    assert.equal(modelPickerRows(catalog, 'segmind:llama-v3-8b-instruct', allKeys)[0].label, providerName(PROVIDER_IDS[0]));
  });

  it('remembers the last five choices, newest first, and ignores what else the store holds', async () => {
    const { rememberModel, recentModelIds, MAX_RECENT_MODELS } = await import('../../../src/extension/recentModels');
    const values = new Map<string, unknown>();
    const store = { get: (k: string) => values.get(k), update: async (k: string, v: unknown) => void values.set(k, v) };
    assert.deepEqual(recentModelIds(store), []);
    for (const id of ['a:1', 'b:2', 'c:3', 'a:1', 'd:4', 'e:5', 'f:6']) await rememberModel(store, id);
    assert.deepEqual(recentModelIds(store), ['f:6', 'e:5', 'd:4', 'a:1', 'c:3']);
    assert.equal(recentModelIds(store).length, MAX_RECENT_MODELS);
    values.set('visionChat.recentModels', ['x:1', 42, null, 'x'.repeat(400), 'x:1', 'y:2']);
    assert.deepEqual(recentModelIds(store), ['x:1', 'y:2']);
    values.set('visionChat.recentModels', 'not a list');
    assert.deepEqual(recentModelIds(store), []);
  });
});
