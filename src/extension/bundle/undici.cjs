'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- undici's internals are CommonJS modules without typings. */
// What the extension bundle takes from undici: only the parts src/core/http.ts uses (`request`
// and the proxy agents). esbuild.js points `undici` here for the extension, so fetch, WebSocket,
// the mocks, caches and interceptors stay out of dist/extension.js. Tests and the simulator use
// the real package.

const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const api = require('undici/lib/api');
const Agent = require('undici/lib/dispatcher/agent');
const ProxyAgent = require('undici/lib/dispatcher/proxy-agent');
const EnvHttpProxyAgent = require('undici/lib/dispatcher/env-http-proxy-agent');
const { getGlobalDispatcher, setGlobalDispatcher } = require('undici/lib/global');
const util = require('undici/lib/core/util');
const { InvalidArgumentError } = require('undici/lib/core/errors');

// As undici's index.js does: the request API on every dispatcher.
Object.assign(Dispatcher.prototype, api);

/** undici's top-level `request(url, options)`, as its index.js builds it (URL form only). */
function request(url, opts) {
  if (!url || (typeof url !== 'string' && typeof url !== 'object')) throw new InvalidArgumentError('invalid url');
  if (opts != null && typeof opts !== 'object') throw new InvalidArgumentError('invalid opts');
  const options = opts || {};
  const parsed = util.parseURL(url);
  const { dispatcher = getGlobalDispatcher() } = options;
  return api.request.call(dispatcher, {
    ...options,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: options.method || (options.body ? 'PUT' : 'GET'),
  });
}

module.exports = { Dispatcher, Agent, ProxyAgent, EnvHttpProxyAgent, request, getGlobalDispatcher, setGlobalDispatcher };
