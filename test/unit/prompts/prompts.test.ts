import assert from 'node:assert/strict';
import { BUILTIN_MODELS } from '../../../src/core/catalog';
import {
  BUILTIN_PROMPTS,
  fitPromptToContext,
  forgetPrompt,
  parseUserPrompts,
  readRecentPrompts,
  readsWorkspaceContent,
  rememberPrompt,
  renderTemplate,
  resolvePromptVariables,
  type PromptSources,
  type SavedPrompt,
} from '../../../src/extension/prompts/savedPrompts';
import { estimateTextTokens } from '../../../src/extension/tokens';

const llama8b = BUILTIN_MODELS.find((m) => m.id === 'deepinfra:meta-llama/Meta-Llama-3-8B-Instruct')!;
const vision11b = BUILTIN_MODELS.find((m) => m.id === 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct')!;

function prompt(template: string, name = 'Test'): SavedPrompt {
  return { id: `user:${name}`, name, template, needsImage: false, inEditorMenu: false, builtIn: false };
}

interface FakeSources extends PromptSources {
  readonly asked: string[];
}

function sources(over: Partial<PromptSources> & { answers?: (string | undefined)[]; clipboard?: string } = {}): FakeSources {
  const asked: string[] = [];
  const answers = [...(over.answers ?? [])];
  return {
    editor: 'editor' in over ? over.editor : { fileName: '/work/src/app.ts', languageId: 'typescript', text: 'const a = 1;\nconst b = 2;\n', selection: 'const b = 2;' },
    readClipboard: async () => over.clipboard ?? '',
    askInput: async (question) => {
      asked.push(question);
      return answers.shift();
    },
    asked,
  };
}

async function expand(template: string, s: PromptSources = sources()): Promise<string> {
  const p = prompt(template);
  const resolved = await resolvePromptVariables(p, s);
  assert.ok(resolved.ok, resolved.ok ? '' : resolved.reason);
  return renderTemplate(p.template, resolved.values).text;
}

describe('prompt templates', () => {
  it('fills every variable from the editor, the clipboard and the user', async () => {
    const s = sources({ clipboard: 'pasted text', answers: ['Rust'] });
    const text = await expand('${selection}|${file}|${fileName}|${language}|${clipboard}|${input}', s);
    assert.equal(text, 'const b = 2;|const a = 1;\nconst b = 2;\n|app.ts|typescript|pasted text|Rust');
    assert.deepEqual(s.asked, ['Input for Test']);
  });

  it('asks each distinct ${input:question} once, with its question', async () => {
    const s = sources({ answers: ['Go', 'fast'] });
    const text = await expand('Port to ${input:Which language?}. Make it ${input:How?}. Again: ${input:Which language?}', s);
    assert.equal(text, 'Port to Go. Make it fast. Again: Go');
    assert.deepEqual(s.asked, ['Which language?', 'How?']);
  });

  it('never expands variables found inside a value', async () => {
    const s = sources({ editor: { fileName: 'a.md', languageId: 'markdown', text: 'x', selection: 'use ${file} and ${clipboard}' } });
    assert.equal(await expand('<${selection}>', s), '<use ${file} and ${clipboard}>');
  });

  it('says no editor is active, naming the variables that need one', async () => {
    const r = await resolvePromptVariables(prompt('${fileName}: ${file}', 'Summarise'), sources({ editor: undefined }));
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /“Summarise” uses \$\{file\}, \$\{fileName\}, but no text editor is active\. Open a file/);
  });

  it('says nothing is selected, and does not ask for input first', async () => {
    const s = sources({ editor: { fileName: '/p/main.py', languageId: 'python', text: 'print(1)', selection: '  ' }, answers: ['x'] });
    const r = await resolvePromptVariables(prompt('${input} ${selection}', 'Explain'), s);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /nothing is selected in main\.py\. Select some code/);
    assert.deepEqual(s.asked, []);
  });

  it('says the clipboard is empty', async () => {
    const r = await resolvePromptVariables(prompt('${clipboard}'), sources({ clipboard: '\n' }));
    assert.match(!r.ok ? r.reason : '', /the clipboard is empty/);
  });

  it('stops quietly when the user cancels an input', async () => {
    const r = await resolvePromptVariables(prompt('${input}'), sources({ answers: [undefined] }));
    assert.deepEqual(r, { ok: false, reason: '', cancelled: true });
  });

  it('needs nothing for a template without editor variables', async () => {
    assert.equal(await expand('Just a question', sources({ editor: undefined })), 'Just a question');
  });

  it('fills the built-in code prompts from a selection', async () => {
    const explain = BUILTIN_PROMPTS.find((p) => p.id === 'builtin:explain')!;
    const resolved = await resolvePromptVariables(explain, sources());
    assert.ok(resolved.ok);
    const text = renderTemplate(explain.template, resolved.values).text;
    assert.match(text, /from `app\.ts`/);
    assert.ok(text.endsWith('```typescript\nconst b = 2;\n```'));
  });

  it('marks the image prompts and what reads workspace content', () => {
    const names = BUILTIN_PROMPTS.map((p) => p.name);
    assert.deepEqual(names, ['Explain', 'Find Bugs', 'Write Tests', 'Add Comments', 'Describe Image in Detail', 'Extract Text from Image']);
    assert.deepEqual(BUILTIN_PROMPTS.filter((p) => p.needsImage).map((p) => p.name), ['Describe Image in Detail', 'Extract Text from Image']);
    assert.equal(readsWorkspaceContent(prompt('${clipboard} ${input}')), false);
    assert.equal(readsWorkspaceContent(prompt('${file}')), true);
    assert.equal(readsWorkspaceContent(prompt('${selection}')), true);
  });
});

