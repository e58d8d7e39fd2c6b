// `visionChat.spendLimitPerDay`: whether a request must be asked about before it is sent, and the
// words of that question. No `vscode` here (the modal is in spendLimitQuestion.ts), so the decision
// is testable in plain Node.

import { providerInfo } from '../core/providerTable';
import type { ModelInfo } from '../core/types';
import { inputCostUsd } from '../shared/tokenEstimate';
import { formatUsd } from './creditsLedger';

export interface SpendLimitCheck {
  /** US dollars a day; undefined or 0 is off. */
  readonly limitUsd: number | undefined;
  /** The day's US-dollar spend so far, every window's. */
  readonly spentTodayUsd: number;
  readonly model: Pick<ModelInfo, 'provider' | 'pricing'>;
  /** The request's estimated input tokens (the estimate the context check uses), computed only when a limit and a price call for it. */
  readonly estimateInputTokens: () => number;
}

export type SpendDecision =
  | { readonly ask: false; readonly why: 'off' | 'notInUsd' | 'within' }
  | {
      readonly ask: true;
      readonly spentUsd: number;
      readonly limitUsd: number;
      /** The input's estimated cost; undefined for a model with no listed price. */
      readonly estimateUsd: number | undefined;
    };

/** Sums of fractions of a cent are not exact in binary floating point; a billionth of a dollar is no one's money. */
const TOLERANCE_USD = 1e-9;

export function spendDecision(check: SpendLimitCheck): SpendDecision {
  const { limitUsd, spentTodayUsd: spentUsd, model } = check;
  if (limitUsd === undefined || !(limitUsd > 0)) return { ask: false, why: 'off' };
  const estimateUsd = model.pricing ? inputCostUsd(check.estimateInputTokens(), model.pricing) : undefined;
  if (estimateUsd === undefined && !providerInfo(model.provider).reportsCostUsd) return { ask: false, why: 'notInUsd' };
  // Reaching the limit exactly is within it. A model with no price still costs something, so once
  // the limit is reached it is asked about too.
  const over = estimateUsd === undefined ? spentUsd >= limitUsd - TOLERANCE_USD : spentUsd + estimateUsd > limitUsd + TOLERANCE_USD;
  return over ? { ask: true, spentUsd, limitUsd, estimateUsd } : { ask: false, why: 'within' };
}

/** The modal's message and detail for a request that would pass the limit. */
export function spendQuestion(decision: Extract<SpendDecision, { ask: true }>, modelName: string): { message: string; detail: string } {
  const estimate =
    decision.estimateUsd === undefined
      ? `${modelName} has no listed price, so what this request costs is not known before it is sent.`
      : `This request's input is estimated at ${formatUsd(decision.estimateUsd)} on ${modelName}; the answer costs more on top.`;
  return {
    message: `Sending this would pass your spend limit of ${formatUsd(decision.limitUsd)} a day.`,
    detail:
      `Spent today: ${formatUsd(decision.spentUsd)} (every window, as the providers reported it). ${estimate}\n\n` +
      'Nothing is sent unless you choose Send Anyway; your prompt is kept. The limit is visionChat.spendLimitPerDay.',
  };
}

/**
 * How long Send Anyway holds for Language Model requests (VS Code's Chat, other extensions): they
 * come in bursts, one per tool round of an Agent-mode turn, and one question per round would ask
 * the same thing again and again.
 */
export const LANGUAGE_MODEL_SEND_ANYWAY_MS = 5 * 60_000;

/** A Send Anyway that holds for a while: open from the answer until `ms` later. */
export class SendAnywayWindow {
  private until = 0;

  constructor(
    private readonly ms: number,
    private readonly now: () => number = Date.now,
  ) {}

  open(): void {
    this.until = this.now() + this.ms;
  }

  get isOpen(): boolean {
    return this.now() < this.until;
  }
}
