// Attachments (issue 14): the blocks and which of them fit, the `#` ranking, reading workspace files
// with limits, folders, problems and diffs, and a prompt with attachments through the real session,
// router, history and simulator.

import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Attachment, blockTokens, chipFor, contextBlock, fitAttachments } from '../../../src/extension/context/attachments';
import { ContextStore } from '../../../src/extension/context/contextStore';
import { capDiff } from '../../../src/extension/context/diffCap';
import { folderContext } from '../../../src/extension/context/folderContext';
import { plainTerminalText, problemsText } from '../../../src/extension/context/problemsText';
import { rankFiles } from '../../../src/extension/context/rankFiles';
import { readText, resolveInWorkspace, type WorkspaceRoot } from '../../../src/extension/context/workspaceText';
import { newConversation, reviveConversation } from '../../../src/extension/conversation';
import { renderChatMarkdown } from '../../../src/extension/exportMarkdown';
import { ConversationStore } from '../../../src/extension/history';
import { editAnswer } from '../../../src/simulator/edits';
import { newSession, routed, useSimulator } from './harness';

const REPO = path.resolve(__dirname, '../../..');

function attachment(label: string, text: string, file = label): Attachment {
  const block = contextBlock({ kind: 'file', path: file, language: 'ts', text });
  return { chip: chipFor(ContextStore.newId(), 'file', label, block, { location: { path: file } }), block };
}

describe('context blocks and fitting them to the model', () => {
  const model = { displayName: 'Llama 3 8B', contextLength: 8192 };

  it('delimits each attachment with its kind, path and lines, in a fence its text cannot close', () => {
    const block = contextBlock({ kind: 'selection', path: 'src/a "b".ts', startLine: 3, endLine: 9, language: 'ts', text: 'const s = "```";\n' });
    assert.equal(block, '<context kind="selection" path="src/a &quot;b&quot;.ts" lines="3-9">\n````ts\nconst s = "```";\n````\n</context>');
  });

  it('keeps everything that fits, in the order attached', () => {
    const a = attachment('a.ts', 'export const a = 1;');
    const b = attachment('b.ts', 'export const b = 2;');
    const fitted = fitAttachments([a, b], 1000, model);
    assert.deepEqual(fitted.kept, [a, b]);
    assert.deepEqual(fitted.chips, [a.chip, b.chip]);
    assert.equal(fitted.note, undefined);
  });

  it('leaves out whole what does not fit, names it with its size and the model, and still sends smaller ones after it', () => {
    const small = attachment('small.ts', 'export const small = 1;');
    const big = attachment('big.ts', 'export const value = 12345;\n'.repeat(4000));
    const after = attachment('after.ts', 'export const after = 2;');
    const budget = blockTokens(small.block) + blockTokens(after.block) + 10;
    const fitted = fitAttachments([small, big, after], budget, model);
    assert.deepEqual(fitted.kept.map((a) => a.chip.label), ['small.ts', 'after.ts']);
    assert.equal(fitted.chips.length, 3, 'the message still shows every chip');
    assert.match(fitted.chips[1].note ?? '', /Not sent: did not fit Llama 3 8B's context/);
    assert.equal(fitted.note, `Left out: big.ts (${big.chip.tokens.toLocaleString('en-US')} tokens); it did not fit Llama 3 8B's 8,192-token context with the question and the room kept for the answer.`);
  });

  it('sizes a chip by what its block costs', () => {
    const a = attachment('a.ts', 'x'.repeat(600));
    assert.equal(a.chip.tokens, blockTokens(a.block));
    assert.ok(a.chip.tokens > 10);
  });
});

describe('# completion ranking', () => {
  const paths = ['src/extension/session.ts', 'src/extension/sessionHost.ts', 'test/unit/extension/session.test.ts', 'src/protocol.ts', 'docs/session-notes.md', 'src/extension/chat/messageRouter.ts', 'src/extension/settings.ts', 'README.md'];

  it('puts the exact file name first, then names starting with the query (shorter first), then containing it', () => {
    assert.deepEqual(rankFiles(paths, 'session').map((r) => r.path), ['src/extension/session.ts', 'src/extension/sessionHost.ts', 'test/unit/extension/session.test.ts', 'docs/session-notes.md']);
    assert.deepEqual(rankFiles(paths, 'router').map((r) => r.path)[0], 'src/extension/chat/messageRouter.ts');
  });

  it('matches letters in order across word starts (fuzzy), ignoring case', () => {
    assert.equal(rankFiles(paths, 'MsgRout')[0].path, 'src/extension/chat/messageRouter.ts');
    assert.equal(rankFiles(paths, 'mr')[0].path, 'src/extension/chat/messageRouter.ts');
    assert.deepEqual(rankFiles(paths, 'zzz'), []);
  });

  it('matches a query with a slash against the whole path', () => {
    assert.equal(rankFiles(paths, 'unit/ext')[0].path, 'test/unit/extension/session.test.ts');
  });

  it('breaks ties by the shorter path, then alphabetically', () => {
    assert.deepEqual(rankFiles(['b/x.ts', 'a/x.ts', 'long/dir/x.ts'], 'x.ts').map((r) => r.path), ['a/x.ts', 'b/x.ts', 'long/dir/x.ts']);
  });

  it('ranks twenty thousand paths and returns at most the limit', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `packages/p${i % 97}/src/module${i}/index${i % 7 ? '.ts' : '.js'}`);
    many.push('src/extension/context/rankFiles.ts');
    assert.equal(rankFiles(many, 'rankfil', 50)[0].path, 'src/extension/context/rankFiles.ts');
    const ranked = rankFiles(many, 'index.js', 50);
    assert.equal(ranked.length, 50);
    assert.equal(ranked[0].path, 'packages/p0/src/module0/index.js', 'equal names: the shortest path, then alphabetical');
    assert.equal(rankFiles(many, '', 10).length, 10);
  });
});

