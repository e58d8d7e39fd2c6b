// The question before a request that would pass `visionChat.spendLimitPerDay` (the decision is in
// spendLimit.ts): a modal, so nothing is sent until the user has answered.

import * as vscode from 'vscode';
import type { ModelInfo } from '../core/types';
import { modelLabel } from './models';
import { showWarning } from './notifications';
import { LANGUAGE_MODEL_SEND_ANYWAY_MS, SendAnywayWindow, spendDecision, spendQuestion } from './spendLimit';

export interface SpendLimitDependencies {
  readonly settings: { readonly spendLimitPerDay: number | undefined };
  spentTodayUsd(): number;
  readonly log: { info(message: string): void };
}

const SEND = 'Send Anyway';
const OPEN_SETTINGS = 'Open Settings';

/** What became of a request measured against the limit: within it (or no limit), sent at the user's word, or held back. */
export type SpendAnswer = 'within' | 'sendAnyway' | 'held';

export async function askSpend(deps: SpendLimitDependencies, model: ModelInfo, estimateInputTokens: () => number): Promise<SpendAnswer> {
  const decision = spendDecision({ limitUsd: deps.settings.spendLimitPerDay, spentTodayUsd: deps.spentTodayUsd(), model, estimateInputTokens });
  if (!decision.ask) return 'within';
  const { message, detail } = spendQuestion(decision, modelLabel(model));
  const choice = await showWarning(message, { modal: true, detail }, SEND, OPEN_SETTINGS);
  if (choice === SEND) {
    deps.log.info(`Sent past the spend limit per day (${decision.limitUsd} USD) at the user's word`);
    return 'sendAnyway';
  }
  if (choice === OPEN_SETTINGS) void vscode.commands.executeCommand('workbench.action.openSettings', 'visionChat.spendLimitPerDay');
  return 'held';
}

/** True when the request may go: within the limit, no limit, or the user chose Send Anyway. */
export async function confirmSpend(deps: SpendLimitDependencies, model: ModelInfo, estimateInputTokens: () => number): Promise<boolean> {
  return (await askSpend(deps, model, estimateInputTokens)) !== 'held';
}

/**
 * The same question for Language Model requests, where Send Anyway holds for
 * LANGUAGE_MODEL_SEND_ANYWAY_MS (the requests of an Agent-mode turn are asked about once).
 */
export function languageModelSpendGate(deps: SpendLimitDependencies, window = new SendAnywayWindow(LANGUAGE_MODEL_SEND_ANYWAY_MS)) {
  return async (model: ModelInfo, estimateInputTokens: () => number): Promise<boolean> => {
    if (window.isOpen) return true;
    const answer = await askSpend(deps, model, estimateInputTokens);
    if (answer === 'sendAnyway') window.open();
    return answer !== 'held';
  };
}
