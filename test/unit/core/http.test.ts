import * as assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { closeDispatchers, dispatcherFor, retryDelay } from '../../../src/core/http';
import { collect, createProvider } from '../../../src/core/providers';
import type { RetryOptions } from '../../../src/core/types';
import { startSimulator, type Simulator } from '../../../src/simulator/server';
import { deepinfraText } from './fixtures';

const RETRY: RetryOptions = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxTotalMs: 5000 };

describe('core/http', () => {
  describe('retry delays', () => {
    it('draws full jitter under an exponential ceiling', () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const ceiling = Math.min(RETRY.maxDelayMs, RETRY.baseDelayMs * 2 ** attempt);
        const draws = Array.from({ length: 200 }, () => retryDelay(RETRY, attempt, undefined, 0) as number);
        assert.ok(draws.every((d) => d >= 0 && d < ceiling), `attempt ${attempt}: a draw left [0, ${ceiling})`);
        assert.ok(Math.max(...draws) > ceiling / 2, 'draws spread over the range');
      }
    });

    it('never exceeds the largest delay', () => {
      for (let i = 0; i < 100; i++) assert.ok((retryDelay(RETRY, 2, undefined, 0) as number) < 1000);
      for (let i = 0; i < 100; i++) assert.ok((retryDelay({ ...RETRY, maxRetries: 20 }, 12, undefined, 0) as number) < 1000);
    });

    it('stops after maxRetries', () => {
      assert.notEqual(retryDelay(RETRY, 2, undefined, 0), undefined);
      assert.equal(retryDelay(RETRY, 3, undefined, 0), undefined);
    });

    it('waits at least what Retry-After asks, and gives up when it asks for more than maxDelayMs', () => {
      assert.equal(retryDelay(RETRY, 0, 900, 0), 900);
      assert.equal(retryDelay(RETRY, 0, 1001, 0), undefined);
    });

    it('starts no wait that would end past maxTotalMs', () => {
      assert.equal(retryDelay(RETRY, 0, 800, 4300), undefined);
      assert.equal(retryDelay(RETRY, 0, 800, 4100), 800);
    });
  });

  describe('dispatchers', () => {
    afterEach(closeDispatchers);

    it('reuses one dispatcher per proxy setting, so connections stay alive', () => {
      assert.equal(dispatcherFor(undefined), dispatcherFor(undefined));
      assert.equal(dispatcherFor('http://127.0.0.1:9'), dispatcherFor(' http://127.0.0.1:9 '));
      assert.notEqual(dispatcherFor('http://127.0.0.1:9'), dispatcherFor(undefined));
    });

    it('says so when the proxy setting is not a URL', () => {
      assert.throws(() => dispatcherFor('not a url'), (e: { kind?: string; message?: string }) => e.kind === 'network' && /http\.proxy/.test(e.message ?? ''));
    });
  });

  describe('proxies', () => {
    let sim: Simulator;
    let proxy: TinyProxy;
    const saved: Record<string, string | undefined> = {};
    const VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

    before(async () => {
      sim = await startSimulator();
      proxy = await startProxy();
      for (const name of VARIABLES) saved[name] = process.env[name];
    });
    beforeEach(() => {
      proxy.seen.length = 0;
      for (const name of VARIABLES) delete process.env[name];
    });
    afterEach(closeDispatchers);
    after(async () => {
      for (const name of VARIABLES) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      await proxy.close();
      await sim.close();
    });

    const chat = { model: deepinfraText(), messages: [{ role: 'user' as const, content: 'via the proxy' }] };

    it('goes through an explicit proxy', async () => {
      const provider = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey, proxy: proxy.url });
      const result = await collect(provider.stream(chat));
      assert.match(result.text, /^Simulator answer/);
      assert.ok(proxy.seen.includes(new URL(sim.url).host), `the proxy saw ${proxy.seen.join(', ') || 'nothing'}`);
    });

    it('follows HTTP_PROXY from the environment, and NO_PROXY', async () => {
      process.env.HTTP_PROXY = proxy.url;
      const provider = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey });
      await collect(provider.stream(chat));
      assert.equal(proxy.seen.length, 1);

      process.env.NO_PROXY = '127.0.0.1';
      await collect(provider.stream(chat));
      assert.equal(proxy.seen.length, 1, 'NO_PROXY sent the second request direct');
    });

    it('follows a proxy set or removed in the environment between two requests', async () => {
      const provider = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey });
      await collect(provider.stream(chat));
      assert.equal(proxy.seen.length, 0, 'direct while no proxy is set');

      process.env.http_proxy = proxy.url;
      await collect(provider.stream(chat));
      assert.equal(proxy.seen.length, 1, 'through the proxy once http_proxy is set');

      delete process.env.http_proxy;
      await collect(provider.stream(chat));
      assert.equal(proxy.seen.length, 1, 'direct again once it is removed');
    });

    it('goes direct when no proxy is set', async () => {
      const provider = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey });
      await collect(provider.stream(chat));
      assert.equal(proxy.seen.length, 0);
    });
  });
});

interface TinyProxy {
  readonly url: string;
  /** host:port of every request it carried, CONNECT or forwarded. */
  readonly seen: string[];
  close(): Promise<void>;
}

/** A forward proxy on loopback: tunnels CONNECT, and forwards plain requests with absolute URLs. */
async function startProxy(): Promise<TinyProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const target = new URL(req.url ?? '');
    seen.push(target.host);
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    seen.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const drop = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', drop);
    client.on('error', drop);
    sockets.add(upstream);
    sockets.add(client);
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