describe('reading workspace files for the chat', () => {
  let dir: string;
  let outside: string;
  let roots: WorkspaceRoot[];

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ovc-ctx-'));
    outside = await fs.mkdtemp(path.join(os.tmpdir(), 'ovc-outside-'));
    await fs.mkdir(path.join(dir, 'src'));
    await fs.writeFile(path.join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    roots = [{ name: 'ws', fsPath: dir }];
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(outside, { recursive: true, force: true });
  });

  it('resolves a workspace path and refuses `..`, absolute paths and links out of the workspace', async () => {
    assert.equal((await resolveInWorkspace(roots, 'src/a.ts'))?.relative, 'src/a.ts');
    assert.equal(await resolveInWorkspace(roots, '../' + path.basename(outside) + '/secret.txt'), undefined);
    assert.equal(await resolveInWorkspace(roots, path.join(outside, 'secret.txt')), undefined);
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(dir, 'link.txt'));
    await fs.symlink(outside, path.join(dir, 'linkdir'));
    assert.equal(await resolveInWorkspace(roots, 'link.txt'), undefined, 'a link to a file outside');
    assert.equal(await resolveInWorkspace(roots, 'linkdir/secret.txt'), undefined, 'a file through a linked folder');
    assert.equal(await resolveInWorkspace(roots, 'src/missing.ts'), undefined);
  });

  it('names files by their folder in a multi-root workspace', async () => {
    const two = [...roots, { name: 'other', fsPath: outside }];
    assert.equal((await resolveInWorkspace(two, 'other/secret.txt'))?.relative, 'other/secret.txt');
    assert.equal((await resolveInWorkspace(two, 'ws/src/a.ts'))?.relative, 'ws/src/a.ts');
  });

  it('reads UTF-8 text and refuses binary files, other encodings and files over the cap, saying why', async () => {
    assert.deepEqual(await readText(path.join(dir, 'src', 'a.ts'), 'src/a.ts'), { text: 'export const a = 1;\n', bytes: 20 });
    await fs.writeFile(path.join(dir, 'bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    await fs.writeFile(path.join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await fs.writeFile(path.join(dir, 'big.ts'), 'x'.repeat(300 * 1024));
    assert.match(((await readText(path.join(dir, 'bin'), 'bin')) as { problem: string }).problem, /not a text file/);
    assert.match(((await readText(path.join(dir, 'latin1.txt'), 'latin1.txt')) as { problem: string }).problem, /not UTF-8/);
    const big = await readText(path.join(dir, 'big.ts'), 'big.ts');
    assert.deepEqual(big, { kind: 'tooBig', problem: '“big.ts” is 300 KB; files over 256 KB are not attached. Select the part that matters and add the selection instead.' });
  });

  it('adds a folder\'s text files up to its limits and says what it left out', async () => {
    const files = [];
    for (let i = 0; i < 6; i++) {
      await fs.writeFile(path.join(dir, `f${i}.ts`), `export const f${i} = '${'y'.repeat(90)}';\n`);
      files.push({ relative: `f${i}.ts`, absolute: path.join(dir, `f${i}.ts`) });
    }
    await fs.writeFile(path.join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]));
    await fs.writeFile(path.join(dir, 'data.bin'), Buffer.from([1, 0, 2]));
    await fs.writeFile(path.join(dir, 'huge.txt'), 'z'.repeat(2048));
    files.unshift({ relative: 'logo.png', absolute: path.join(dir, 'logo.png') }, { relative: 'data.bin', absolute: path.join(dir, 'data.bin') }, { relative: 'huge.txt', absolute: path.join(dir, 'huge.txt') });
    const folder = await folderContext(files, () => 'ts', { maxFiles: 4, maxBytes: 100_000, maxFileBytes: 1024 });
    assert.equal(folder.files, 4);
    assert.equal((folder.block.match(/<context kind="file"/g) ?? []).length, 4);
    assert.match(folder.block, /path="f0\.ts"/);
    assert.doesNotMatch(folder.block, /f4\.ts|huge|data\.bin/);
    assert.equal(folder.note, 'Left out: 2 files past the folder limit (98 KB or 4 files), 1 file over 1 KB, 1 binary file, 1 image (attach images one by one).');
  });
});

