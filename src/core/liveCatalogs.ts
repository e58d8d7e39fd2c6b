// The providers' own model listings, fetched on first need (never at activation), kept in a store
// (the extension's global storage) with the time they were read, and read again in the background
// once stale. When a provider cannot be reached the last good listing stays; with none, the
// built-in list stands and `note` says why. Models that answered 404/410 are remembered as retired.

import { MAX_LISTED_MODELS, type ListedModel } from './modelListings';
import { providerMention } from './providerTable';
import type { ProviderId } from './types';

/** Where listings are kept between sessions: small JSON texts by name. */
export interface CatalogStore {
  read(name: string): Promise<string | undefined>;
  write(name: string, text: string): Promise<void>;
}

/** Reads one provider's listing from the network. Throws (a ProviderError) when it cannot. */
export type ListingFetcher = (provider: ProviderId, baseUrl: string, signal?: AbortSignal) => Promise<readonly ListedModel[]>;

export interface ListingState {
  readonly models: readonly ListedModel[];
  /** Epoch ms of the reading shown; absent when only the built-in list is known. */
  readonly fetchedAt?: number;
  /** Why the listing is missing or old, for the picker ("Could not reach DeepInfra's model list…"). */
  readonly note?: string;
  readonly loading: boolean;
}

/** A listing younger than this is not read again. */
export const FRESH_FOR_MS = 6 * 60 * 60 * 1000;
/** After a failure, the next try waits this long (a picker opened twice must not hammer a dead server). */
const RETRY_AFTER_FAILURE_MS = 60 * 1000;
/**
 * Refreshes asked for within this long of the last one are answered from what is known, without
 * even a disk read: VS Code asks for the models again after every change event, and each ask
 * refreshes.
 */
export const MIN_CHECK_INTERVAL_MS = 5 * 1000;
const MAX_STORED_CHARS = 4 * 1024 * 1024;
const MAX_RETIRED = 500;

interface Entry {
  baseUrl: string;
  models: readonly ListedModel[];
  fetchedAt?: number;
  failedAt?: number;
  /** When a (not forced) refresh last looked at this listing. */
  checkedAt?: number;
  note?: string;
  loading?: Promise<void>;
  /** The store's reading for this base URL, once asked for. */
  stored?: Promise<void>;
}

interface Stored {
  readonly baseUrl: string;
  readonly fetchedAt: number;
  readonly models: readonly ListedModel[];
}

export class LiveCatalogs {
  private readonly entries = new Map<ProviderId, Entry>();
  private readonly listeners = new Set<() => void>();
  private retired = new Set<string>();
  private retiredLoaded: Promise<void> | undefined;

  constructor(
    private readonly store: CatalogStore,
    private readonly fetcher: ListingFetcher,
    private readonly now: () => number = Date.now,
    private readonly freshForMs = FRESH_FOR_MS,
  ) {}

  /** Called after a listing, its note or the retired set really changed; never for a refresh that found nothing new. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** What is known now, without waiting. */
  state(provider: ProviderId, baseUrl: string): ListingState {
    const entry = this.entries.get(provider);
    if (!entry || entry.baseUrl !== baseUrl) return { models: [], loading: false };
    return { models: entry.models, fetchedAt: entry.fetchedAt, note: entry.note, loading: entry.loading !== undefined };
  }

  /**
   * Makes the listing current: reads the stored one, then the network when it is stale or missing
   * (or `force`). Resolves when done; never throws (a failure becomes the note).
   */
  refresh(provider: ProviderId, baseUrl: string, options: { force?: boolean } = {}): Promise<void> {
    const entry = this.entry(provider, baseUrl);
    // One reading in flight per listing, shared by every caller.
    if (entry.loading) return entry.loading;
    const force = options.force === true;
    const now = this.now();
    if (!force && entry.checkedAt !== undefined && now - entry.checkedAt < MIN_CHECK_INTERVAL_MS) return Promise.resolve();
    entry.checkedAt = now;
    const work = (async () => {
      let changed = false;
      try {
        changed = await this.load(provider, entry, force);
      } finally {
        entry.loading = undefined;
      }
      // Only a real change is told: the listeners' own reactions ask for a refresh again.
      if (changed) this.fire();
    })();
    entry.loading = work;
    return work;
  }

  /**
   * Only the stored listing (a quick disk read, no request): enough for a model chosen in an earlier
   * session to be known before the first prompt.
   */
  loadStored(provider: ProviderId, baseUrl: string): Promise<void> {
    const entry = this.entry(provider, baseUrl);
    entry.stored ??= this.readStored(provider, baseUrl).then((stored) => {
      if (stored && entry.fetchedAt === undefined) {
        entry.models = stored.models;
        entry.fetchedAt = stored.fetchedAt;
        this.fire();
      }
    });
    return entry.stored;
  }

