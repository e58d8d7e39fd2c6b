// The provider simulator: a real HTTP server on loopback that speaks Segmind's, DeepInfra's and a
// plain OpenAI-compatible API, misbehaves on request (scenarios), and records what clients sent.
// Tests, end-to-end runs and benchmarks start it in-process; `npm run simulator` runs it for people
// who want to try the extension without a key. See README.md next to this file.

import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SimContext } from './context';
import { Exchange, type ExchangeEvents } from './exchange';
import { handleChatCompletions, handleMe, handleModels, handleOllamaShow } from './openai';
import { isScenario, SCENARIOS, SLOW_TOKENS_PER_SECOND, type Scenario } from './scenarios';
import { handleSegmind } from './segmind';
import type { SimProvider, SimRequestRecord, Simulator, SimulatorOptions } from './types';

export type { Scenario } from './scenarios';
export { SCENARIOS, isScenario } from './scenarios';
export type { SimProvider, SimRequestRecord, Simulator, SimulatorOptions } from './types';

const DEFAULTS = {
  host: '127.0.0.1',
  validKey: 'sim-valid-key',
  credits: 25,
  tokensPerSecond: 0,
  answerTokens: 60,
};

/** The log keeps the most recent records only, so a simulator left running for days stays small. */
const MAX_RECORDS = 10_000;

interface Tunables {
  tokensPerSecond: number;
  answerTokens: number;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = new ProviderSimulator(options);
  await sim.listen(options.port ?? 0, options.host ?? DEFAULTS.host);
  return sim;
}

class ProviderSimulator extends EventEmitter implements Simulator {
  readonly validKey: string;
  private readonly initial: Tunables & { credits: number };
  private tunables: Tunables;
  private balance: number;
  private listingsAreDown = false;
  private queue: Scenario[] = [];
  private log: SimRequestRecord[] = [];
  private nextId = 1;
  private shuttingDown = false;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private baseUrl = '';
  private readonly context: SimContext;
  private readonly exchangeEvents: ExchangeEvents;

