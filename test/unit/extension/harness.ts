// A session host for tests: real provider clients (src/core) pointed at the real simulator, and a
// record of everything the session posts to the view, notifies, logs and asks for.

import { buildCatalog, type Catalog } from '../../../src/core/catalog';
import { ProviderError } from '../../../src/core/errors';
import { closeDispatchers, createProvider } from '../../../src/core/providers';
import type { ChatEvent, ModelInfo, ProviderId } from '../../../src/core/types';
import { providerName } from '../../../src/core/providerTable';
import type { HostMessage, ViewImage, ViewMessage } from '../../../src/protocol';
import { MessageRouter, type RouterHost } from '../../../src/extension/chat/messageRouter';
import { ContextStore } from '../../../src/extension/context/contextStore';
import type { Attachment } from '../../../src/extension/context/attachments';
import { newConversation, type Conversation } from '../../../src/extension/conversation';
import { ChatSession, type SessionHost, type SessionSettings } from '../../../src/extension/session';
import { startSimulator, type Simulator } from '../../../src/simulator/server';
import { png } from '../core/fixtures';

export const TEXT_MODEL = 'deepinfra:meta-llama/Meta-Llama-3-8B-Instruct';
export const VISION_MODEL = 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct';
export const SEGMIND_TEXT_MODEL = 'segmind:llama-v3-8b-instruct';

export class TestHost implements SessionHost {
  readonly posts: HostMessage[] = [];
  readonly notices: { level: string; message: string }[] = [];
  readonly logLines: string[] = [];
  readonly reported: { provider: ProviderId; event: ChatEvent }[] = [];
  readonly saves: { conversation: Conversation; turnEnded: boolean }[] = [];
  readonly keyRequests: ProviderId[] = [];
  readonly keys = new Map<ProviderId, string>();
  /** What the Set API Key flow does when asked: store this key, or cancel (undefined). */
  keyToEnter: string | undefined;
  settingsValue: SessionSettings = { modelId: TEXT_MODEL, systemPrompt: 'Be brief.', temperature: 0.5, maxTokens: 512 };
  private readonly catalogValue: Catalog = buildCatalog([{ id: 'sim-vision', vision: true }]);

  constructor(private readonly sim: Simulator) {
    this.keys.set('deepinfra', sim.validKey);
    this.keys.set('segmind', sim.validKey);
  }

  readonly log = {
    info: (m: string) => void this.logLines.push(`info ${m}`),
    warn: (m: string) => void this.logLines.push(`warn ${m}`),
    error: (m: string) => void this.logLines.push(`error ${m}`),
  };

  post(message: HostMessage): void {
    this.posts.push(message);
  }

  catalog(): Catalog {
    return this.catalogValue;
  }

  settings(): SessionSettings {
    return this.settingsValue;
  }

  async providerFor(model: ModelInfo) {
    const key = this.keys.get(model.provider);
    if (!key && model.provider !== 'openaiCompatible') {
      throw new ProviderError({ kind: 'noKey', provider: model.provider, message: `No ${providerName(model.provider)} API key is set.` });
    }
    const baseUrl = { segmind: this.sim.segmindBaseUrl, deepinfra: this.sim.deepinfraBaseUrl, openaiCompatible: this.sim.openaiBaseUrl }[model.provider];
    return createProvider(model.provider, { baseUrl, apiKey: key, retry: { baseDelayMs: 20, maxDelayMs: 50 }, timeouts: { firstByteMs: 5000, idleMs: 5000 } });
  }

  /** While set, the Set API Key flow waits for it (the user still typing the key). */
  keyFlowGate: Promise<void> | undefined;

  async requestApiKey(provider: ProviderId): Promise<boolean> {
    this.keyRequests.push(provider);
    await this.keyFlowGate;
    if (this.keyToEnter === undefined) return false;
    this.keys.set(provider, this.keyToEnter);
    return true;
  }

  /** The spend limit's question, when a test sets one (none: every request may go). */
  confirmSpend: SessionHost['confirmSpend'];

  /** What a prompt given back does with its attachments (the controller holds and posts them again). */
  restoreContext: ((attachments: readonly Attachment[]) => void) | undefined;

  /** Where reported credits go besides `reported` (a test's status bar ledger). */
  onReport: ((provider: ProviderId, event: ChatEvent) => void) | undefined;

  reportCredits(provider: ProviderId, event: ChatEvent): void {
    this.reported.push({ provider, event });
    this.onReport?.(provider, event);
  }