describe('problems, terminal output and diffs as text', () => {
  it('lists problems one per line, errors first, with file, line, column and source, capped', () => {
    const { text, shown, note } = problemsText(
      [
        { path: 'b.ts', line: 2, column: 1, severity: 'warning', message: 'Unused', source: 'eslint', code: 'no-unused-vars' },
        { path: 'a.ts', line: 9, column: 5, severity: 'error', message: "Cannot find name 'x'.\nDid you mean 'y'?", source: 'ts', code: '2304' },
        { path: 'a.ts', line: 1, column: 1, severity: 'hint', message: 'Hint' },
      ],
      2,
    );
    assert.equal(text, "a.ts:9:5 error: Cannot find name 'x'. Did you mean 'y'? (ts 2304)\nb.ts:2:1 warning: Unused (eslint no-unused-vars)");
    assert.equal(shown, 2);
    assert.equal(note, '1 more problems left out');
  });

  it('strips colours, titles and shell-integration marks from terminal output', () => {
    assert.equal(plainTerminalText('\u001b]633;C\u0007\u001b[31mError\u001b[0m: boom\r\n\u001b]0;title\u001b\\done'), 'Error: boom\ndone');
  });

  it('keeps a diff under its cap by whole files and names the files left out', () => {
    const file = (name: string, size: number) => `diff --git a/${name} b/${name}\n--- a/${name}\n+++ b/${name}\n@@ -1 +1 @@\n+${'x'.repeat(size)}\n`;
    const capped = capDiff(file('a.ts', 10) + file('big.ts', 500) + file('c.ts', 10), 200);
    assert.equal(capped.files, 2);
    assert.match(capped.text, /a\/a\.ts[\s\S]*a\/c\.ts/);
    assert.doesNotMatch(capped.text, /big\.ts/);
    assert.equal(capped.note, 'Left out of the diff (over 0 KB together): big.ts');
  });
});

