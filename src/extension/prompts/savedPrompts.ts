// Saved prompts: the built-in ones, the user's `visionChat.prompts`, and the expansion of their
// `${variables}` from the editor, the clipboard and the user. The host supplies the sources; all
// rules (what is missing, what is cut to fit, what to tell the user) live here, in plain Node.

import { answerReserve, checkContext, estimateTextTokens, formatCount, truncateToTokens, type ContextCheck } from '../tokens';
import type { ChatRequest, ModelInfo } from '../../core/types';

export const PROMPT_VARIABLES = ['selection', 'file', 'fileName', 'language', 'clipboard', 'input'] as const;
export type PromptVariable = (typeof PROMPT_VARIABLES)[number];

export interface SavedPrompt {
  /** `builtin:<key>` or `user:<name>`. */
  readonly id: string;
  readonly name: string;
  readonly template: string;
  readonly description?: string;
  /** `provider:model-id`; the chat's model when absent. */
  readonly modelId?: string;
  /** The prompt is about an image: the user picks one and it goes to a vision model. */
  readonly needsImage: boolean;
  /** Listed under the editor context menu's Vision Chat submenu. */
  readonly inEditorMenu: boolean;
  readonly builtIn: boolean;
}

const CODE = '```${language}\n${selection}\n```';

function builtIn(key: string, name: string, description: string, template: string, needsImage = false): SavedPrompt {
  return { id: `builtin:${key}`, name, description, template, needsImage, inEditorMenu: !needsImage, builtIn: true };
}

export const BUILTIN_PROMPTS: readonly SavedPrompt[] = [
  builtIn('explain', 'Explain', 'Explain the selected code', `Explain what this \${language} code from \`\${fileName}\` does, step by step.\n\n${CODE}`),
  builtIn(
    'findBugs',
    'Find Bugs',
    'Look for bugs in the selected code',
    `Find bugs in this \${language} code from \`\${fileName}\`. For each one, say where it is, why it is wrong and how to fix it. If you find none, say so.\n\n${CODE}`,
  ),
  builtIn(
    'writeTests',
    'Write Tests',
    'Write unit tests for the selected code',
    `Write unit tests for this \${language} code from \`\${fileName}\`, in the test framework the project appears to use. Cover the edge cases.\n\n${CODE}`,
  ),
  builtIn(
    'addComments',
    'Add Comments',
    'Comment the selected code',
    `Add concise comments to this \${language} code from \`\${fileName}\` that explain why it does what it does. Return the whole code in one fenced block.\n\n${CODE}`,
  ),
  builtIn(
    'describeImage',
    'Describe Image in Detail',
    'Pick an image; a vision model describes it',
    'Describe this image in detail: its subject, composition, any text in it, colours, and anything unusual.',
    true,
  ),
  builtIn(
    'extractText',
    'Extract Text from Image',
    'Pick an image; a vision model transcribes its text',
    'Extract all the text in this image exactly as written, keeping line breaks and reading order. Output only the text.',
    true,
  ),
];

/** `${name}` or `${input:Question to ask}`. */
const VARIABLE = /\$\{([A-Za-z]+)(?::([^}]*))?\}/g;

interface VariableUse {
  readonly name: string;
  /** For `${input:…}`, the question; '' for a bare `${input}`. */
  readonly label: string;
  readonly raw: string;
}

function variableUses(template: string): VariableUse[] {
  return [...template.matchAll(VARIABLE)].map((m) => ({ name: m[1], label: (m[2] ?? '').trim(), raw: m[0] }));
}

function isKnownVariable(name: string): name is PromptVariable {
  return (PROMPT_VARIABLES as readonly string[]).includes(name);
}

/** The variables a template uses, known ones only, each once. */
export function templateVariables(template: string): PromptVariable[] {
  const out = new Set<PromptVariable>();
  for (const use of variableUses(template)) if (isKnownVariable(use.name)) out.add(use.name);
  return [...out];
}

