// The question before a request that would pass `visionChat.spendLimitPerDay` (the decision is in
// spendLimit.ts): a modal, so nothing is sent until the user has answered.

import * as vscode from 'vscode';
import type { ModelInfo } from '../core/types';
import { modelLabel } from './models';
import { showWarning } from './notifications';
import { spendDecision, spendQuestion } from './spendLimit';

export interface SpendLimitDependencies {
  readonly settings: { readonly spendLimitPerDay: number | undefined };
  spentTodayUsd(): number;
  readonly log: { info(message: string): void };
}

const SEND = 'Send Anyway';
const OPEN_SETTINGS = 'Open Settings';

/** True when the request may go: within the limit, no limit, or the user chose Send Anyway. */
export async function confirmSpend(deps: SpendLimitDependencies, model: ModelInfo, estimateInputTokens: () => number): Promise<boolean> {
  const decision = spendDecision({ limitUsd: deps.settings.spendLimitPerDay, spentTodayUsd: deps.spentTodayUsd(), model, estimateInputTokens });
  if (!decision.ask) return true;
  const { message, detail } = spendQuestion(decision, modelLabel(model));
  const choice = await showWarning(message, { modal: true, detail }, SEND, OPEN_SETTINGS);
  if (choice === SEND) {
    deps.log.info(`Sent past the spend limit per day (${decision.limitUsd} USD) at the user's word`);
    return true;
  }
  if (choice === OPEN_SETTINGS) void vscode.commands.executeCommand('workbench.action.openSettings', 'visionChat.spendLimitPerDay');
  return false;
}