describe('the simulator changes an attached file', () => {
  it('answers with the file the question names, in a block naming it, plus one comment line', () => {
    const a = contextBlock({ kind: 'file', path: 'src/a.ts', language: 'ts', text: 'export const a = 1;\nexport const b = 2;' });
    const b = contextBlock({ kind: 'file', path: 'lib/util.py', language: 'py', text: 'def f():\n    return 1' });
    const answer = editAnswer([`${a}\n\n${b}\n\nPlease change util.py`]);
    assert.match(answer ?? '', /```py lib\/util\.py\ndef f\(\):\n    # Changed by the provider simulator\n    return 1\n```/);
    assert.match(editAnswer([`${a}\n\n${b}\n\nFix it`]) ?? '', /```ts src\/a\.ts\n/);
    assert.equal(editAnswer([`${a}\n\nWhat does this do?`]), undefined, 'a question that asks for no change gets the usual answer');
  });
});

describe('a prompt with attachments (session, router and simulator)', () => {
  const sim = useSimulator();

  it('sends the blocks before the question, shows the chips on the message, and Regenerate sends the same', async () => {
    const { host, session } = newSession(sim);
    const a = attachment('src/a.ts', 'export const alpha = 1;');
    const b = attachment('src/b.ts', 'export const beta = 2;');
    await session.send('What do these export?', [], { context: [a, b] });
    const first = sim.requests.at(-1)!;
    assert.equal(first.lastUserText, `${a.block}\n\n${b.block}\n\nWhat do these export?`);
    const user = host.replay()[0];
    assert.equal(user.text, 'What do these export?', 'the message shows the question alone');
    assert.deepEqual(user.context, [a.chip, b.chip]);

    await session.regenerate();
    assert.equal(sim.requests.at(-1)!.lastUserText, first.lastUserText, 'Regenerate asks exactly the same');
    await session.send('And now?');
    const followUp = sim.requests.at(-1)!;
    assert.equal(followUp.roles.length, 4);
    assert.equal(followUp.promptChars > first.lastUserText.length, true, 'the earlier attachments stay in the history');
  });

  it('names an attachment that does not fit the model in the message, and sends the rest', async () => {
    const { host, session } = newSession(sim);
    const small = attachment('small.ts', 'export const small = 1;');
    const huge = attachment('huge.ts', 'export const value = 12345;\n'.repeat(3000));
    await session.send('Explain', [], { context: [huge, small] });
    const sent = sim.requests.at(-1)!.lastUserText;
    assert.match(sent, /path="small\.ts"/);
    assert.doesNotMatch(sent, /path="huge\.ts"/);
    const user = host.replay()[0];
    assert.match(user.note ?? '', /^Left out: huge\.ts \([\d,]+ tokens\); it did not fit Llama 3 8B Instruct's 8,192-token context/);
    assert.equal(user.context?.length, 2);
  });

  it('router: a send names chips by id; the host\'s texts are sent, and an id it does not hold is named in the note', async () => {
    const { host, session } = newSession(sim);
    const { router, failures, store } = routed(host, session);
    const a = attachment('src/a.ts', 'export const held = 1;');
    store.add(a);
    router.receive({ type: 'send', text: 'Look', images: [], context: [a.chip.id, 'ctx-forgotten'] });
    await router.whenDrained();
    await session.whenIdle();
    assert.deepEqual(failures, []);
    assert.match(sim.requests.at(-1)!.lastUserText, /export const held = 1;/);
    assert.match(host.replay()[0].note ?? '', /One attachment was no longer held by Vision Chat/);
  });

  it('router: answers a # query with the host\'s rows under the same request id, and forgets a removed chip', async () => {
    const { host, session } = newSession(sim);
    const { router, store } = routed(host, session);
    const a = attachment('src/a.ts', 'x');
    store.add(a);
    router.receive({ type: 'suggestContext', requestId: 'q7', query: 'ses' });
    router.receive({ type: 'removeContext', id: a.chip.id });
    await router.whenDrained();
    const answer = host.postsOf('contextSuggestions').at(-1);
    assert.deepEqual(answer, { type: 'contextSuggestions', requestId: 'q7', suggestions: [{ label: 'suggested for ses', ref: { kind: 'selection' } }] });
    assert.deepEqual(store.resolve([a.chip.id]), { attachments: [], missing: 1 });
  });

  it('Edit Last Prompt puts the attachments back above the prompt box with their texts', async () => {
    const { host, session } = newSession(sim);
    const restored: Attachment[][] = [];
    host.restoreContext = (attachments) => void restored.push([...attachments]);
    const a = attachment('src/a.ts', 'export const a = 1;');
    await session.send('Why?', [], { context: [a] });
    session.editLast();
    assert.deepEqual(restored, [[a]]);
    assert.equal(session.conversationForSaving().context, undefined, 'the removed prompt\'s blocks go with it');
  });

  it('a prompt refused before sending gives its attachments back too', async () => {
    const { host, session } = newSession(sim);
    const restored: Attachment[][] = [];
    host.restoreContext = (attachments) => void restored.push([...attachments]);
    host.keys.delete('deepinfra');
    host.keyToEnter = undefined;
    const a = attachment('src/a.ts', 'export const a = 1;');
    await session.send('Why?', [], { context: [a] });
    assert.deepEqual(restored, [[a]]);
    assert.deepEqual(host.postsOf('setDraft').at(-1), { type: 'setDraft', text: 'Why?' }, 'with the words');
    assert.equal(host.postsOf('append').length, 0, 'nothing was added to the chat');
  });
});

describe('attachments in saved chats and exports', () => {
  let dir: string;
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ovc-ctx-history-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  function withAttachment() {
    const conversation = newConversation(1000);
    const a = attachment('src/a.ts', 'export const a = 1;');
    conversation.messages.push({ id: 'u1', role: 'user', text: 'Why?', context: [{ ...a.chip, location: { path: 'src/a.ts', startLine: 2, endLine: 4 } }] }, { id: 'a1', role: 'assistant', text: 'Because.', status: 'done' });
    conversation.context = { u1: [{ id: a.chip.id, block: a.block }] };
    return { conversation, a };
  }

  it('saves and restores the chips and the blocks sent', async () => {
    const { conversation } = withAttachment();
    await new ConversationStore(dir, { warn: () => undefined }).save(conversation, true);
    const restored = await new ConversationStore(dir, { warn: () => undefined }).load(conversation.id);
    assert.deepEqual(restored, conversation);
  });

  it('drops hostile attachment data from a saved chat, field by field, keeping the chat', () => {
    const { conversation, a } = withAttachment();
    const hostile = JSON.parse(JSON.stringify(conversation)) as Record<string, unknown> & { messages: Record<string, unknown>[] };
    hostile.messages[0].context = [
      a.chip,
      { id: 'x', kind: 'shell', label: 'rm -rf', tokens: 1 },
      { id: 'y', kind: 'file', label: 'evil', tokens: -5, location: { path: '../../etc/passwd', startLine: 1 } },
      { id: 'z', kind: 'file', label: 42, tokens: 1 },
      'not a chip',
    ];
    hostile.context = { u1: [{ id: a.chip.id, block: a.block }, { id: 'not-a-chip', block: 'injected' }, { id: a.chip.id, block: 'duplicate' }, { id: 'y', block: 42 }], a1: [{ id: 'q', block: 'on an answer' }], nobody: [{ id: 'n', block: 'b' }] };
    const revived = reviveConversation(hostile)!;
    assert.deepEqual(revived.messages[0].context, [a.chip, { id: 'y', kind: 'file', label: 'evil', tokens: 0 }]);
    assert.deepEqual(revived.context, { u1: [{ id: a.chip.id, block: a.block }] });
    assert.equal(reviveConversation({ ...hostile, context: 'x' })!.context, undefined);
    assert.equal(reviveConversation({ ...hostile, context: { u1: 'x' } })!.context, undefined);
  });

  it('Export lists what a prompt had attached', () => {
    const { conversation } = withAttachment();
    const { markdown } = renderChatMarkdown(conversation, 'chat', { exportedAt: new Date(0) });
    assert.match(markdown, /Why\?\n\nAttached: `src\/a\.ts` \(lines 2–4\)\n/);
  });

  it('reads this repository\'s own files as a test of the real reader', async () => {
    const read = await readText(path.join(REPO, 'src', 'protocol.ts'), 'src/protocol.ts');
    assert.ok('text' in read && read.text.includes('export interface ContextChip'));
  });
});
