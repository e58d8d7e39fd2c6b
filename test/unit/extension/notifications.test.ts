// Issue 12, finding 1: text from a workspace, a file name or the chat view never becomes a
// clickable `command:` link in a VS Code notification.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWebviewMessage } from '../../../src/protocol';
import { withoutLinks } from '../../../src/extension/plainText';

/** How VS Code's notifications find links (`parseLinkedText` in vs/base/common/linkedText.ts, as shipped in code-server). */
const VSCODE_NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

const HOSTILE = [
  '[Convert it first](command:workbench.action.openSettings?%22editor.tabSize%22).png',
  'Review [here](command:workbench.action.terminal.new "Open") please',
  '[a](https://evil.example) and [b](file:///etc/passwd)',
  'nested [[x]](command:y)',
];

describe('notifications show outside text without links (issue 12)', () => {
  it('breaks every link VS Code would render in a notification, and the text still reads the same', () => {
    for (const text of HOSTILE) {
      const shown = withoutLinks(text);
      assert.equal(shown.match(VSCODE_NOTIFICATION_LINK), null, shown);
      assert.equal(shown.replace(/\u200B/g, ''), text, 'only invisible characters were added');
    }
  });

  it('breaks the other Markdown link forms too: reference links, definitions and autolinks', () => {
    const shown = withoutLinks('[x][ref] then\n[ref]: command:foo and <command:bar>');
    assert.doesNotMatch(shown, /\]\[|\]:|<command:/);
  });

  it('leaves text without links alone', () => {
    for (const text of ['photo [1].png is not a PNG, JPEG, GIF or WebP image.', 'a (b) [c]', 'Wait 30 s, then retry.']) {
      assert.equal(withoutLinks(text), text);
    }
  });

  it('the chat view asks for a notice by kind; free text from it is refused', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'notify', notice: 'imageNotPrepared' }), { type: 'notify', notice: 'imageNotPrepared' });
    assert.equal(parseWebviewMessage({ type: 'notify', level: 'error', message: '[Open](command:workbench.action.terminal.new)' }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'notify', notice: 'imageNotPrepared', message: '[Open](command:x)' }), { type: 'notify', notice: 'imageNotPrepared' });
    assert.equal(parseWebviewMessage({ type: 'notify', notice: 'runCommand' }), undefined);
  });

  it('holds back the settings a repository could use against the user until the workspace is trusted', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } } };
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const setting of ['visionChat.prompts', 'visionChat.systemPrompt', 'visionChat.model', 'visionChat.openaiCompatible.models']) {
      assert.ok(restricted.includes(setting), `${setting} is restricted`);
    }
  });
});