/** Whether running the prompt sends workspace content (asked first in Restricted Mode). */
export function readsWorkspaceContent(prompt: SavedPrompt): boolean {
  const vars = templateVariables(prompt.template);
  return prompt.needsImage || vars.includes('selection') || vars.includes('file');
}

export interface ParsedPrompts {
  readonly prompts: SavedPrompt[];
  /** One line per skipped entry or ignored field, for the log and a warning. */
  readonly problems: string[];
}

/** Validates `visionChat.prompts`: entries that cannot run are skipped, each with the reason. */
export function parseUserPrompts(raw: unknown): ParsedPrompts {
  const prompts: SavedPrompt[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { prompts, problems };
  if (!Array.isArray(raw)) return { prompts, problems: ['visionChat.prompts should be a list of prompts; it was ignored.'] };
  const seen = new Set<string>();
  raw.forEach((entry, index) => {
    const where = `visionChat.prompts[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where} is not an object with "name" and "template"; skipped.`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const name = typeof e.name === 'string' ? e.name.trim() : '';
    if (!name) {
      problems.push(`${where} has no "name"; skipped.`);
      return;
    }
    const label = `${where} ("${name}")`;
    if (typeof e.template !== 'string' || !e.template.trim()) {
      problems.push(`${label} has no "template"; skipped.`);
      return;
    }
    const unknown = [...new Set(variableUses(e.template).filter((u) => !isKnownVariable(u.name)).map((u) => u.raw))];
    if (unknown.length) {
      problems.push(`${label} uses ${unknown.join(', ')}, which ${unknown.length > 1 ? 'are' : 'is'} not a variable (use ${PROMPT_VARIABLES.map((v) => `\${${v}}`).join(', ')}); skipped.`);
      return;
    }
    const labelled = variableUses(e.template).find((u) => u.label && u.name !== 'input');
    if (labelled) {
      problems.push(`${label} uses ${labelled.raw}: only \${input:…} takes a question; skipped.`);
      return;
    }
    if (seen.has(name.toLowerCase())) {
      problems.push(`${label} has the same name as an earlier prompt; skipped.`);
      return;
    }
    seen.add(name.toLowerCase());
    let modelId: string | undefined;
    if (typeof e.model === 'string' && e.model.trim()) modelId = e.model.trim();
    else if (e.model !== undefined && e.model !== '') problems.push(`${label}: "model" should be a "provider:model-id" string; the chat's model is used.`);
    prompts.push({
      id: `user:${name}`,
      name,
      template: e.template,
      description: typeof e.description === 'string' ? e.description : undefined,
      modelId,
      needsImage: e.needsImage === true,
      inEditorMenu: e.command === true,
      builtIn: false,
    });
  });
  return { prompts, problems };
}

/** What the host reads for a prompt. `editor` is absent when no text editor is active. */
export interface PromptSources {
  readonly editor?: {
    readonly fileName: string;
    readonly languageId: string;
    /** The whole document's text. */
    readonly text: string;
    /** The selected text; '' when the selection is empty. */
    readonly selection: string;
  };
  readClipboard(): Promise<string>;
  /** Asks the user; `undefined` when they cancel. */
  askInput(question: string, promptName: string): Promise<string | undefined>;
}

/** The filled-in values: keyed by variable name, and `input:<question>` for labelled inputs. */
export type PromptValues = ReadonlyMap<string, string>;

export type Resolution =
  | { readonly ok: true; readonly values: PromptValues; readonly notes: string[] }
  /** `cancelled`: the user dismissed an input box; say nothing. Otherwise `reason` tells what is missing. */
  | { readonly ok: false; readonly reason: string; readonly cancelled?: boolean };

/**
 * Reads every variable the prompt uses. Everything that can fail without asking (no editor, no
 * selection, empty clipboard) is checked before the user is asked for any `${input}`, so nobody
 * types an answer only to be told the prompt cannot run. Each distinct question is asked once.
 */
export async function resolvePromptVariables(prompt: SavedPrompt, sources: PromptSources): Promise<Resolution> {
  const uses = variableUses(prompt.template).filter((u) => isKnownVariable(u.name));
  const names = new Set(uses.map((u) => u.name));
  const values = new Map<string, string>();
  const notes: string[] = [];
  const quoted = `“${prompt.name}”`;

  const editorVars = ['selection', 'file', 'fileName', 'language'].filter((n) => names.has(n));
  if (editorVars.length) {
    const editor = sources.editor;
    const listed = editorVars.map((v) => `\${${v}}`).join(', ');
    if (!editor) return { ok: false, reason: `${quoted} uses ${listed}, but no text editor is active. Open a file and run it again.` };
    if (names.has('selection') && !editor.selection.trim()) {
      return { ok: false, reason: `${quoted} works on \${selection}, but nothing is selected in ${baseName(editor.fileName)}. Select some code and run it again.` };
    }
    if (names.has('file') && !editor.text.trim()) return { ok: false, reason: `${quoted} uses \${file}, but ${baseName(editor.fileName)} is empty.` };
    values.set('selection', capValue(editor.selection, 'selection', notes));
    // ${file} is cut when rendered, where the note can name the file and count all its lines.
    values.set('file', editor.text);
    values.set('fileName', baseName(editor.fileName));
    values.set('language', editor.languageId);
  }

  if (names.has('clipboard')) {
    const clipboard = await sources.readClipboard();
    if (!clipboard.trim()) return { ok: false, reason: `${quoted} uses \${clipboard}, but the clipboard is empty. Copy some text and run it again.` };
    values.set('clipboard', capValue(clipboard, 'clipboard', notes));
  }

  for (const use of uses) {
    if (use.name !== 'input') continue;
    const key = inputKey(use.label);
    if (values.has(key)) continue;
    const answer = await sources.askInput(use.label || `Input for ${prompt.name}`, prompt.name);
    if (answer === undefined) return { ok: false, reason: '', cancelled: true };
    values.set(key, answer);
  }
  return { ok: true, values, notes };
}

/**
 * The most characters `${file}`, `${selection}` or `${clipboard}` put into a prompt: more than any
 * built-in model's window (131,072 tokens is about 520,000 characters of code), and it keeps the
 * token estimates and the request small (7 MB of `${file}` took seconds of the extension host).
 */
export const PROMPT_VALUE_LIMIT_CHARS = 500_000;

interface Capped {
  readonly text: string;
  readonly cut: boolean;
  readonly keptLines: number;
  readonly totalLines: number;
}

/** The first whole lines of `text` within the limit (or the limit's characters, when one line is longer). */
function capText(text: string, limit = PROMPT_VALUE_LIMIT_CHARS): Capped {
  if (text.length <= limit) return { text, cut: false, keptLines: 0, totalLines: 0 };
  let totalLines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) totalLines++;
  const end = text.lastIndexOf('\n', limit);
  const head = end > 0 ? text.slice(0, end) : text.slice(0, limit);
  let keptLines = 1;
  for (let i = head.indexOf('\n'); i !== -1; i = head.indexOf('\n', i + 1)) keptLines++;
  return { text: head, cut: true, keptLines: end > 0 ? keptLines : 0, totalLines };
}

