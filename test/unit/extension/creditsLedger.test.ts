// What the credits status bar item shows.

import * as assert from 'node:assert/strict';
import { CreditsLedger, formatUsd, statusText, tooltipMarkdown } from '../../../src/extension/creditsLedger';

describe('credits and spend', () => {
  it('shows the latest Segmind balance and sums the session\'s spend per provider', () => {
    const ledger = new CreditsLedger();
    ledger.setBalance({ remaining: 25, free: 0.02 }, Date.UTC(2025, 0, 1, 9, 30));
    ledger.record('segmind', { type: 'credits', credits: { remaining: 24.5, consumed: 0.5 } }, Date.UTC(2025, 0, 1, 10, 0));
    ledger.record('segmind', { type: 'credits', credits: { remaining: 24.25, consumed: 0.25 } }, Date.UTC(2025, 0, 1, 10, 5));
    ledger.record('deepinfra', { type: 'usage', usage: { completionTokens: 10, costUsd: 0.00002 } });
    ledger.record('deepinfra', { type: 'usage', usage: { completionTokens: 10, costUsd: 0.00003 } });

    assert.equal(statusText(ledger, true), '$(credit-card) 24.25');
    assert.equal(ledger.balance?.free, 0.02, 'free credits from the first reading are kept');
    const tooltip = tooltipMarkdown(ledger, { warnBelow: 1, hasBalanceKey: true, locale: 'en-GB' });
    assert.match(tooltip, /Segmind balance: \*\*24\.25\*\*/);
    assert.match(tooltip, /read at \d{2}:05:00/);
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
  });
});