  private entry(provider: ProviderId, baseUrl: string): Entry {
    let entry = this.entries.get(provider);
    if (!entry || entry.baseUrl !== baseUrl) {
      entry = { baseUrl, models: [] };
      this.entries.set(provider, entry);
    }
    return entry;
  }

  /** Reads the listing when it is stale or missing; true when the models or the note changed. */
  private async load(provider: ProviderId, entry: Entry, force: boolean): Promise<boolean> {
    // The stored listing tells its own change.
    await this.loadStored(provider, entry.baseUrl);
    const now = this.now();
    if (!force && entry.fetchedAt !== undefined && now - entry.fetchedAt < this.freshForMs) return false;
    if (!force && entry.failedAt !== undefined && now - entry.failedAt < RETRY_AFTER_FAILURE_MS) return false;
    const before = { models: entry.models, note: entry.note };
    try {
      const models = (await this.fetcher(provider, entry.baseUrl)).slice(0, MAX_LISTED_MODELS);
      entry.models = models;
      entry.fetchedAt = this.now();
      entry.failedAt = undefined;
      entry.note = undefined;
      const stored: Stored = { baseUrl: entry.baseUrl, fetchedAt: entry.fetchedAt, models };
      await this.store.write(storeName(provider), JSON.stringify(stored)).catch(() => undefined);
    } catch (error) {
      entry.failedAt = this.now();
      const reason = error instanceof Error ? error.message : String(error);
      const whose = `${providerMention(provider)}’s model list`;
      entry.note =
        entry.fetchedAt !== undefined
          ? `Could not refresh ${whose}; showing the one read ${new Date(entry.fetchedAt).toLocaleString()}. ${reason}`
          : `Could not reach ${whose}; showing the built-in models. ${reason}`;
    }
    return entry.note !== before.note || !sameModels(entry.models, before.models);
  }

  private async readStored(provider: ProviderId, baseUrl: string): Promise<Stored | undefined> {
    let text: string | undefined;
    try {
      text = await this.store.read(storeName(provider));
    } catch {
      return undefined;
    }
    if (!text || text.length > MAX_STORED_CHARS) return undefined;
    try {
      const o = JSON.parse(text) as Partial<Stored>;
      // Another base URL's listing (the user moved to another server) is not this one.
      if (o.baseUrl !== baseUrl || typeof o.fetchedAt !== 'number' || !Array.isArray(o.models)) return undefined;
      const models = o.models
        .filter((m): m is ListedModel => typeof m === 'object' && m !== null && typeof (m as ListedModel).id === 'string')
        .slice(0, MAX_LISTED_MODELS);
      return { baseUrl, fetchedAt: Math.min(o.fetchedAt, this.now()), models };
    } catch {
      return undefined;
    }
  }

  /** Model ids (`provider:id`) that answered 404/410. */
  retiredModels(): ReadonlySet<string> {
    return this.retired;
  }

  /** Reads the retired set once; later calls resolve at once. */
  loadRetired(): Promise<void> {
    this.retiredLoaded ??= (async () => {
      try {
        const text = await this.store.read(RETIRED);
        const ids: unknown = text && text.length < MAX_STORED_CHARS ? JSON.parse(text) : [];
        if (Array.isArray(ids)) {
          for (const id of ids.slice(0, MAX_RETIRED)) if (typeof id === 'string' && id.length < 300) this.retired.add(id);
        }
        if (this.retired.size) this.fire();
      } catch {
        // A damaged file only forgets which models were retired.
      }
    })();
    return this.retiredLoaded;
  }

  async markRetired(modelId: string): Promise<void> {
    await this.loadRetired();
    if (this.retired.has(modelId)) return;
    this.retired = new Set([...this.retired, modelId].slice(-MAX_RETIRED));
    this.fire();
    await this.store.write(RETIRED, JSON.stringify([...this.retired])).catch(() => undefined);
  }

  /** A model answered again (e.g. the provider brought it back): it is no longer retired. */
  async unretire(modelId: string): Promise<void> {
    if (!this.retired.has(modelId)) return;
    this.retired = new Set([...this.retired].filter((id) => id !== modelId));
    this.fire();
    await this.store.write(RETIRED, JSON.stringify([...this.retired])).catch(() => undefined);
  }

  private fire(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // One listener's failure does not stop the others.
      }
    }
  }
}

const RETIRED = 'retired-models.json';

function sameModels(a: readonly ListedModel[], b: readonly ListedModel[]): boolean {
  return a === b || (a.length === b.length && JSON.stringify(a) === JSON.stringify(b));
}

function storeName(provider: ProviderId): string {
  return `models-${provider}.json`;
}