function capValue(value: string, name: 'selection' | 'clipboard', notes: string[]): string {
  const capped = capText(value);
  if (!capped.cut) return value;
  const what = name === 'selection' ? 'The selection' : 'The clipboard';
  notes.push(
    `${what} was cut to its first ${formatCount(capped.keptLines)} of ${formatCount(capped.totalLines)} lines: Run Prompt sends at most ${formatCount(PROMPT_VALUE_LIMIT_CHARS)} characters of it.`,
  );
  return `${capped.text}\n[… cut here: Run Prompt sends at most ${formatCount(PROMPT_VALUE_LIMIT_CHARS)} characters of \${${name}}.]`;
}

function inputKey(label: string): string {
  return label ? `input:${label}` : 'input';
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

export interface Rendered {
  readonly text: string;
  /** Lines for the user, shown above the message (e.g. that the file was cut to fit). */
  readonly notes: string[];
}

export interface RenderOptions {
  /** Most tokens `${file}` may take in all; longer files are cut to their first lines, with a marker. */
  readonly fileTokenBudget?: number;
  /** Per-variable replacements after trimming (see `fitPromptToContext`). */
  readonly overrides?: PromptValues;
}

/**
 * Substitutes the values in one pass, so text inside a value (a selection that contains `${file}`)
 * is never expanded again.
 */
export function renderTemplate(template: string, values: PromptValues, options: RenderOptions = {}): Rendered {
  const notes: string[] = [];
  const fileUses = variableUses(template).filter((u) => u.name === 'file').length;
  let fileValue = values.get('file');
  if (fileValue !== undefined && fileUses > 0) {
    const fileName = values.get('fileName') ?? 'the file';
    // Capped before any token is counted: counting 7 MB is what took seconds.
    const capped = capText(fileValue);
    const totalLines = capped.cut ? capped.totalLines : undefined;
    fileValue = capped.text;
    const cut = options.fileTokenBudget === undefined ? undefined : truncateToTokens(fileValue, Math.max(0, Math.floor(options.fileTokenBudget / fileUses) - FILE_MARKER_TOKENS));
    if (cut?.truncated) {
      const total = totalLines ?? cut.totalLines;
      fileValue = `${cut.text}\n[… ${fileName} was truncated to its first ${cut.keptLines} of ${total} lines to fit the model's context.]`;
      notes.push(`${fileName} was truncated to its first ${formatCount(cut.keptLines)} of ${formatCount(total)} lines to fit the model's context.`);
    } else if (capped.cut) {
      const why = `Run Prompt sends at most ${formatCount(PROMPT_VALUE_LIMIT_CHARS)} characters of a file.`;
      fileValue = `${capped.text}\n[… ${fileName} was cut to its first ${capped.keptLines} of ${capped.totalLines} lines: ${why}]`;
      notes.push(`${fileName} was cut to its first ${formatCount(capped.keptLines)} of ${formatCount(capped.totalLines)} lines: ${why}`);
    }
  }
  const text = template.replace(VARIABLE, (raw: string, name: string, label: string | undefined) => {
    if (!isKnownVariable(name)) return raw;
    const key = name === 'input' ? inputKey((label ?? '').trim()) : name;
    const override = options.overrides?.get(key);
    if (override !== undefined) return override;
    if (name === 'file' && fileValue !== undefined) return fileValue;
    return values.get(key) ?? raw;
  });
  return { text, notes };
}

/** Room kept for the "[… truncated …]" line added to a cut file. */
const FILE_MARKER_TOKENS = 40;

export interface FitOptions {
  readonly model: ModelInfo;
  readonly systemPrompt?: string;
  readonly maxTokens?: number;
  /** Cut `${selection}`, `${clipboard}` and `${input}` values too, when the prompt is still over. */
  readonly trim?: boolean;
}

export interface FittedPrompt extends Rendered {
  readonly check: ContextCheck;
  /** Variables cut by `trim`. */
  readonly trimmed: string[];
}

/**
 * Renders a prompt for a model. `${file}` always gets what is left of the model's input window
 * after the rest of the prompt, the system prompt and the room kept for the answer. When the rest
 * alone is too large (a huge selection or clipboard), the result says so (`check.fits` false); with
 * `trim`, the largest of those values are cut, each to its share of the space, until it fits.
 *
 * The check covers the prompt and system prompt only: the chat panel drops older turns of the
 * conversation itself to make room.
 */
export function fitPromptToContext(prompt: SavedPrompt, values: PromptValues, options: FitOptions): FittedPrompt {
  const { model } = options;
  const request = (text: string): ChatRequest => ({
    model,
    messages: [{ role: 'user', content: text }],
    options: { systemPrompt: options.systemPrompt, maxTokens: options.maxTokens },
  });
  const limit = model.contextLength - answerReserve(model, options.maxTokens);
  const usesFile = templateVariables(prompt.template).includes('file');

  // Everything but the file, to learn what the file may take.
  const withoutFile = renderTemplate(prompt.template, values, { overrides: usesFile ? new Map([['file', '']]) : undefined });
  const fixedCost = (text: string) => checkContext(request(text)).estimatedTokens;
  let overrides = new Map<string, string>();
  const trimmed: string[] = [];
  let rest = withoutFile.text;
  let restTokens = fixedCost(rest);

  if (restTokens > limit && options.trim) {
    overrides = trimValues(prompt, values, restTokens - limit);
    trimmed.push(...overrides.keys());
    if (usesFile) overrides.set('file', '');
    rest = renderTemplate(prompt.template, values, { overrides }).text;
    restTokens = fixedCost(rest);
    if (usesFile) overrides.delete('file');
  }

  const rendered = renderTemplate(prompt.template, values, {
    fileTokenBudget: usesFile ? Math.max(0, limit - restTokens) : undefined,
    overrides,
  });
  const notes = [...rendered.notes];
  for (const key of trimmed) notes.push(`\${${key.startsWith('input:') ? 'input' : key}} was trimmed to fit the model's context.`);
  return { text: rendered.text, notes, check: checkContext(request(rendered.text)), trimmed };
}

const TRIMMABLE = ['selection', 'clipboard'];

/** Cuts the largest trimmable values (selection, clipboard, inputs) by `overBy` tokens in all, largest first. */
function trimValues(prompt: SavedPrompt, values: PromptValues, overBy: number): Map<string, string> {
  const used = new Set(variableUses(prompt.template).map((u) => (u.name === 'input' ? inputKey(u.label) : u.name)));
  const candidates = [...values.entries()]
    .filter(([key]) => used.has(key) && (TRIMMABLE.includes(key) || key === 'input' || key.startsWith('input:')))
    .map(([key, value]) => ({ key, value, tokens: estimateTextTokens(value) * countUses(prompt.template, key) }))
    .sort((a, b) => b.tokens - a.tokens);
  const out = new Map<string, string>();
  // A little more than asked: estimates of a cut text and of its parts differ by a few tokens.
  let remaining = overBy + 16;
  for (const c of candidates) {
    if (remaining <= 0) break;
    const uses = countUses(prompt.template, c.key);
    const perUse = Math.ceil(remaining / uses);
    const target = Math.max(0, estimateTextTokens(c.value) - perUse - TRIM_MARKER_TOKENS);
    const cut = truncateToTokens(c.value, target);
    out.set(c.key, `${cut.text}\n[… trimmed to fit the model's context]`);
    remaining -= c.tokens - estimateTextTokens(cut.text) * uses;
  }
  return out;
}

const TRIM_MARKER_TOKENS = 12;

function countUses(template: string, key: string): number {
  return variableUses(template).filter((u) => (u.name === 'input' ? inputKey(u.label) : u.name) === key).length || 1;
}

// ---- recent prompts of `visionChat.ask` ----

export const MAX_RECENT_PROMPTS = 50;

/** The prompt moved (or added) to the front, blank ones ignored, at most `max` kept. */
export function rememberPrompt(recent: readonly string[], prompt: string, max = MAX_RECENT_PROMPTS): string[] {
  const text = prompt.trim();
  if (!text) return [...recent];
  return [text, ...recent.filter((p) => p !== text)].slice(0, max);
}

export function forgetPrompt(recent: readonly string[], prompt: string): string[] {
  return recent.filter((p) => p !== prompt);
}

/** Stored state is user data that may be anything after an upgrade: keep the strings. */
export function readRecentPrompts(stored: unknown): string[] {
  return Array.isArray(stored) ? stored.filter((p): p is string => typeof p === 'string' && p.trim().length > 0).slice(0, MAX_RECENT_PROMPTS) : [];
}
