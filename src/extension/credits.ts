// The credits status bar item: the Segmind balance from the latest reading (every Segmind response
// carries it, and `get-user-credits` fills it at start), the session's and the day's spend in the
// tooltip, the warning colour under `visionChat.credits.warnBelow`. Hidden while no provider has a key.

import * as vscode from 'vscode';
import { isProviderError } from '../core/errors';
import { errorText } from './errorWords';
import { BALANCE_PROVIDER, PROVIDER_IDS, providerName } from '../core/providerTable';
import type { ChatEvent, ChatProvider, ProviderId } from '../core/types';
import { Commands } from './commands';
import { CreditsLedger, formatBalance, statusText, tooltipMarkdown } from './creditsLedger';
import { DaySpendStore, type SpendMemento } from './daySpendStore';
import type { CreditsReporter, KeyStore, Settings } from './services';

export interface CreditsDependencies {
  readonly keys: KeyStore;
  readonly settings: Settings;
  readonly log: vscode.LogOutputChannel;
  /** Where the day's spend is kept for every window (`ExtensionContext.globalState`). */
  readonly globalState: SpendMemento;
  /** A client for the provider, configured from settings and the key (throws when there is no key). */
  clientFor(provider: ProviderId): Promise<ChatProvider>;
}

export class CreditsStatus implements CreditsReporter, vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly ledger: CreditsLedger;
  private midnight: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private hasBalanceKey = false;
  private hasAnyKey = false;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly deps: CreditsDependencies) {
    const days = new DaySpendStore(deps.globalState, (e) => deps.log.warn(`Could not store the day's spend: ${e instanceof Error ? e.message : String(e)}`));
    this.ledger = new CreditsLedger(days);
    this.item = vscode.window.createStatusBarItem('visionChat.credits', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Vision Chat Credits';
    this.item.command = Commands.refreshCredits;
    this.disposables.push(
      this.item,
      deps.keys.onDidChange((provider) => void this.onKeyChanged(provider)),
      deps.settings.onDidChange(() => this.render()),
      // Other windows add to the day's spend: read it again when this one is looked at.
      vscode.window.onDidChangeWindowState((state) => state.focused && this.render()),
      { dispose: () => clearTimeout(this.midnight) },
    );
  }

  /** Fills the item after activation without holding it up. */
  start(): void {
    setTimeout(() => void this.refresh(), 0);
  }

  report(provider: ProviderId, event: ChatEvent): void {
    if (this.ledger.record(provider, event)) this.render();
  }

  spentTodayUsd(): number {
    return this.ledger.spentTodayUsd();
  }

  /** Reads the balance again (the item's click); without a Segmind key it only re-checks the keys. */
  refresh(): Promise<void> {
    this.refreshing ??= this.readBalance().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async readBalance(): Promise<void> {
    await this.readKeys();
    if (!this.hasBalanceKey) {
      this.ledger.clearBalance();
      this.render();
      return;
    }
    this.render();
    if (!BALANCE_PROVIDER) return;
    const name = providerName(BALANCE_PROVIDER);
    try {
      const client = await this.deps.clientFor(BALANCE_PROVIDER);
      if (!client.getCredits) return;
      const credits = await client.getCredits();
      this.ledger.setBalance(credits);
      this.deps.log.info(`${name} balance read: ${formatBalance(credits.remaining)}`);
    } catch (e) {
      const reason = isProviderError(e) ? `${e.kind}: ${errorText(e)}` : (e as Error).message;
      this.deps.log.warn(`Could not read the ${name} balance (${reason})`);
      this.item.tooltip = new vscode.MarkdownString(`Could not read the ${name} balance: ${escapeMarkdown(reason)}\n\nClick to try again.`);
      return;
    }
    this.render();
  }

  private async readKeys(): Promise<void> {
    const sources = new Map(await Promise.all(PROVIDER_IDS.map(async (p) => [p, (await this.deps.keys.get(p)).source] as const)));
    this.hasBalanceKey = BALANCE_PROVIDER !== undefined && sources.get(BALANCE_PROVIDER) !== 'none';
    this.hasAnyKey = [...sources.values()].some((source) => source !== 'none');
  }

  private async onKeyChanged(provider: ProviderId): Promise<void> {
    if (provider === BALANCE_PROVIDER) {
      await this.refresh();
    } else {
      await this.readKeys();
      this.render();
    }
  }

  private render(): void {
    if (!this.hasAnyKey) {
      this.item.hide();
      return;
    }
    const balance = this.ledger.balance;
    const warnBelow = this.deps.settings.warnBelow;
    const low = balance !== undefined && balance.remaining < warnBelow;
    this.item.text = statusText(this.ledger, this.hasBalanceKey);
    this.item.backgroundColor = low ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const limitUsd = this.deps.settings.spendLimitPerDay;
    const tooltip = new vscode.MarkdownString(tooltipMarkdown(this.ledger, { warnBelow, hasBalanceKey: this.hasBalanceKey, limitUsd }), true);
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = {
      label: balance
        ? `${BALANCE_PROVIDER ? providerName(BALANCE_PROVIDER) : 'Account'} balance ${formatBalance(balance.remaining)} credits${low ? ', low' : ''}; click to refresh`
        : 'Vision Chat credits; click to refresh',
    };
    this.item.show();
    this.renderAtMidnight();
  }

  /** The tooltip's "Today" starts afresh at local midnight, not at the next answer. */
  private renderAtMidnight(): void {
    clearTimeout(this.midnight);
    const now = new Date();
    const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
    // A second late: the clock's day has surely turned by then.
    this.midnight = setTimeout(() => this.render(), next - now.getTime() + 1000);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
