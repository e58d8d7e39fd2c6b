// The chat view's document and its Content Security Policy.

import * as assert from 'node:assert/strict';
import { chatViewHtml, newNonce } from '../../../src/extension/webviewHtml';

describe('chat view HTML', () => {
  const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';
  const resource = (...path: string[]) => `${cspSource}/ext/dist/${path.join('/')}`;
  const html = chatViewHtml({ cspSource, resource, nonce: 'abc123' });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';

  it('allows nothing by default, no network, and scripts only by nonce', () => {
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('connect-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), ["'nonce-abc123'"]);
    assert.deepEqual(directives.get('style-src'), [cspSource]);
    assert.deepEqual(directives.get('img-src'), [cspSource, 'data:', 'blob:']);
    assert.ok(!csp.includes('unsafe'), 'no unsafe-inline or unsafe-eval');
  });

  it('loads the codicons, the stylesheet and the script from dist/, and has the mount point', () => {
    assert.match(html, /<link rel="stylesheet" href="[^"]+\/ext\/dist\/codicons\/codicon\.css"/);
    assert.match(html, /<link rel="stylesheet" href="[^"]+\/ext\/dist\/webview\.css">/);
    assert.match(html, /<div id="app"><\/div>/);
    assert.match(html, /<script nonce="abc123" src="[^"]+\/ext\/dist\/webview\.js"><\/script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, no inline code');
  });

  it('uses a fresh random nonce each time', () => {
    const a = newNonce();
    const b = newNonce();
    assert.notEqual(a, b);
    assert.ok(Buffer.from(a, 'base64').length >= 16);
    assert.notEqual(/nonce="([^"]+)"/.exec(chatViewHtml({ cspSource, resource }))?.[1], /nonce="([^"]+)"/.exec(chatViewHtml({ cspSource, resource }))?.[1]);
  });
});
