// Tool calling, as a model would do it. A request that offers tools (OpenAI `tools`, or functions
// listed as JSON lines in the system message, Llama 3.1's prompted format) and whose last user text
// asks for one gets tool calls back: the tools it names (up to two, in the order named), or the
// first tool when it just says "use a tool". Arguments are filled from the tool's JSON schema and
// the user's words (`key=value`, a path for path-like parameters). Given the results, the answer
// quotes them, so a test can tell they arrived.

import { isObject } from './messages';

export interface SimTool {
  readonly name: string;
  readonly parameters: Record<string, unknown>;
}

export interface PlannedCall {
  readonly name: string;
  readonly arguments: Record<string, unknown>;
}

export interface ToolResult {
  readonly name?: string;
  readonly content: string;
}

/** The most calls one answer makes. */
const MAX_CALLS = 2;
/** How much of a tool result the answer quotes. */
const QUOTED_CHARS = 2000;

/** OpenAI `tools`: `[{type:"function", function:{name, description?, parameters?}}]`; a problem message when malformed. */
export function readOpenAiTools(raw: unknown): SimTool[] | string {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return 'tools must be an array.';
  const tools: SimTool[] = [];
  for (const t of raw as unknown[]) {
    if (!isObject(t) || t.type !== 'function' || !isObject(t.function) || typeof t.function.name !== 'string' || !t.function.name) {
      return 'Each tool must be {"type":"function","function":{"name":…}}.';
    }
    const parameters = t.function.parameters;
    if (parameters !== undefined && !isObject(parameters)) return `The parameters of ${t.function.name} must be a JSON schema object.`;
    tools.push({ name: t.function.name, parameters: parameters ?? {} });
  }
  return tools;
}

/** Llama 3.1's JSON tool prompt: the system message lists each function as a JSON object on its own line. */
export function readPromptedTools(systemText: string): SimTool[] {
  const tools: SimTool[] = [];
  for (const line of systemText.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    try {
      const value: unknown = JSON.parse(trimmed);
      if (isObject(value) && typeof value.name === 'string' && isObject(value.parameters)) tools.push({ name: value.name, parameters: value.parameters });
    } catch {
      // Not a function definition.
    }
  }
  return tools;
}

/** A prompted call the model wrote earlier: the assistant's content as `{"name", "parameters"}`. */
export function isPromptedCall(text: string): boolean {
  return promptedCallName(text) !== undefined;
}

/** The function a prompted call names: the first line of the answer that is a `{"name", "parameters"}` object. */
export function promptedCallName(text: string): string | undefined {
  for (const line of text.replace(/<\|python_tag\|>/g, '\n').split(/\n|; /)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    try {
      const value: unknown = JSON.parse(trimmed);
      if (isObject(value) && typeof value.name === 'string' && 'parameters' in value) return value.name;
    } catch {
      // Prose with a brace.
    }
  }
  return undefined;
}

/**
 * The user's own words. VS Code's agent prompt wraps them in `<userRequest>`, among attachments and
 * reminders that name tools the user never asked for ("when using insert_edit_into_file…"); a
 * model follows the request, not the reminders.
 */
export function userRequestText(text: string): string {
  const request = /<userRequest>([\s\S]*?)<\/userRequest>/.exec(text);
  return request ? request[1] : text;
}

