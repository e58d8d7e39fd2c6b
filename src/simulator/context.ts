// What the provider handlers ask of the simulator: the key, the scenario queue, the answer's
// length and pace, and Segmind's balance.

import type { Exchange } from './exchange';
import type { Scenario } from './scenarios';

export interface SimContext {
  readonly validKey: string;
  /** For a model request that passed the key check: the header's scenario, else the next queued one, else 'ok'. */
  takeScenario(ex: Exchange): Scenario;
  /** The `x-sim-scenario` header alone, for endpoints that do not consume the queue (credits, models). */
  headerScenario(ex: Exchange): Scenario | undefined;
  /** Answer length in tokens: `x-sim-tokens`, else the configured default. */
  answerTokens(ex: Exchange): number;
  /** Streaming rate: 20 for `slow`, else `x-sim-rate`, else the configured default (0 = unpaced). */
  tokensPerSecond(ex: Exchange): number;
  /** Segmind's balance. */
  balance(): number;
  /** Whether the model listings (`/models`, `/api/show`) answer 503, as a provider that cannot be reached. */
  listingsDown(): boolean;
  /** Takes `amount` off the balance (never below 0) and returns the new balance. */
  charge(amount: number): number;
}

/** Rounds credits and dollars to what the providers print (a few decimals, no float noise). */
export function roundMoney(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}
