// Provider clients configured from settings and keys, and the model catalog. Clients are cheap to
// create (connections are pooled in the core), so one is made per request: a changed setting or key
// applies to the very next request. The HTTP side of the core (undici) is loaded on the first
// request, not at activation. The catalog is the built-in models plus the providers' own listings
// (read when a picker or the chat view first needs them, never at activation) plus settings.

import { buildCatalog, type Catalog, type LiveListings } from '../core/catalog';
import { ProviderError, isProviderError, noKeyError } from '../core/errors';
import { LiveCatalogs, type CatalogStore, type ListingState } from '../core/liveCatalogs';
import { PROVIDER_IDS, providerInfo, providerName } from '../core/providerTable';
import type { ChatEvent, ChatProvider, ChatRequest, ModelInfo, ProviderConfig, ProviderId } from '../core/types';
import { baseUrlProblem, isHosted, keyNotSentError, type KeyHostConsent } from './baseUrls';
import { providerNeedsKey } from './keys';
import type { KeyStore } from './services';
import type { ConfigurationSettings } from './settings';

type ClientSettings = Pick<ConfigurationSettings, 'baseUrl' | 'requestTimeoutMs' | 'proxy' | 'customModels' | 'onDidChange'>;

/** Providers whose models come from a listing. */
const LISTED = PROVIDER_IDS.filter((p) => providerInfo(p).catalog.kind !== 'curated');

export class ProviderClients {
  private cachedCatalog: Catalog | undefined;
  readonly live: LiveCatalogs;
  private readonly catalogListeners = new Set<() => void>();

  constructor(
    private readonly settings: ClientSettings,
    private readonly keys: KeyStore,
    /** Whether a key may go to a host other than the provider's own (asked once per host). */
    private readonly consent?: Pick<KeyHostConsent, 'allowed'>,
    store: CatalogStore = { read: async () => undefined, write: async () => undefined },
  ) {
    this.live = new LiveCatalogs(store, (provider, baseUrl, signal) => this.fetchListing(provider, baseUrl, signal));
    settings.onDidChange(() => (this.cachedCatalog = undefined));
    this.live.onDidChange(() => {
      this.cachedCatalog = undefined;
      for (const listener of [...this.catalogListeners]) listener();
    });
  }

  /** Called when a listing was read (or failed) or a model retired: pickers and the LM provider refresh. */
  onDidChangeCatalog(listener: () => void): { dispose(): void } {
    this.catalogListeners.add(listener);
    return { dispose: () => this.catalogListeners.delete(listener) };
  }

  catalog(): Catalog {
    if (!this.cachedCatalog) {
      const live: LiveListings = {};
      for (const p of LISTED) live[p] = this.live.state(p, this.settings.baseUrl(p)).models;
      this.cachedCatalog = buildCatalog(this.settings.customModels, live, this.live.retiredModels());
    }
    return this.cachedCatalog;
  }

  /**
   * Reads the listings that are stale or missing, in the background; resolves when all are done.
   * `force` reads them again now (the picker's Refresh).
   */
  refreshCatalogs(force = false): Promise<void> {
    const work = LISTED.map((p) => this.live.refresh(p, this.settings.baseUrl(p), { force }));
    return Promise.all([...work, this.live.loadRetired()]).then(() => undefined);
  }

  /** The listings kept from earlier sessions and the retired models: disk only, no request. */
  loadStoredCatalogs(): Promise<void> {
    const work = LISTED.map((p) => this.live.loadStored(p, this.settings.baseUrl(p)));
    return Promise.all([...work, this.live.loadRetired()]).then(() => undefined);
  }

  /** What is known of each listed provider's listing: time, loading, note. */
  listingStates(): ReadonlyMap<ProviderId, ListingState> {
    return new Map(LISTED.map((p) => [p, this.live.state(p, this.settings.baseUrl(p))]));
  }

  /**
   * A listing is read in the background, so it never asks where a key may go: without consent for
   * the host the listing is asked for without the key (DeepInfra's and Ollama's need none).
   */
  private async fetchListing(provider: ProviderId, _baseUrl: string, signal?: AbortSignal) {
    const { key } = await this.keys.get(provider);
    const client = await this.clientWithKey(provider, key, false).catch(() => this.clientWithKey(provider, undefined, false));
    return client.listModels ? client.listModels(signal) : [];
  }

  async providerFor(model: ModelInfo): Promise<ChatProvider> {
    if (model.retired) throw retiredError(model);
    const client = await this.clientFor(model.provider);
    // Only a curated list (no listing to drop the model from) learns of a retired model from the answer.
    return providerInfo(model.provider).catalog.kind === 'curated' ? this.watchRetired(client) : client;
  }

  /** A 404/410 for a curated model marks it retired; an answer clears the mark. */
  private watchRetired(client: ChatProvider): ChatProvider {
    const live = this.live;
    return {
      id: client.id,
      checkKey: (signal) => client.checkKey(signal),
      getCredits: client.getCredits && ((signal) => client.getCredits!(signal)),
      async *stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatEvent, void, undefined> {
        try {
          for await (const event of client.stream(request, signal)) {
            if (event.type === 'end' && event.outcome === 'complete') void live.unretire(request.model.id);
            yield event;
          }
        } catch (error) {
          if (isProviderError(error) && error.kind === 'unknownModel' && (error.status === 404 || error.status === 410)) {
            await live.markRetired(request.model.id);
          }
          throw error;
        }
      },
    };
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

function retiredError(model: ModelInfo): ProviderError {
  const name = providerName(model.provider);
  return new ProviderError({
    kind: 'unknownModel',
    provider: model.provider,
    message: `${name} no longer serves “${model.displayName}” (it answered 404/410 before).`,
    nextStep: 'pickOtherModel',
  });
}

/** The core's HTTP clients, loaded once on first use (esbuild keeps a dynamic import lazy in the bundle). */
export function loadProviders(): Promise<typeof import('../core/providers')> {
  return import('../core/providers');
}