/** The calls the user's text asks for; none when it names no offered tool and asks for no tool. */
export function planToolCalls(tools: readonly SimTool[], fullText: string, required = false): PlannedCall[] {
  if (tools.length === 0) return [];
  const userText = userRequestText(fullText);
  const named = tools
    .map((tool) => ({ tool, at: wordIndex(userText, tool.name) }))
    .filter((n) => n.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((n) => n.tool);
  const asked = required || /\b(use|call|run)\s+(a|an|the|your|any)\s+tools?\b/i.test(userText);
  const chosen = named.length ? named : asked ? [tools[0]] : [];
  const paths = pathsIn(userText);
  const calls: PlannedCall[] = [];
  for (const tool of chosen.slice(0, MAX_CALLS)) calls.push({ name: tool.name, arguments: fillArguments(tool, userText, paths[0]) });
  // One tool and two paths ("read a.txt and b.txt with read_file"): two calls to it, in parallel.
  if (calls.length === 1 && paths.length > 1 && pathProperty(chosen[0]) !== undefined) {
    calls.push({ name: chosen[0].name, arguments: fillArguments(chosen[0], userText, paths[1]) });
  }
  return calls;
}

function wordIndex(text: string, word: string): number {
  const match = new RegExp(`(^|[^\\w])${escapeRegExp(word)}($|[^\\w])`).exec(text);
  return match ? match.index + match[1].length : -1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Absolute paths first, then relative paths and file names with an extension. */
function pathsIn(text: string): string[] {
  const absolute = [...text.matchAll(/(?:^|[\s`'"(])((?:[A-Za-z]:\\|\/)[^\s`'"()]+)/g)].map((m) => m[1].replace(/[.,;:!?]+$/, ''));
  const names = [...text.matchAll(/(?:^|[\s`'"(])((?:[\w.-]+\/)*[\w.-]+\.[A-Za-z0-9]{1,6})(?=$|[\s`'"),;:!?]|\.(?:\s|$))/g)].map((m) => m[1]);
  return [...new Set([...absolute, ...names.filter((n) => !absolute.some((a) => a.endsWith(n)))])];
}

function properties(tool: SimTool): Record<string, unknown> {
  return isObject(tool.parameters.properties) ? tool.parameters.properties : {};
}

function pathProperty(tool: SimTool): string | undefined {
  return Object.keys(properties(tool)).find((name) => /path|file|uri/i.test(name));
}

/** Every required parameter (and any the user set as `key=value`) gets a value its schema allows. */
function fillArguments(tool: SimTool, userText: string, path: string | undefined): Record<string, unknown> {
  const props = properties(tool);
  const required = Array.isArray(tool.parameters.required) ? (tool.parameters.required as unknown[]).filter((r): r is string => typeof r === 'string') : [];
  const args: Record<string, unknown> = {};
  for (const [name, rawSchema] of Object.entries(props)) {
    const schema = isObject(rawSchema) ? rawSchema : {};
    const given = new RegExp(`(?:^|\\s)${escapeRegExp(name)}=(?:"([^"]*)"|(\\S+))`).exec(userText);
    if (given) {
      args[name] = coerce(given[1] ?? given[2], schema);
      continue;
    }
    if (!required.includes(name)) continue;
    args[name] = defaultValue(name, schema, userText, path);
  }
  return args;
}

function coerce(text: string, schema: Record<string, unknown>): unknown {
  if (schema.type === 'integer' || schema.type === 'number') return Number(text);
  if (schema.type === 'boolean') return text === 'true';
  return text;
}

function defaultValue(name: string, schema: Record<string, unknown>, userText: string, path: string | undefined): unknown {
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  switch (schema.type) {
    case 'integer':
    case 'number':
      return /end|max|limit|count|lines/i.test(name) ? 200 : 1;
    case 'boolean':
      return false;
    case 'array':
      return path && /path|file|uri/i.test(name) ? [path] : [];
    case 'object':
      return {};
    default:
      if (/path|file|uri/i.test(name) && path) return path;
      return userText.slice(0, 200);
  }
}

/** The answer to tool results: which tools answered, and each result quoted. */
export function resultAnswer(model: string, results: readonly ToolResult[]): string {
  const quoted = results.map((r) => {
    const text = r.content.length > QUOTED_CHARS ? `${r.content.slice(0, QUOTED_CHARS)}…` : r.content;
    const lines = text.split('\n').map((line) => `> ${line}`);
    return `The tool ${r.name ? `\`${r.name}\` ` : ''}returned:\n\n${lines.join('\n')}`;
  });
  return `Simulator answer from \`${model}\` after ${results.length === 1 ? 'a tool call' : `${results.length} tool calls`}.\n\n${quoted.join('\n\n')}`;
}

/** What a Llama model says before a call, streamed as text. */
export function preamble(calls: readonly PlannedCall[]): string {
  return `I'll call ${calls.map((c) => `\`${c.name}\``).join(' and ')}.`;
}

export type PromptedShape = 'plain' | 'python-tag' | 'fenced' | 'prose';

/** A prompted answer, the way Llama writes one in each shape. */
export function promptedAnswer(calls: readonly PlannedCall[], shape: PromptedShape): string {
  const json = calls.map((c) => JSON.stringify({ name: c.name, parameters: c.arguments }));
  switch (shape) {
    case 'plain':
      return json.join('\n');
    case 'python-tag':
      return `<|python_tag|>${json.join('; ')}<|eom_id|>`;
    case 'fenced':
      return `\`\`\`json\n${json.join('\n')}\n\`\`\``;
    case 'prose':
      return `${preamble(calls)} Here is the call:\n\n${json.join('\n')}\n\nI will answer once it returns.`;
  }
}

/**
 * The argument texts of `calls` cut into streamed fragments of 1 to 7 characters, a cycle that
 * cuts through escapes (`\"`, `\u00e9`) the way token boundaries do.
 */
export function argumentFragments(argumentsText: string): string[] {
  const sizes = [3, 1, 5, 2, 7, 4, 6];
  const out: string[] = [];
  for (let at = 0, i = 0; at < argumentsText.length; i++) {
    const size = sizes[i % sizes.length];
    out.push(argumentsText.slice(at, at + size));
    at += size;
  }
  return out;
}
