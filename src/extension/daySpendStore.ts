// Today's spend per provider (the local calendar day), kept in VS Code's global state so it survives
// a window reload and every window adds to the same figures. What is read back is validated: the
// stored state is anyone's to edit, and a bad value must cost a figure, never the status bar.
// No `vscode` here: the memento is handed in, so this runs in plain Node.

import { isProviderId } from '../core/providerTable';
import type { ProviderId } from '../core/types';
import type { Spend } from './creditsLedger';
import { isRecord } from '../shared/isRecord';

/** What the store needs of `ExtensionContext.globalState`. */
export interface SpendMemento {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

export const DAY_SPEND_KEY = 'visionChat.spendByDay';

/** The local calendar day of `now`, as 'YYYY-MM-DD'. */
export function localDay(now: number): string {
  const date = new Date(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export class DaySpendStore {
  /** @param onError A failed write (the figures in memory stay right; only the stored ones lag). */
  constructor(
    private readonly memento: SpendMemento,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  /** The day's spend per provider, as every window stored it. */
  read(now = Date.now()): Map<ProviderId, Spend> {
    return storedDay(this.memento.get(DAY_SPEND_KEY), localDay(now));
  }

  /**
   * Adds one request's spend to the day's and drops every other day. Read and write are one
   * synchronous step in this window; two windows writing in the same instant may lose one request.
   */
  add(provider: ProviderId, spend: Readonly<Spend>, now = Date.now()): void {
    const day = localDay(now);
    const spent = this.read(now);
    const before = spent.get(provider) ?? { costUsd: 0, credits: 0, requests: 0 };
    spent.set(provider, {
      costUsd: before.costUsd + spend.costUsd,
      credits: before.credits + spend.credits,
      requests: before.requests + spend.requests,
    });
    this.memento.update(DAY_SPEND_KEY, { [day]: Object.fromEntries(spent) }).then(undefined, this.onError);
  }
}

/** The day's figures from whatever was stored; anything not as written by `add` is left out. */
export function storedDay(stored: unknown, day: string): Map<ProviderId, Spend> {
  const spent = new Map<ProviderId, Spend>();
  if (!isRecord(stored) || !Object.hasOwn(stored, day)) return spent;
  const providers = stored[day];
  if (!isRecord(providers)) return spent;
  for (const [provider, value] of Object.entries(providers)) {
    if (!isProviderId(provider) || !isRecord(value)) continue;
    const { costUsd, credits, requests } = value;
    if (!isAmount(costUsd) || !isAmount(credits) || !isAmount(requests) || !Number.isInteger(requests)) continue;
    spent.set(provider, { costUsd, credits, requests });
  }
  return spent;
}

function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** A memento in memory: the day for a ledger with no storage (tests, and nothing else). */
export function memoryMemento(): SpendMemento {
  const values = new Map<string, unknown>();
  return {
    get: (key) => values.get(key),
    update: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
  };
}
