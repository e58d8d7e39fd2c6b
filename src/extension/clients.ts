// Provider clients configured from settings and keys, and the model catalog. Clients are cheap to
// create (connections are pooled in the core), so one is made per request: a changed setting or key
// applies to the very next request. The HTTP side of the core (undici) is loaded on the first
// request, not at activation.

import { buildCatalog, type Catalog } from '../core/catalog';
import { noKeyError } from '../core/errors';
import type { ChatProvider, ModelInfo, ProviderConfig, ProviderId } from '../core/types';
import { baseUrlProblem, isHosted, keyNotSentError, type KeyHostConsent } from './baseUrls';
import { providerNeedsKey } from './keys';
import type { KeyStore } from './services';
import type { ConfigurationSettings } from './settings';

type ClientSettings = Pick<ConfigurationSettings, 'baseUrl' | 'requestTimeoutMs' | 'proxy' | 'customModels' | 'onDidChange'>;

export class ProviderClients {
  private cachedCatalog: Catalog | undefined;

  constructor(
    private readonly settings: ClientSettings,
    private readonly keys: KeyStore,
    /** Whether a key may go to a host other than the provider's own (asked once per host). */
    private readonly consent?: Pick<KeyHostConsent, 'allowed'>,
  ) {
    settings.onDidChange(() => (this.cachedCatalog = undefined));
  }

  catalog(): Catalog {
    this.cachedCatalog ??= buildCatalog(this.settings.customModels);
    return this.cachedCatalog;
  }

  providerFor(model: ModelInfo): Promise<ChatProvider> {
    return this.clientFor(model.provider);
  }

  /**
   * Throws ProviderError `noKey` when the provider needs a key and none is set. `interactive: false`
   * (a background balance read) never asks a question: an unconfirmed host is refused.
   */
  async clientFor(provider: ProviderId, interactive = true): Promise<ChatProvider> {
    const { key } = await this.keys.get(provider);
    if (!key && providerNeedsKey(provider)) {
      throw noKeyError(provider);
    }
    return this.clientWithKey(provider, key, interactive);
  }

  /** A client for `key`; throws before any request when the base URL may not carry it. */
  async clientWithKey(provider: ProviderId, key: string | undefined, interactive = true): Promise<ChatProvider> {
    const config = this.config(provider, key);
    if (isHosted(provider)) {
      const problem = baseUrlProblem(provider, config.baseUrl);
      if (problem) throw problem;
      if (key && this.consent && !(await this.consent.allowed(provider, config.baseUrl, interactive))) throw keyNotSentError(provider, config.baseUrl);
    }
    const { createProvider } = await loadProviders();
    return createProvider(provider, config);
  }

  private config(provider: ProviderId, apiKey: string | undefined): ProviderConfig {
    const timeout = this.settings.requestTimeoutMs;
    return {
      baseUrl: this.settings.baseUrl(provider),
      apiKey,
      timeouts: { firstByteMs: timeout, idleMs: timeout },
      proxy: this.settings.proxy,
    };
  }
}

/** The core's HTTP clients, loaded once on first use (esbuild keeps a dynamic import lazy in the bundle). */
export function loadProviders(): Promise<typeof import('../core/providers')> {
  return import('../core/providers');
}
