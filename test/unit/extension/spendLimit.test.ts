// visionChat.spendLimitPerDay: when a request is asked about, and what the question says.

import * as assert from 'node:assert/strict';
import { LANGUAGE_MODEL_SEND_ANYWAY_MS, SendAnywayWindow, spendDecision, spendQuestion, type SpendLimitCheck } from '../../../src/extension/spendLimit';

// $1 per million input tokens: 250 000 tokens cost $0.25 (exact in binary, so "exactly at" is exact).
const PRICED = { provider: 'deepinfra' as const, pricing: { inputPerMillion: 1, outputPerMillion: 2 } };
const check = (over: Partial<SpendLimitCheck>): SpendLimitCheck => ({ limitUsd: 1, spentTodayUsd: 0, model: PRICED, estimateInputTokens: () => 250_000, ...over });

describe('the spend limit per day', () => {
  it('lets a request within the limit go', () => {
    assert.deepEqual(spendDecision(check({ spentTodayUsd: 0.5 })), { ask: false, why: 'within' });
  });

  it('lets a request that reaches the limit exactly go', () => {
    assert.deepEqual(spendDecision(check({ spentTodayUsd: 0.75 })), { ask: false, why: 'within' });
    // 0.1 + 0.2 is 0.30000000000000004 in binary: still exactly at a $0.30 limit.
    assert.deepEqual(spendDecision(check({ limitUsd: 0.3, spentTodayUsd: 0.1, estimateInputTokens: () => 200_000 })), { ask: false, why: 'within' });
  });

  it('asks about a request that would pass it, with the figures', () => {
    assert.deepEqual(spendDecision(check({ spentTodayUsd: 0.76 })), { ask: true, spentUsd: 0.76, limitUsd: 1, estimateUsd: 0.25 });
    // Already past the limit: even a small request is asked about.
    assert.equal(spendDecision(check({ spentTodayUsd: 1.5, estimateInputTokens: () => 10 })).ask, true);
  });

  it('never asks while the limit is off', () => {
    for (const limitUsd of [undefined, 0, -1, Number.NaN]) {
      assert.deepEqual(spendDecision(check({ limitUsd, spentTodayUsd: 100 })), { ask: false, why: 'off' }, String(limitUsd));
      // Nor estimates the request: a send with no limit does not pay for it.
      const estimate = () => assert.fail('estimated with the limit off');
      assert.deepEqual(spendDecision(check({ limitUsd, estimateInputTokens: estimate })), { ask: false, why: 'off' }, String(limitUsd));
    }
  });

  it('never asks about a model that is not billed in dollars', () => {
    for (const provider of ['segmind', 'openaiCompatible'] as const) {
      assert.deepEqual(spendDecision(check({ model: { provider }, spentTodayUsd: 100 })), { ask: false, why: 'notInUsd' }, provider);
    }
  });

  it('asks about an unpriced DeepInfra model only once the limit is reached', () => {
    const unpriced = { provider: 'deepinfra' as const };
    assert.deepEqual(spendDecision(check({ model: unpriced, spentTodayUsd: 0.99 })), { ask: false, why: 'within' });
    assert.deepEqual(spendDecision(check({ model: unpriced, spentTodayUsd: 1 })), { ask: true, spentUsd: 1, limitUsd: 1, estimateUsd: undefined });
  });

  it('says the day\'s spend, the limit and the estimate', () => {
    const { message, detail } = spendQuestion({ ask: true, spentUsd: 0.9, limitUsd: 1, estimateUsd: 0.25 }, 'Llama (DeepInfra)');
    assert.equal(message, 'Sending this would pass your spend limit of $1.00 a day.');
    assert.match(detail, /^Spent today: \$0\.90 /);
    assert.match(detail, /estimated at \$0\.25 on Llama \(DeepInfra\)/);
    assert.match(detail, /your prompt is kept/);
    const unpriced = spendQuestion({ ask: true, spentUsd: 1, limitUsd: 1, estimateUsd: undefined }, 'Llama (DeepInfra)');
    assert.match(unpriced.detail, /has no listed price/);
  });

  it('holds a Send Anyway for a while, then asks again', () => {
    let now = 1_000;
    const window = new SendAnywayWindow(LANGUAGE_MODEL_SEND_ANYWAY_MS, () => now);
    assert.equal(window.isOpen, false, 'nothing answered yet');
    window.open();
    now += LANGUAGE_MODEL_SEND_ANYWAY_MS - 1;
    assert.equal(window.isOpen, true, 'the rest of an Agent-mode turn is not asked again');
    now += 1;
    assert.equal(window.isOpen, false, 'asked again once the while is over');
  });
});