  conversationChanged(conversation: Conversation, turnEnded: boolean): void {
    this.saves.push({ conversation, turnEnded });
  }

  notify(level: 'info' | 'warning' | 'error', message: string): void {
    this.notices.push({ level, message });
  }

  postsOf<T extends HostMessage['type']>(type: T): Extract<HostMessage, { type: T }>[] {
    return this.posts.filter((p): p is Extract<HostMessage, { type: T }> => p.type === type);
  }

  /** The view's messages as the webview would have them after applying every post. */
  replay(): ViewMessage[] {
    let messages: ViewMessage[] = [];
    for (const post of this.posts) {
      if (post.type === 'append') messages.push(post.message);
      else if (post.type === 'delta') messages = messages.map((m) => (m.id === post.id ? { ...m, text: m.text + post.text } : m));
      else if (post.type === 'reasoningDelta') messages = messages.map((m) => (m.id === post.id ? { ...m, reasoning: (m.reasoning ?? '') + post.text } : m));
      else if (post.type === 'update') messages = messages.map((m) => (m.id === post.id ? { ...m, ...post.patch } : m));
      else if (post.type === 'remove') messages = messages.filter((m) => !post.ids.includes(m.id));
    }
    return messages;
  }
}

export function newSession(sim: Simulator): { host: TestHost; session: ChatSession } {
  const host = new TestHost(sim);
  return { host, session: new ChatSession(host, newConversation()) };
}

export function viewImage(width = 64, height = 48, name = 'diagram.png'): ViewImage {
  const bytes = png(width, height);
  return { id: `img-${name}`, name, mime: 'image/png', dataUrl: `data:image/png;base64,${bytes.toString('base64')}`, width, height, bytes: bytes.length };
}

export function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (predicate()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('timed out waiting for a condition'));
      else setTimeout(check, 5);
    };
    check();
  });
}

/** How long saving a model choice takes here: VS Code's configuration write is just as asynchronous. */
const SETTINGS_WRITE_MS = 40;

/** The router as the controller builds it, over a real session; VS Code's parts recorded. */
export function routed(host: TestHost, session: ChatSession, overrides: Partial<RouterHost> = {}) {
  const failures: string[] = [];
  const asked: string[] = [];
  const store = new ContextStore();
  const router = new MessageRouter({
    session: async () => session,
    loadedSession: () => session,
    post: (message) => host.post(message),
    deliverState: async () => host.post({ type: 'state', state: { ...session.snapshot(), models: [], modelId: host.settingsValue.modelId } }),
    selectModel: async (modelId) => {
      await new Promise((resolve) => setTimeout(resolve, SETTINGS_WRITE_MS));
      host.settingsValue = { ...host.settingsValue, modelId };
    },
    pickModel: async () => void asked.push('pickModel'),
    pickImages: async () => void asked.push('pickImages'),
    errorAction: async (action) => void asked.push(`errorAction ${action}`),
    codeAction: async ({ action, target }) => void asked.push(`code ${action}${target ? ` ${target}` : ''}`),
    openLink: async (href) => void asked.push(`openLink ${href}`),
    newChat: async () => {
      session.stop();
      session.load(newConversation());
    },
    notify: (notice) => host.notify('error', notice),
    fail: (what, e) => failures.push(`${what}: ${e instanceof Error ? e.message : String(e)}`),
    context: {
      store,
      suggest: async (query) => [{ label: `suggested for ${query}`, ref: { kind: 'selection' } }],
      attach: async (ref) => void asked.push(`attach ${ref.kind}`),
      drop: async (uris) => void asked.push(`drop ${uris.length}`),
      open: async (location) => void asked.push(`open ${location.path}`),
    },
    ...overrides,
  });
  return { router, failures, asked, store };
}

/**
 * One simulator for the enclosing `describe`: started before its tests, reset before each, closed
 * (with the pooled connections) after. The returned object stands for the running simulator.
 */
export function useSimulator(): Simulator {
  let sim: Simulator | undefined;
  before(async () => {
    sim = await startSimulator();
  });
  after(async () => {
    await sim?.close();
    await closeDispatchers();
  });
  beforeEach(() => sim?.reset());
  return new Proxy({} as Simulator, {
    get(_target, name) {
      if (!sim) throw new Error('The simulator is used before its before() hook ran.');
      const value: unknown = Reflect.get(sim, name, sim);
      return typeof value === 'function' ? value.bind(sim) : value;
    },
  });
}
