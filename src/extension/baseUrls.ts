// Where a hosted provider's key may go (issue 12). A repository's `.vscode/settings.json` could set
// `visionChat.segmind.baseUrl` to its own server and collect the key at the next balance read, so:
// the hosted base URLs come only from user (or machine) settings; they must be https: unless they
// point at the loopback; and before a stored key first goes to a host other than the provider's own,
// the user is asked, once per host (this machine's loopback excepted). No `vscode` here: plain Node tests drive it.

import { ProviderError } from '../core/errors';
import { providerInfo, providerName } from '../core/providerTable';
import type { ProviderId } from '../core/types';

/** The providers whose key is worth stealing: their base URL is never taken from a workspace. */
export const HOSTED_PROVIDERS: readonly ProviderId[] = ['segmind', 'deepinfra'];

export function isHosted(provider: ProviderId): boolean {
  return HOSTED_PROVIDERS.includes(provider);
}

/** What `WorkspaceConfiguration.inspect()` reports of a setting (only the fields read here). */
export interface InspectedSetting {
  readonly defaultValue?: unknown;
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

/**
 * A hosted provider's base URL: the user's (or machine's) value, else the default. A workspace or
 * folder value is never used; `ignored` reports it so the log can say so.
 */
export function hostedBaseUrl(provider: ProviderId, inspected: InspectedSetting | undefined): { url: string; ignored?: string } {
  const user = text(inspected?.globalValue);
  const url = (user ?? providerInfo(provider).baseUrl.default).replace(/\/+$/, '');
  const ignored = text(inspected?.workspaceFolderValue) ?? text(inspected?.workspaceValue);
  return ignored !== undefined && ignored.replace(/\/+$/, '') !== url ? { url, ignored } : { url };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Why a hosted provider's base URL cannot be used, or undefined when it can: https:, or http: to the loopback. */
export function baseUrlProblem(provider: ProviderId, baseUrl: string): ProviderError | undefined {
  const setting = `visionChat.${providerInfo(provider).baseUrl.setting}`;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return refused(provider, `The ${setting} setting is not a URL. Fix it in your user settings, then retry.`);
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  return refused(
    provider,
    `The ${setting} setting must start with https:// (plain http:// only to this machine), or your ${providerName(provider)} key would travel in clear. Fix it in your user settings, then retry.`,
  );
}

function refused(provider: ProviderId, message: string): ProviderError {
  return new ProviderError({ kind: 'unsupported', provider, message, nextStep: 'fixSetting' });
}

/** The host of the provider's default base URL: a key goes there without a question. */
export function ownHost(provider: ProviderId): string {
  return new URL(providerInfo(provider).baseUrl.default).host;
}

/** The part of VS Code's `Memento` (globalState) used here. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

const ALLOWED_HOSTS_KEY = 'visionChat.keyHostsAllowed';

/**
 * The answers to "send the key to this host?", per provider and host. A yes is kept in globalState
 * (every window, every restart); a no only for this window, so a slip is undone by reloading, and
 * nobody is asked twice in a row.
 */
export class KeyHostConsent {
  private readonly refused = new Set<string>();
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(
    private readonly memento: MementoLike,
    /** Asks the user; true to send the key. */
    private readonly ask: (provider: ProviderId, host: string) => Promise<boolean>,
  ) {}

  /** Whether the key may go to `baseUrl`; asks when `interactive` and not asked before. */
  async allowed(provider: ProviderId, baseUrl: string, interactive: boolean): Promise<boolean> {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      return false;
    }
    const host = url.host;
    // This machine (a local gateway, the simulator) is the user's own: no question.
    if (host === ownHost(provider) || isLoopback(url.hostname)) return true;
    const entry = `${provider} ${host}`;
    if (this.allowedHosts().includes(entry)) return true;
    if (this.refused.has(entry) || !interactive) return false;
    // Two requests at once (the chat and the balance) share one question.
    let answer = this.pending.get(entry);
    if (!answer) {
      answer = this.ask(provider, host);
      this.pending.set(entry, answer);
    }
    try {
      const yes = await answer;
      if (yes && !this.allowedHosts().includes(entry)) await this.memento.update(ALLOWED_HOSTS_KEY, [...this.allowedHosts(), entry]);
      if (!yes) this.refused.add(entry);
      return yes;
    } finally {
      this.pending.delete(entry);
    }
  }

  private allowedHosts(): readonly string[] {
    const value = this.memento.get<unknown>(ALLOWED_HOSTS_KEY);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }
}

/** The error when the user said no (or was not asked, for a background read). */
export function keyNotSentError(provider: ProviderId, baseUrl: string): ProviderError {
  const setting = `visionChat.${providerInfo(provider).baseUrl.setting}`;
  let host = baseUrl;
  try {
    host = new URL(baseUrl).host;
  } catch {
    // The URL check reports a bad URL before this.
  }
  return refused(
    provider,
    `Your ${providerName(provider)} key was not sent to ${host}, which is not ${providerName(provider)}'s own server (${ownHost(provider)}). If you trust that server, reload the window and allow it when asked; otherwise remove ${setting} from your user settings.`,
  );
}
