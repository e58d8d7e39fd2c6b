// Provider clients configured from settings and keys, and the model catalog. Clients are cheap to
// create (connections are pooled in the core), so one is made per request: a changed setting or key
// applies to the very next request. The HTTP side of the core (undici) is loaded on the first
// request, not at activation.

import { buildCatalog, type Catalog } from '../core/catalog';
import { ProviderError } from '../core/errors';
import type { ChatProvider, ModelInfo, ProviderConfig, ProviderId } from '../core/types';
import { providerName } from '../core/providerTable';
import { providerNeedsKey } from './keys';
import type { KeyStore } from './services';
import type { ConfigurationSettings } from './settings';

type ClientSettings = Pick<ConfigurationSettings, 'baseUrl' | 'requestTimeoutMs' | 'proxy' | 'customModels' | 'onDidChange'>;

export class ProviderClients {
  private cachedCatalog: Catalog | undefined;

  constructor(
    private readonly settings: ClientSettings,
    private readonly keys: KeyStore,
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

  /** Throws ProviderError `noKey` when the provider needs a key and none is set. */
  async clientFor(provider: ProviderId): Promise<ChatProvider> {
    const { key } = await this.keys.get(provider);
    if (!key && providerNeedsKey(provider)) {
      throw new ProviderError({
        kind: 'noKey',
        provider,
        message: `No ${providerName(provider)} API key is set. Set one with Vision Chat: Set API Key…`,
      });
    }
    return this.clientWithKey(provider, key);
  }

  async clientWithKey(provider: ProviderId, key: string | undefined): Promise<ChatProvider> {
    const { createProvider } = await loadProviders();
    return createProvider(provider, this.config(provider, key));
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
