// The day's spend as stored in VS Code's global state: read back with suspicion, written for today only.

import * as assert from 'node:assert/strict';
import { DAY_SPEND_KEY, DaySpendStore, localDay, memoryMemento, storedDay } from '../../../src/extension/daySpendStore';

const NOON = new Date(2026, 11, 1, 12, 0).getTime();
const TODAY = '2026-12-01';

describe('the day spend store', () => {
  it('names the local calendar day, padded', () => {
    assert.equal(localDay(new Date(2026, 0, 5, 0, 0).getTime()), '2026-01-05');
    assert.equal(localDay(new Date(2026, 0, 5, 23, 59, 59, 999).getTime()), '2026-01-05');
    assert.equal(localDay(NOON), TODAY);
  });

  it('adds to what another window stored for today and drops older days', () => {
    const memento = memoryMemento();
    void memento.update(DAY_SPEND_KEY, {
      '2026-11-30': { deepinfra: { costUsd: 5, credits: 0, requests: 9 } },
      [TODAY]: { deepinfra: { costUsd: 0.25, credits: 0, requests: 2 } },
    });
    const store = new DaySpendStore(memento);

    store.add('deepinfra', { costUsd: 0.5, credits: 0, requests: 1 }, NOON);
    store.add('segmind', { costUsd: 0, credits: 1.5, requests: 1 }, NOON);

    assert.deepEqual(memento.get(DAY_SPEND_KEY), {
      [TODAY]: { deepinfra: { costUsd: 0.75, credits: 0, requests: 3 }, segmind: { costUsd: 0, credits: 1.5, requests: 1 } },
    });
  });

  it('ignores stored values that are not what it writes, without throwing', () => {
    const good = { costUsd: 0.1, credits: 0, requests: 1 };
    const hostile: unknown[] = [
      undefined,
      null,
      42,
      'spend',
      [good],
      { [TODAY]: null },
      { [TODAY]: [good] },
      { [TODAY]: 'lots' },
      { [TODAY]: { deepinfra: null } },
      { [TODAY]: { deepinfra: [1, 2, 3] } },
      { [TODAY]: { deepinfra: { costUsd: -1, credits: 0, requests: 1 } } },
      { [TODAY]: { deepinfra: { costUsd: Number.NaN, credits: 0, requests: 1 } } },
      { [TODAY]: { deepinfra: { costUsd: Number.POSITIVE_INFINITY, credits: 0, requests: 1 } } },
      { [TODAY]: { deepinfra: { costUsd: '0.1', credits: 0, requests: 1 } } },
      { [TODAY]: { deepinfra: { costUsd: 0.1, credits: 0 } } },
      { [TODAY]: { deepinfra: { costUsd: 0.1, credits: 0, requests: 1.5 } } },
      { [TODAY]: { segmind: { costUsd: 0, credits: -3, requests: 1 } } },
      { [TODAY]: { openai: good, __proto__: good, constructor: good } },
      JSON.parse(`{"${TODAY}": {"__proto__": {"costUsd": 1, "credits": 0, "requests": 1}}}`),
      Object.create({ [TODAY]: { deepinfra: good } }),
    ];
    for (const stored of hostile) {
      assert.deepEqual(storedDay(stored, TODAY), new Map(), `ignored: ${JSON.stringify(stored)}`);
      const memento = memoryMemento();
      void memento.update(DAY_SPEND_KEY, stored);
      const store = new DaySpendStore(memento);
      assert.equal(store.read(NOON).size, 0);
      // The next request starts today afresh rather than adding to nonsense.
      store.add('deepinfra', good, NOON);
      assert.deepEqual(store.read(NOON).get('deepinfra'), good);
    }
  });

  it('keeps the valid providers of a partly spoiled day', () => {
    const stored = {
      [TODAY]: {
        deepinfra: { costUsd: 0.2, credits: 0, requests: 3 },
        segmind: { costUsd: 0, credits: 'many', requests: 1 },
        somethingElse: { costUsd: 9, credits: 0, requests: 1 },
      },
    };
    assert.deepEqual([...storedDay(stored, TODAY)], [['deepinfra', { costUsd: 0.2, credits: 0, requests: 3 }]]);
  });

  it('reports a failed write instead of leaving a rejected promise', async () => {
    const failures: unknown[] = [];
    const memento = { get: () => undefined, update: () => Promise.reject(new Error('disk full')) };
    new DaySpendStore(memento, (e) => failures.push(e)).add('deepinfra', { costUsd: 0.1, credits: 0, requests: 1 }, NOON);
    await Promise.resolve();
    await Promise.resolve();
    assert.equal((failures[0] as Error | undefined)?.message, 'disk full');
  });
});