  constructor(options: SimulatorOptions) {
    super();
    this.validKey = options.validKey ?? DEFAULTS.validKey;
    this.initial = {
      credits: checkNumber('credits', options.credits ?? DEFAULTS.credits, -Infinity),
      tokensPerSecond: checkNumber('tokensPerSecond', options.tokensPerSecond ?? DEFAULTS.tokensPerSecond),
      answerTokens: Math.floor(checkNumber('answerTokens', options.answerTokens ?? DEFAULTS.answerTokens)),
    };
    this.tunables = { tokensPerSecond: this.initial.tokensPerSecond, answerTokens: this.initial.answerTokens };
    this.balance = this.initial.credits;
    this.context = this.makeContext();
    this.exchangeEvents = {
      announced: (rec) => this.emit('request', rec),
      clientClosed: (rec) => this.emit('clientClosed', rec),
      finished: (rec) => this.emit('finished', rec),
      closed: (rec) => this.emit('closed', rec),
      shuttingDown: () => this.shuttingDown,
    };
    this.server = createServer((req, res) => this.handle(req, res));
    // Keep-alive sockets and hanging requests must not keep close() waiting.
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get url(): string {
    return this.baseUrl;
  }
  get segmindBaseUrl(): string {
    return `${this.baseUrl}/segmind/v1`;
  }
  get deepinfraBaseUrl(): string {
    return `${this.baseUrl}/deepinfra/v1/openai`;
  }
  get openaiBaseUrl(): string {
    return `${this.baseUrl}/openai/v1`;
  }
  get requests(): readonly SimRequestRecord[] {
    return this.log;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        const actualPort = typeof address === 'object' && address ? address.port : port;
        this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
        resolve();
      });
    });
  }

  queueScenario(name: Scenario, count = 1): void {
    if (!isScenario(name)) throw new Error(`Unknown scenario "${String(name)}". Known: ${SCENARIOS.join(', ')}.`);
    if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a non-negative integer, not ${count}.`);
    for (let i = 0; i < count; i += 1) this.queue.push(name);
  }

  configure(o: { tokensPerSecond?: number; answerTokens?: number; credits?: number; listingsDown?: boolean }): void {
    if (o.listingsDown !== undefined) this.listingsAreDown = o.listingsDown === true;
    if (o.tokensPerSecond !== undefined) this.tunables.tokensPerSecond = checkNumber('tokensPerSecond', o.tokensPerSecond);
    if (o.answerTokens !== undefined) this.tunables.answerTokens = Math.floor(checkNumber('answerTokens', o.answerTokens));
    if (o.credits !== undefined) this.balance = checkNumber('credits', o.credits, -Infinity);
  }

  credits(): number {
    return this.balance;
  }

  reset(): void {
    this.log = [];
    this.queue = [];
    this.tunables = { tokensPerSecond: this.initial.tokensPerSecond, answerTokens: this.initial.answerTokens };
    this.balance = this.initial.credits;
    this.listingsAreDown = false;
  }

  async close(): Promise<void> {
    this.shuttingDown = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private makeContext(): SimContext {
    return {
      validKey: this.validKey,
      listingsDown: () => this.listingsAreDown,
      takeScenario: (ex) => this.headerScenario(ex) ?? this.queue.shift() ?? 'ok',
      headerScenario: (ex) => this.headerScenario(ex),
      answerTokens: (ex) => Math.floor(headerNumber(ex, 'x-sim-tokens') ?? this.tunables.answerTokens),
      tokensPerSecond: (ex) =>
        ex.scenario === 'slow' ? SLOW_TOKENS_PER_SECOND : (headerNumber(ex, 'x-sim-rate') ?? this.tunables.tokensPerSecond),
      balance: () => this.balance,
      charge: (amount) => {
        this.balance = Math.max(0, Math.round((this.balance - amount) * 1e8) / 1e8);
        return this.balance;
      },
    };
  }

  private headerScenario(ex: Exchange): Scenario | undefined {
    const value = ex.header('x-sim-scenario');
    return isScenario(value) ? value : undefined;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const rec: SimRequestRecord = {
      id: this.nextId++,
      method: req.method ?? 'GET',
      path,
      provider: providerOf(path),
      scenario: 'ok',
      status: 0,
      stream: false,
      startedAt: Date.now(),
      closedByClient: false,
      finished: false,
      messageCount: 0,
      promptChars: 0,
      imageCount: 0,
      imageBytes: 0,
      imageMimes: [],
      authorized: false,
      lastPromptChars: 0,
      lastUserText: '',
      roles: [],
      imageSizes: [],
      tokensSent: 0,
      toolNames: [],
      toolsPrompted: false,
      toolResults: [],
      toolCallsSent: [],
      assistantTexts: [],
      reasoningFields: 0,
    };
    this.log.push(rec);
    if (this.log.length > MAX_RECORDS) this.log.splice(0, this.log.length - MAX_RECORDS);
    const ex = new Exchange(req, res, rec, this.exchangeEvents);
    this.route(ex, path).catch((error: unknown) => {
      // A simulator bug must show as a 500 the test can see, not as a hang.
      if (!res.headersSent && !ex.stopped) this.sendPlainError(ex, 500, `Simulator bug: ${String(error)}`);
      else res.destroy();
    });
  }

  private async route(ex: Exchange, path: string): Promise<void> {
    const badHeader = invalidSimHeader(ex);
    if (badHeader) return this.sendPlainError(ex, 400, badHeader);
    if (path.startsWith('/__sim/')) return this.control(ex, path.slice('/__sim/'.length));
    if (path === '/' || path === '') return ex.sendText(200, helpText(this));
    const segmind = /^\/segmind\/v1\/([^/]+)$/.exec(path);
    if (segmind) return handleSegmind(ex, this.context, segmind[1]);
    switch (path) {
      case '/deepinfra/v1/openai/chat/completions':
        return handleChatCompletions(ex, this.context, 'deepinfra');
      case '/deepinfra/v1/openai/models':
        return handleModels(ex, this.context, 'deepinfra');
      case '/deepinfra/v1/me':
        return handleMe(ex, this.context);
      case '/openai/v1/chat/completions':
        return handleChatCompletions(ex, this.context, 'openai');
      case '/openai/v1/models':
        return handleModels(ex, this.context, 'openai');
      case '/openai/api/show':
        return handleOllamaShow(ex, this.context);
    }
    this.sendPlainError(ex, 404, `Nothing at ${path}. See ${this.baseUrl}/ for the endpoints.`);
  }

  /** Errors outside the provider handlers, still in the provider's shape (Segmind's with its balance). */
  private sendPlainError(ex: Exchange, status: number, message: string): void {
    if (ex.rec.provider === 'segmind') {
      ex.sendJson(status, { error: message }, { 'x-remaining-credits': String(this.balance) });
    } else if (ex.rec.provider === 'control') {
      ex.sendJson(status, { error: message });
    } else {
      ex.sendJson(status, status === 404 ? { detail: message } : { error: message });
    }
  }

  /** The HTTP face of queueScenario/configure/requests/reset, for other processes (e2e, `npm start`). */
  private async control(ex: Exchange, action: string): Promise<void> {
    ex.rec.authorized = true;
    const method = ex.req.method;
    if (action === 'requests' && method === 'GET') return ex.sendJson(200, this.log);
    if (method !== 'POST') return ex.sendJson(405, { error: `Use ${action === 'requests' ? 'GET' : 'POST'} for /__sim/${action}.` });
    const raw = await ex.readBody();
    if (raw === 'aborted') return;
    if (raw === 'too-large') return ex.sendJson(413, { error: 'Body too large.' });
    let body: Record<string, unknown> = {};
    try {
      if (raw.length) body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return ex.sendJson(400, { error: 'The body is not valid JSON.' });
    }
    try {
      switch (action) {
        case 'scenario':
          this.queueScenario(body.name as Scenario, body.count === undefined ? 1 : Number(body.count));
          return ex.sendJson(200, { queued: this.queue });
        case 'config':
          this.configure(body as { tokensPerSecond?: number; answerTokens?: number; credits?: number; listingsDown?: boolean });
          return ex.sendJson(200, { ...this.tunables, credits: this.balance, listingsDown: this.listingsAreDown });
        case 'reset':
          this.reset();
          return ex.sendJson(200, { ok: true });
        default:
          return ex.sendJson(404, { error: `Unknown control endpoint /__sim/${action}. Use scenario, config, requests or reset.` });
      }
    } catch (error) {
      return ex.sendJson(400, { error: error instanceof Error ? error.message : String(error) });
    }
  }
}

function providerOf(path: string): SimProvider {
  if (path.startsWith('/segmind/')) return 'segmind';
  if (path.startsWith('/deepinfra/')) return 'deepinfra';
  if (path.startsWith('/openai/')) return 'openai';
  return 'control';
}

/** A typo in a test's `x-sim-*` header should fail loudly, not silently run the `ok` scenario. */
function invalidSimHeader(ex: Exchange): string | undefined {
  const scenario = ex.header('x-sim-scenario');
  if (scenario !== undefined && !isScenario(scenario)) {
    return `Unknown x-sim-scenario "${scenario}". Known: ${SCENARIOS.join(', ')}.`;
  }
  for (const name of ['x-sim-tokens', 'x-sim-rate']) {
    const value = ex.header(name);
    if (value !== undefined && !(Number(value) >= 0)) return `${name} must be a non-negative number, not "${value}".`;
  }
  return undefined;
}

function headerNumber(ex: Exchange, name: string): number | undefined {
  const value = ex.header(name);
  return value === undefined ? undefined : Math.max(0, Number(value));
}

function checkNumber(name: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new Error(`${name} must be a number${min === 0 ? ' ≥ 0' : ''}, not ${JSON.stringify(value)}.`);
  }
  return value;
}

function helpText(sim: Simulator): string {
  return [
    'Open Vision Chat provider simulator',
    '',
    `Segmind:                ${sim.segmindBaseUrl}`,
    `DeepInfra:              ${sim.deepinfraBaseUrl}`,
    `OpenAI-compatible:      ${sim.openaiBaseUrl}`,
    `Valid key:              ${sim.validKey}`,
    '',
    `Scenarios (header x-sim-scenario, or POST /__sim/scenario {"name","count"}): ${SCENARIOS.join(', ')}`,
    'Control: POST /__sim/config {"tokensPerSecond","answerTokens","credits","listingsDown"}, GET /__sim/requests, POST /__sim/reset',
    '',
  ].join('\n');
}
