// Reads OpenAI-style chat bodies (DeepInfra, the OpenAI-compatible server and Segmind's Llama
// slugs) into what the simulator reports back: counts, characters and the images' stats.

import { readImageUrl, type ReceivedImage } from './images';
import { isPromptedCall, promptedCallName, readOpenAiTools, readPromptedTools, type SimTool, type ToolResult } from './tools';

export interface ParsedChat {
  readonly model?: string;
  readonly stream: boolean;
  readonly messageCount: number;
  /** Characters of text across all messages (the whole prompt the model would see). */
  readonly promptChars: number;
  /** Characters of text in the last user message. */
  readonly lastPromptChars: number;
  readonly roles: readonly string[];
  readonly images: readonly LocatedImage[];
  readonly maxTokens?: number;
  readonly temperature?: number;
  /** The tools offered: OpenAI `tools`, or the functions of a Llama JSON tool prompt in the system message. */
  readonly tools: readonly SimTool[];
  readonly toolsPrompted: boolean;
  readonly toolChoice?: string;
  /** The last user message's text (for a prompted result, the user message before the call). */
  readonly lastUserText: string;
  /** Every user message's text, in order. */
  readonly userTexts: readonly string[];
  /** Results of the calls the model made after the last user message; the answer quotes them. */
  readonly toolResults: readonly ToolResult[];
  /** Every assistant message's text, in order (what a client sent back of earlier answers). */
  readonly assistantTexts: readonly string[];
  /** Messages that carried a reasoning field (`reasoning_content`, `reasoning`, `thinking`). */
  readonly reasoningFields: number;
}

export interface LocatedImage {
  readonly image: ReceivedImage;
  /** Where it sits in the body, for validation errors: `["body","messages",0,"content",1]`. */
  readonly loc: readonly (string | number)[];
}

export interface BodyProblem {
  readonly loc: readonly (string | number)[];
  readonly message: string;
}

export type ParseResult = { ok: true; chat: ParsedChat } | { ok: false; problem: BodyProblem };

export function parseChatBody(body: unknown): ParseResult {
  if (!isObject(body)) return problem(['body'], 'The body must be a JSON object.');
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return problem(['body', 'messages'], 'messages must be a non-empty array.');
  }
  const openAiTools = readOpenAiTools(body.tools);
  if (typeof openAiTools === 'string') return problem(['body', 'tools'], openAiTools);
  const roles: string[] = [];
  const texts: string[] = [];
  const images: LocatedImage[] = [];
  /** Call ids of earlier assistant `tool_calls`, with their function names. */
  const callNames = new Map<string, string>();
  const toolResults: ToolResult[] = [];
  let promptChars = 0;
  let lastPromptChars = 0;
  let reasoningFields = 0;
  for (let m = 0; m < messages.length; m += 1) {
    const message: unknown = messages[m];
    const at = ['body', 'messages', m];
    if (!isObject(message) || typeof message.role !== 'string') {
      return problem(at, 'Each message needs a string role.');
    }
    roles.push(message.role);
    if (message.reasoning_content !== undefined || message.reasoning !== undefined || message.thinking !== undefined) reasoningFields += 1;
    let chars = 0;
    let text = '';
    const content = message.content;
    if (typeof content === 'string') {
      chars = content.length;
      text = content;
    } else if (Array.isArray(content)) {
      for (let p = 0; p < content.length; p += 1) {
        const part: unknown = content[p];
        const partAt = [...at, 'content', p];
        if (isObject(part) && part.type === 'text' && typeof part.text === 'string') {
          chars += part.text.length;
          text += part.text;
        } else if (isObject(part) && part.type === 'image_url') {
          const url = imageUrlOf(part.image_url);
          if (url === undefined) return problem([...partAt, 'image_url'], 'image_url needs a url.');
          images.push({ image: readImageUrl(url), loc: [...partAt, 'image_url'] });
        } else {
          return problem(partAt, 'Content parts must be {type:"text",text} or {type:"image_url",image_url:{url}}.');
        }
      }
    } else if (content !== null && content !== undefined) {
      return problem([...at, 'content'], 'content must be a string or an array of parts.');
    }
    if (message.role === 'assistant' && message.tool_calls !== undefined) {
      const calls = message.tool_calls;
      if (!Array.isArray(calls)) return problem([...at, 'tool_calls'], 'tool_calls must be an array.');
      for (let c = 0; c < calls.length; c += 1) {
        const call: unknown = calls[c];
        if (!isObject(call) || typeof call.id !== 'string' || !isObject(call.function) || typeof call.function.name !== 'string' || typeof call.function.arguments !== 'string') {
          return problem([...at, 'tool_calls', c], 'Each tool call needs an id and a function with a name and arguments (a JSON string).');
        }
        callNames.set(call.id, call.function.name);
      }
    }
    if (message.role === 'tool') {
      // As OpenAI does: a result must answer a call an earlier assistant message made.
      if (typeof message.tool_call_id !== 'string' || !callNames.has(message.tool_call_id)) {
        return problem([...at, 'tool_call_id'], 'A message with role "tool" must answer a preceding tool call: its tool_call_id must be one of their ids.');
      }
      toolResults.push({ name: callNames.get(message.tool_call_id), content: text });
    } else if (message.role === 'user') {
      toolResults.length = 0;
    }
    texts.push(text);
    promptChars += chars;
    if (message.role === 'user') lastPromptChars = chars;
  }
  let tools: readonly SimTool[] = openAiTools;
  let toolsPrompted = false;
  if (tools.length === 0 && roles[0] === 'system') {
    tools = readPromptedTools(texts[0]);
    toolsPrompted = tools.length > 0;
  }
  let lastUser = roles.lastIndexOf('user');
  if (toolsPrompted && lastUser === roles.length - 1 && roles[lastUser - 1] === 'assistant' && isPromptedCall(texts[lastUser - 1])) {
    // Prompted: the user message after a call is its result.
    toolResults.push({ name: promptedCallName(texts[lastUser - 1]), content: texts[lastUser] });
    lastUser = roles.lastIndexOf('user', lastUser - 1);
  }
  return {
    ok: true,
    chat: {
      model: typeof body.model === 'string' ? body.model : undefined,
      stream: body.stream === true,
      messageCount: messages.length,
      promptChars,
      lastPromptChars,
      roles,
      images,
      maxTokens: typeof body.max_tokens === 'number' ? body.max_tokens : undefined,
      temperature: typeof body.temperature === 'number' ? body.temperature : undefined,
      tools,
      toolsPrompted,
      toolChoice: typeof body.tool_choice === 'string' ? body.tool_choice : isObject(body.tool_choice) ? 'function' : undefined,
      lastUserText: lastUser >= 0 ? texts[lastUser] : '',
      userTexts: texts.filter((_, i) => roles[i] === 'user'),
      toolResults,
      assistantTexts: texts.filter((_, i) => roles[i] === 'assistant'),
      reasoningFields,
    },
  };
}


/** Rough token count of a prompt, for `usage.prompt_tokens`: 4 characters a token, plus a fixed cost per image. */
export function estimatePromptTokens(promptChars: number, imageCount: number): number {
  const TOKENS_PER_IMAGE = 1601; // what Llama 3.2 Vision bills for one image tile set
  return Math.ceil(promptChars / 4) + imageCount * TOKENS_PER_IMAGE;
}

function imageUrlOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.url === 'string') return value.url;
  return undefined;
}

function problem(loc: (string | number)[], message: string): ParseResult {
  return { ok: false, problem: { loc, message } };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
