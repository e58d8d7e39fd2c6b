// API keys live only in VS Code's SecretStorage, one entry per provider. The environment variable
// the provider table names (SEGMIND_API_KEY, DEEPINFRA_TOKEN) is a fallback for people who already export them; the UI says
// which one is in use. This module only imports vscode types, so it runs under plain-Node tests.

import type * as vscode from 'vscode';
import { PROVIDER_IDS, isProviderId, providerInfo } from '../core/providerTable';
import type { ProviderId } from '../core/types';
import type { KeySource, KeyStore } from './services';

export { PROVIDER_IDS };

/**
 * Set only by `npm start` (scripts/start.mjs) for the code-server it starts: the provider simulator's
 * key, so the first question answers with nothing to paste. It is never stored, never described as
 * the user's key, loses to any key the user gives, and goes only to a server on this machine.
 */
export const SIMULATOR_KEY_VARIABLE = 'VISION_CHAT_SIMULATOR_KEY';

const SECRET_PREFIX = 'visionChat.key.';

export function secretName(provider: ProviderId): string {
  return SECRET_PREFIX + provider;
}

export function envVariableFor(provider: ProviderId): string | undefined {
  return providerInfo(provider).key.env;
}

/** Whether a request to this provider cannot be made without a key. */
export function providerNeedsKey(provider: ProviderId): boolean {
  return providerInfo(provider).key.required;
}

type SecretStorageLike = Pick<vscode.SecretStorage, 'get' | 'store' | 'delete' | 'onDidChange'>;

export class SecretKeyStore implements KeyStore {
  readonly onDidChange: vscode.Event<ProviderId>;

  constructor(
    private readonly secrets: SecretStorageLike,
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Where each provider's requests go; the simulator's key is offered only to a loopback address. */
    private readonly baseUrl?: (provider: ProviderId) => string,
  ) {
    // Only our own entries, translated to the provider they belong to.
    this.onDidChange = (listener, thisArgs, disposables) =>
      this.secrets.onDidChange(
        (e) => {
          const provider = providerOfSecret(e.key);
          if (provider) listener.call(thisArgs, provider);
        },
        undefined,
        disposables,
      );
  }

  async get(provider: ProviderId): Promise<{ key?: string; source: KeySource }> {
    const stored = (await this.secrets.get(secretName(provider)))?.trim();
    if (stored) return { key: stored, source: 'secretStorage' };
    const variable = envVariableFor(provider);
    const fromEnv = variable ? this.env[variable]?.trim() : undefined;
    if (fromEnv) return { key: fromEnv, source: 'environment' };
    const simulator = this.simulatorKey(provider);
    if (simulator) return { key: simulator, source: 'simulator' };
    return { source: 'none' };
  }

  private simulatorKey(provider: ProviderId): string | undefined {
    const key = this.env[SIMULATOR_KEY_VARIABLE]?.trim();
    return key && this.baseUrl && isLoopback(this.baseUrl(provider)) ? key : undefined;
  }

  async set(provider: ProviderId, key: string): Promise<void> {
    const trimmed = key.trim();
    if (!trimmed) throw new Error('An API key cannot be empty.');
    const problem = keyProblem(trimmed);
    if (problem) throw new Error(problem);
    await this.secrets.store(secretName(provider), trimmed);
  }

  async delete(provider: ProviderId): Promise<void> {
    await this.secrets.delete(secretName(provider));
  }
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}

/**
 * Why a typed or pasted key cannot be a key, or undefined. A line break or a NUL would make every
 * request fail at the HTTP header (as "could not reach"); no provider's key has spaces or controls.
 */
export function keyProblem(text: string): string | undefined {
  const key = text.trim();
  if (!key) return 'Paste a key, or press Escape to cancel.';
  if (/[\s\u0000-\u001f\u007f]/.test(key)) return 'A key cannot contain spaces, line breaks or control characters: copy it again from the provider\'s page.';
  return undefined;
}

function providerOfSecret(name: string): ProviderId | undefined {
  if (!name.startsWith(SECRET_PREFIX)) return undefined;
  const id = name.slice(SECRET_PREFIX.length);
  return isProviderId(id) ? id : undefined;
}

/** How the UI names a key's origin. */
export function describeKeySource(source: KeySource, provider: ProviderId): string {
  switch (source) {
    case 'secretStorage':
      return 'key stored in VS Code';
    case 'environment':
      return `key from $${envVariableFor(provider)}`;
    case 'simulator':
      return 'the simulator’s key (npm start)';
    default:
      return providerNeedsKey(provider) ? 'no key' : 'no key (optional)';
  }
}