describe('fitting a prompt to the model', () => {
  const bigFile = Array.from({ length: 3000 }, (_, i) => `export const item${i} = { id: ${i}, label: "Item number ${i}" };`).join('\n');
  const editor = { fileName: '/repo/src/items.ts', languageId: 'typescript', text: bigFile, selection: '' };

  it('truncates ${file} to the room left in the window, with a note in the prompt and for the user', async () => {
    const p = prompt('Review ${fileName}:\n${file}\nThanks.');
    const resolved = await resolvePromptVariables(p, sources({ editor }));
    assert.ok(resolved.ok);
    const fitted = fitPromptToContext(p, resolved.values, { model: llama8b, maxTokens: 1024, systemPrompt: 'Be brief.' });
    assert.equal(fitted.check.fits, true, JSON.stringify(fitted.check));
    assert.ok(fitted.check.estimatedTokens > 7168 * 0.9, `uses most of the window: ${fitted.check.estimatedTokens}`);
    assert.match(fitted.text, /^Review items\.ts:\nexport const item0 = /);
    assert.match(fitted.text, /\[… items\.ts was truncated to its first \d+ of 3000 lines to fit the model's context\.\]\nThanks\.$/);
    assert.equal(fitted.notes.length, 1);
    assert.match(fitted.notes[0], /items\.ts was truncated to its first [\d,]+ of 3,000 lines/);
  });

  it('sends the whole file when it fits', async () => {
    const p = prompt('${file}');
    const resolved = await resolvePromptVariables(p, sources({ editor }));
    assert.ok(resolved.ok);
    const fitted = fitPromptToContext(p, resolved.values, { model: vision11b, maxTokens: 1024 });
    assert.equal(fitted.text, bigFile);
    assert.deepEqual(fitted.notes, []);
  });

  it('reports a selection too large for the model, then trims it when asked', async () => {
    const p = BUILTIN_PROMPTS.find((b) => b.id === 'builtin:findBugs')!;
    const resolved = await resolvePromptVariables(p, sources({ editor: { ...editor, selection: bigFile } }));
    assert.ok(resolved.ok);
    const options = { model: llama8b, maxTokens: 1024 };
    const over = fitPromptToContext(p, resolved.values, options);
    assert.equal(over.check.fits, false);
    assert.match(!over.check.fits ? over.check.message : '', /takes 7,168/);

    const trimmed = fitPromptToContext(p, resolved.values, { ...options, trim: true });
    assert.equal(trimmed.check.fits, true, JSON.stringify(trimmed.check));
    assert.deepEqual(trimmed.trimmed, ['selection']);
    assert.match(trimmed.text, /^Find bugs in this typescript code/);
    assert.match(trimmed.text, /\[… trimmed to fit the model's context\]\n```$/);
    assert.deepEqual(trimmed.notes, ["${selection} was trimmed to fit the model's context."]);
    assert.ok(estimateTextTokens(trimmed.text) > 6000, 'keeps most of what fits');
  });
});

describe('user prompts from settings', () => {
  it('keeps valid entries and their options', () => {
    const { prompts, problems } = parseUserPrompts([
      { name: 'Review', template: 'Review ${selection}', model: 'segmind:llama-v3-8b-instruct', command: true },
      { name: 'Caption', template: 'Caption this', needsImage: true },
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(prompts, [
      { id: 'user:Review', name: 'Review', template: 'Review ${selection}', description: undefined, modelId: 'segmind:llama-v3-8b-instruct', needsImage: false, inEditorMenu: true, builtIn: false },
      { id: 'user:Caption', name: 'Caption', template: 'Caption this', description: undefined, modelId: undefined, needsImage: true, inEditorMenu: false, builtIn: false },
    ]);
  });

  it('skips bad entries, each with a reason', () => {
    const { prompts, problems } = parseUserPrompts([
      'just a string',
      { template: 'no name' },
      { name: 'Empty', template: '  ' },
      { name: 'Typo', template: 'Explain ${selction}' },
      { name: 'Labelled', template: '${file:foo}' },
      { name: 'Ok', template: 'fine' },
      { name: 'ok', template: 'duplicate' },
      { name: 'Model', template: 'x', model: 42 },
    ]);
    assert.deepEqual(prompts.map((p) => p.name), ['Ok', 'Model']);
    assert.equal(problems.length, 7);
    assert.match(problems[0], /\[0\] is not an object/);
    assert.match(problems[1], /\[1\] has no "name"; skipped/);
    assert.match(problems[2], /"Empty"\) has no "template"/);
    assert.match(problems[3], /"Typo"\) uses \$\{selction\}, which is not a variable \(use \$\{selection\}, \$\{file\}/);
    assert.match(problems[4], /only \$\{input:…\} takes a question/);
    assert.match(problems[5], /"ok"\) has the same name as an earlier prompt/);
    assert.match(problems[6], /"Model"\): "model" should be a "provider:model-id" string; the chat's model is used/);
  });

  it('ignores a setting that is not a list, saying so', () => {
    assert.deepEqual(parseUserPrompts({ name: 'x' }).problems, ['visionChat.prompts should be a list of prompts; it was ignored.']);
    assert.deepEqual(parseUserPrompts(undefined), { prompts: [], problems: [] });
  });
});

describe('the size of what a prompt takes from the editor (issue 12)', () => {
  // 7 MB of code: 71,000 lines. Run Prompt takes at most 500,000 characters of ${file} or ${selection}.
  const line = 'export function f(a: number, b: string): string { return `${a}:${b}`.repeat(2); } // a comment\n';
  const huge = line.repeat(Math.ceil((7 * 1024 * 1024) / line.length));
  const totalLines = huge.split('\n').length;
  const editor = { fileName: '/repo/src/huge.ts', languageId: 'typescript', text: huge, selection: huge };
  const roomy = { ...llama8b, contextLength: 10_000_000, maxOutputTokens: 4096 };

  it('cuts ${file} to its first 500,000 characters, whole lines, saying so in the prompt and to the user', async () => {
    const p = prompt('Review ${fileName}:\n${file}\nThanks.');
    const resolved = await resolvePromptVariables(p, sources({ editor }));
    assert.ok(resolved.ok);
    const fitted = fitPromptToContext(p, resolved.values, { model: roomy, maxTokens: 1024 });
    assert.ok(fitted.text.length < 500_000 + 300, `the prompt is ${fitted.text.length} characters`);
    const kept = Math.floor(500_000 / line.length);
    assert.ok(fitted.text.startsWith(`Review huge.ts:\n${line.repeat(kept - 1)}`), 'whole lines from the start');
    assert.match(fitted.text, new RegExp(`\\[… huge\\.ts was cut to its first ${kept} of ${totalLines} lines: Run Prompt sends at most 500,000 characters of a file\\.\\]\\nThanks\\.$`));
    assert.deepEqual(fitted.notes, [`huge.ts was cut to its first ${kept.toLocaleString('en-US')} of ${totalLines.toLocaleString('en-US')} lines: Run Prompt sends at most 500,000 characters of a file.`]);
  });

  it("still counts the whole file when the model's window cuts it further", async () => {
    const p = prompt('${file}');
    const resolved = await resolvePromptVariables(p, sources({ editor }));
    assert.ok(resolved.ok);
    const fitted = fitPromptToContext(p, resolved.values, { model: llama8b, maxTokens: 1024 });
    assert.equal(fitted.check.fits, true);
    assert.match(fitted.text, new RegExp(`was truncated to its first \\d+ of ${totalLines} lines to fit the model's context\\.\\]$`));
  });

  it('cuts ${selection} and ${clipboard} to 500,000 characters too, with a note', async () => {
    const p = prompt('Explain:\n${selection}\nand ${clipboard}');
    const resolved = await resolvePromptVariables(p, sources({ editor, clipboard: huge }));
    assert.ok(resolved.ok);
    for (const key of ['selection', 'clipboard']) {
      const value = resolved.values.get(key)!;
      assert.ok(value.length < 500_000 + 200, `${key} is ${value.length} characters`);
      assert.match(value, /\n\[… cut here: Run Prompt sends at most 500,000 characters of \$\{(selection|clipboard)\}\.\]$/);
    }
    assert.equal(resolved.notes.length, 2);
    assert.match(resolved.notes[0], /^The selection was cut to its first [\d,]+ of [\d,]+ lines: Run Prompt sends at most 500,000 characters of it\.$/);
    assert.match(resolved.notes[1], /^The clipboard was cut/);
  });
});

describe('recent prompts', () => {
  it('puts the latest first, once, and keeps at most 50', () => {
    let recent: string[] = [];
    for (let i = 0; i < 60; i++) recent = rememberPrompt(recent, `question ${i}`);
    assert.equal(recent.length, 50);
    assert.equal(recent[0], 'question 59');
    recent = rememberPrompt(recent, '  question 30 ');
    assert.equal(recent[0], 'question 30');
    assert.equal(recent.filter((p) => p === 'question 30').length, 1);
    assert.deepEqual(rememberPrompt(recent, '   '), recent);
  });

  it('removes one prompt and reads stored state defensively', () => {
    assert.deepEqual(forgetPrompt(['a', 'b', 'c'], 'b'), ['a', 'c']);
    assert.deepEqual(readRecentPrompts(['a', 3, '', null, 'b']), ['a', 'b']);
    assert.deepEqual(readRecentPrompts('nope'), []);
  });
});
