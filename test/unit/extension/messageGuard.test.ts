// The webview renders hostile model output, so what it posts is checked before the host acts.

import * as assert from 'node:assert/strict';
import { isWebLink } from '../../../src/extension/messageGuard';
import { parseWebviewMessage } from '../../../src/protocol';
import { viewImage } from './harness';

describe('messages from the webview', () => {
  it('accepts each well-formed message', () => {
    const image = viewImage();
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'send', text: 'hi', images: [image] }), { type: 'send', text: 'hi', images: [image] });
    assert.deepEqual(parseWebviewMessage({ type: 'errorAction', action: 'retry', messageId: 'm1' }), { type: 'errorAction', action: 'retry', messageId: 'm1' });
    assert.deepEqual(parseWebviewMessage({ type: 'code', action: 'insert', code: 'x', language: 'ts' }), { type: 'code', action: 'insert', code: 'x', language: 'ts' });
    assert.deepEqual(parseWebviewMessage({ type: 'selectModel', modelId: 'segmind:llava-v1.6' }), { type: 'selectModel', modelId: 'segmind:llava-v1.6' });
  });

  it('keeps the file an answer named for Apply only when it is a plain relative path', () => {
    const apply = (target: string) => parseWebviewMessage({ type: 'code', action: 'apply', code: 'x', target });
    assert.deepEqual(apply('src/app.ts'), { type: 'code', action: 'apply', code: 'x', target: 'src/app.ts' });
    assert.deepEqual(apply('.vscode/settings.json'), { type: 'code', action: 'apply', code: 'x', target: '.vscode/settings.json' });
    for (const hostile of ['../../.ssh/id_rsa.pub', '/etc/passwd.txt', 'C:\\Windows\\win.ini', 'file:///etc/hosts.txt', 'src/**/*.ts', 'a/../../b.ts', `${'a/'.repeat(200)}b.ts`]) {
      assert.deepEqual(apply(hostile), { type: 'code', action: 'apply', code: 'x' }, hostile);
    }
  });

  it('drops extra fields rather than passing them on', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'stop', command: 'workbench.action.terminal.new' }), { type: 'stop' });
  });

  it('refuses malformed messages', () => {
    const bad: unknown[] = [
      null,
      'ready',
      { type: 'unknown' },
      { type: 'send', text: 42, images: [] },
      { type: 'send', text: 'hi' },
      { type: 'send', text: 'hi', images: [{ ...viewImage(), mime: 'image/svg+xml' }] },
      { type: 'send', text: 'hi', images: [{ ...viewImage(), dataUrl: 'https://evil.example/x.png' }] },
      { type: 'send', text: 'hi', images: [{ ...viewImage(), dataUrl: 'data:image/jpeg;base64,AAAA' }] },
      { type: 'errorAction', action: 'runCommand', messageId: 'm' },
      { type: 'code', action: 'execute', code: 'rm -rf /' },
      { type: 'notify', level: 'debug', message: 'x' },
      { type: 'send', text: 'x'.repeat(2_000_000), images: [] },
    ];
    for (const message of bad) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message)?.slice(0, 80));
  });

  it('opens only web links', () => {
    assert.equal(isWebLink('https://deepinfra.com/dash'), true);
    assert.equal(isWebLink('http://localhost:8080/'), true);
    for (const href of ['javascript:alert(1)', 'command:workbench.action.openSettings', 'file:///etc/passwd', 'vscode://x', 'not a url']) {
      assert.equal(isWebLink(href), false, href);
    }
  });
});
