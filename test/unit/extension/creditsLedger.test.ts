// What the credits status bar item shows.

import * as assert from 'node:assert/strict';
import { CreditsLedger, formatUsd, statusText, tooltipMarkdown } from '../../../src/extension/creditsLedger';
import { DAY_SPEND_KEY, DaySpendStore, memoryMemento } from '../../../src/extension/daySpendStore';

/** Local times (the test's time zone): the day is the local calendar day. */
const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute).getTime();
const usage = (costUsd: number) => ({ type: 'usage' as const, usage: { completionTokens: 10, costUsd } });
const credits = (consumed: number, remaining = 20) => ({ type: 'credits' as const, credits: { remaining, consumed } });

describe('credits and spend', () => {
  it('shows the latest Segmind balance and sums the session\'s spend per provider', () => {
    const ledger = new CreditsLedger();
    ledger.setBalance({ remaining: 25, free: 0.02 }, new Date(2025, 0, 1, 9, 30).getTime());
    ledger.record('segmind', { type: 'credits', credits: { remaining: 24.5, consumed: 0.5 } }, new Date(2025, 0, 1, 10, 0).getTime());
    ledger.record('segmind', { type: 'credits', credits: { remaining: 24.25, consumed: 0.25 } }, new Date(2025, 0, 1, 10, 5).getTime());
    ledger.record('deepinfra', { type: 'usage', usage: { completionTokens: 10, costUsd: 0.00002 } });
    ledger.record('deepinfra', { type: 'usage', usage: { completionTokens: 10, costUsd: 0.00003 } });

    assert.equal(statusText(ledger, true), '$(credit-card) 24.25');
    assert.equal(ledger.balance?.free, 0.02, 'free credits from the first reading are kept');
    const tooltip = tooltipMarkdown(ledger, { warnBelow: 1, hasBalanceKey: true, locale: 'en-GB' });
    assert.match(tooltip, /Segmind balance: \*\*24\.25\*\*/);
    assert.match(tooltip, /read at 10:05:00/, 'the time of the latest reading, in local time');
    assert.match(tooltip, /- Segmind: 0\.75 credits \(2 requests\)/);
    assert.match(tooltip, /- DeepInfra: \$0\.000050 \(2 requests\)/);
    assert.ok(!tooltip.includes('Below'));
  });

  it('warns in the tooltip under the threshold', () => {
    const ledger = new CreditsLedger();
    ledger.setBalance({ remaining: 0.4 });
    assert.match(tooltipMarkdown(ledger, { warnBelow: 1, hasBalanceKey: true }), /\$\(warning\) Below 1/);
  });

  it('ignores a balance from a provider that is not Segmind', () => {
    const ledger = new CreditsLedger();
    ledger.record('openaiCompatible', { type: 'credits', credits: { remaining: 999 } });
    assert.equal(ledger.balance, undefined);
  });

  it('shows the session spend when there is no Segmind key', () => {
    const ledger = new CreditsLedger();
    ledger.record('deepinfra', { type: 'usage', usage: { costUsd: 0.0123 } });
    assert.equal(statusText(ledger, false), '$(credit-card) $0.01');
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(0.00001234), '$0.000012');
    assert.equal(formatUsd(0.0000050), '$0.0000050');
    assert.equal(formatUsd(0.00000001), '$0.000000010', 'in decimals, not "1.0e-8"');
    assert.equal(formatUsd(0.0099999), '$0.010');
  });

  it('sums the session and the day per provider, the day including what other windows spent', () => {
    const globalState = memoryMemento();
    const otherWindow = new CreditsLedger(new DaySpendStore(globalState));
    const ledger = new CreditsLedger(new DaySpendStore(globalState));
    otherWindow.record('deepinfra', usage(0.5), at(1, 9));
    ledger.record('deepinfra', usage(0.25), at(1, 10));
    ledger.record('deepinfra', usage(0.125), at(1, 11));
    ledger.record('segmind', credits(1.5), at(1, 11));

    const session = ledger.spendByProvider();
    assert.deepEqual(session.get('deepinfra'), { costUsd: 0.375, credits: 0, requests: 2 });
    assert.deepEqual(session.get('segmind'), { costUsd: 0, credits: 1.5, requests: 1 });
    const day = ledger.daySpendByProvider(at(1, 12));
    assert.deepEqual(day.get('deepinfra'), { costUsd: 0.875, credits: 0, requests: 3 });
    assert.deepEqual(day.get('segmind'), { costUsd: 0, credits: 1.5, requests: 1 });
    assert.equal(ledger.spentTodayUsd(at(1, 12)), 0.875, 'credits are not dollars');

    const tooltip = tooltipMarkdown(ledger, { warnBelow: 1, hasBalanceKey: false, now: at(1, 12), limitUsd: 2 });
    const [sessionPart, dayPart] = tooltip.split('Today (all windows):');
    assert.match(sessionPart, /This session:\n- DeepInfra: \$0\.38 \(2 requests\)\n- Segmind: 1\.50 credits \(1 request\)/);
    assert.match(dayPart, /^\n- DeepInfra: \$0\.88 \(3 requests\)\n- Segmind: 1\.50 credits \(1 request\)/);
    assert.match(tooltip, /Spend limit per day: \$2\.00/);
  });

  it('a reloaded window starts a new session but keeps the day', () => {
    const globalState = memoryMemento();
    new CreditsLedger(new DaySpendStore(globalState)).record('deepinfra', usage(0.2), at(1, 9));
    const reloaded = new CreditsLedger(new DaySpendStore(globalState));
    assert.equal(reloaded.spendByProvider().size, 0);
    assert.equal(reloaded.spentTodayUsd(at(1, 10)), 0.2);
    const tooltip = tooltipMarkdown(reloaded, { warnBelow: 1, hasBalanceKey: false, now: at(1, 10) });
    assert.match(tooltip, /No spend this session yet\.\n\nToday \(all windows\):\n- DeepInfra: \$0\.20 \(1 request\)/);
    assert.ok(!tooltip.includes('Spend limit'), 'no limit line when the limit is off');
  });

  it('starts the day afresh at local midnight; the session goes on', () => {
    const globalState = memoryMemento();
    const ledger = new CreditsLedger(new DaySpendStore(globalState));
    ledger.record('deepinfra', usage(0.3), at(1, 23, 59));
    assert.equal(ledger.spentTodayUsd(at(1, 23, 59)), 0.3);

    assert.equal(ledger.spentTodayUsd(at(2, 0, 0)), 0, 'nothing spent yet on the new day');
    assert.match(tooltipMarkdown(ledger, { warnBelow: 1, hasBalanceKey: false, now: at(2, 0, 0) }), /No spend today yet\./);

    ledger.record('deepinfra', usage(0.1), at(2, 0, 1));
    assert.equal(ledger.spentTodayUsd(at(2, 0, 1)), 0.1);
    assert.equal(ledger.spendByProvider().get('deepinfra')?.costUsd, 0.4, 'the session spans midnight');
    assert.deepEqual(Object.keys(globalState.get(DAY_SPEND_KEY) as object), ['2026-12-02'], 'the old day is dropped');
  });

  it('leaves out reported figures that are no spend', () => {
    const ledger = new CreditsLedger();
    ledger.record('deepinfra', usage(-1), at(1, 9));
    ledger.record('deepinfra', usage(Number.NaN), at(1, 9));
    ledger.record('deepinfra', usage(0.1), at(1, 9));
    assert.equal(ledger.spentTodayUsd(at(1, 9)), 0.1);
    assert.equal(ledger.spendByProvider().get('deepinfra')?.requests, 1);
  });
});
