// What the credits status bar item shows, kept apart from the item itself so it is testable in
// plain Node: the latest balance of the provider that reports one (Segmind), and the spend per
// provider of this session and of the day (every window's, from the day store).

import type { ChatEvent, Credits, ProviderId } from '../core/types';
import { BALANCE_PROVIDER, providerInfo, providerName } from '../core/providerTable';
import { DaySpendStore, memoryMemento } from './daySpendStore';

export interface Balance {
  readonly remaining: number;
  readonly free?: number;
  /** Epoch ms of the reading. */
  readonly at: number;
}

export interface Spend {
  /** Summed provider estimates in US dollars (DeepInfra's `estimated_cost`). */
  costUsd: number;
  /** Summed credits consumed (Segmind's `x-credits-consumed`). */
  credits: number;
  requests: number;
}

export class CreditsLedger {
  private latest: Balance | undefined;
  private readonly spend = new Map<ProviderId, Spend>();

  constructor(private readonly days: DaySpendStore = new DaySpendStore(memoryMemento())) {}

  get balance(): Balance | undefined {
    return this.latest;
  }

  /** Records a request's usage or credits event; true when what is shown changed. */
  record(provider: ProviderId, event: ChatEvent, now = Date.now()): boolean {
    if (event.type === 'usage' && event.usage.costUsd !== undefined) {
      this.addSpend(provider, { costUsd: event.usage.costUsd, credits: 0, requests: 1 }, now);
      return true;
    }
    if (event.type === 'credits') {
      if (event.credits.consumed !== undefined) this.addSpend(provider, { costUsd: 0, credits: event.credits.consumed, requests: 1 }, now);
      // Only a provider that reports an account balance moves it.
      if (providerInfo(provider).reportsBalance) this.setBalance(event.credits, now);
      return true;
    }
    return false;
  }

  setBalance(credits: Credits, now = Date.now()): void {
    this.latest = { remaining: credits.remaining, free: credits.free ?? this.latest?.free, at: now };
  }

  clearBalance(): void {
    this.latest = undefined;
  }

  /** This session's spend per provider. */
  spendByProvider(): ReadonlyMap<ProviderId, Readonly<Spend>> {
    return this.spend;
  }

  /** The local day's spend per provider, every window's, read afresh (another window may have added to it). */
  daySpendByProvider(now = Date.now()): ReadonlyMap<ProviderId, Readonly<Spend>> {
    return this.days.read(now);
  }

  /** The day's US-dollar spend, all providers together (what the spend limit counts). */
  spentTodayUsd(now = Date.now()): number {
    return [...this.daySpendByProvider(now).values()].reduce((sum, s) => sum + s.costUsd, 0);
  }

  private addSpend(provider: ProviderId, add: Spend, now: number): void {
    // Figures a provider could send that are no spend (NaN, negative) would poison both sums.
    if (!(add.costUsd >= 0 && add.credits >= 0 && Number.isFinite(add.costUsd + add.credits))) return;
    let spend = this.spend.get(provider);
    if (!spend) this.spend.set(provider, (spend = { costUsd: 0, credits: 0, requests: 0 }));
    spend.costUsd += add.costUsd;
    spend.credits += add.credits;
    spend.requests += add.requests;
    this.days.add(provider, add, now);
  }
}

const BALANCE_NAME = BALANCE_PROVIDER ? providerName(BALANCE_PROVIDER) : 'Account';
/** "segmind.com", from the billing page's host. */
const BILLING_HOST = billingHost();

function billingHost(): string {
  const url = BALANCE_PROVIDER && providerInfo(BALANCE_PROVIDER).billing?.url;
  if (!url) return 'the provider';
  const host = new URL(url).hostname.split('.');
  return host.slice(-2).join('.');
}

export function formatBalance(value: number): string {
  return value.toFixed(2);
}

/** Costs are often fractions of a cent: keep enough digits to be more than "$0.00". */
export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  if (value >= 0.01) return `$${value.toFixed(2)}`;
  if (!(value > 0)) return `$${value.toPrecision(2)}`;
  // Two significant digits, in decimals: toPrecision alone writes "1.0e-8" below a millionth.
  const rounded = Number(value.toPrecision(2));
  return `$${rounded.toFixed(Math.min(20, 1 - Math.floor(Math.log10(rounded))))}`;
}

/** The status bar text: the balance when there is one, else this session's spend. */
export function statusText(ledger: CreditsLedger, hasBalanceKey: boolean): string {
  if (ledger.balance) return `$(credit-card) ${formatBalance(ledger.balance.remaining)}`;
  if (hasBalanceKey) return '$(credit-card) …';
  const total = [...ledger.spendByProvider().values()].reduce((sum, s) => sum + s.costUsd, 0);
  return `$(credit-card) ${formatUsd(total)}`;
}

/** The tooltip, as Markdown: the reading and its time, then the session's and the day's spend per provider. */
export function tooltipMarkdown(
  ledger: CreditsLedger,
  options: { warnBelow: number; hasBalanceKey: boolean; locale?: string; limitUsd?: number; now?: number },
): string {
  const lines: string[] = ['**Vision Chat credits**', ''];
  const balance = ledger.balance;
  if (balance) {
    const time = new Date(balance.at).toLocaleTimeString(options.locale);
    const free = balance.free ? ` (free credits: ${formatBalance(balance.free)})` : '';
    lines.push(`${BALANCE_NAME} balance: **${formatBalance(balance.remaining)}**${free}, read at ${time}`);
    if (balance.remaining < options.warnBelow) lines.push('', `$(warning) Below ${options.warnBelow}: top up at ${BILLING_HOST} before requests fail.`);
  } else if (options.hasBalanceKey) {
    lines.push(`${BALANCE_NAME} balance: not read yet.`);
  }
  lines.push('', ...spendLines('This session', 'No spend this session yet.', ledger.spendByProvider()));
  lines.push('', ...spendLines('Today (all windows)', 'No spend today yet.', ledger.daySpendByProvider(options.now)));
  if (options.limitUsd) lines.push('', `Spend limit per day: ${formatUsd(options.limitUsd)} (US dollars; credits are not counted).`);
  lines.push('', 'Click to refresh.');
  return lines.join('\n');
}

function spendLines(title: string, none: string, spendByProvider: ReadonlyMap<ProviderId, Readonly<Spend>>): string[] {
  const spend = [...spendByProvider].filter(([, s]) => s.requests > 0);
  if (!spend.length) return [none];
  const lines = [`${title}:`];
  for (const [provider, s] of spend) {
    const parts = [];
    if (s.credits) parts.push(`${formatBalance(s.credits)} credits`);
    if (s.costUsd) parts.push(formatUsd(s.costUsd));
    const requests = `${s.requests} request${s.requests === 1 ? '' : 's'}`;
    lines.push(`- ${providerName(provider)}: ${parts.join(', ') || 'no charge reported'} (${requests})`);
  }
  return lines;
}
