import assert from 'node:assert/strict';
import { BUILTIN_MODELS } from '../../../src/core/catalog';
import {
  checkContext,
  estimateImageTokens,
  estimateRequestTokens,
  estimateTextTokens,
  estimateToolTokens,
  inputTokenLimit,
  lmTokenLimits,
  modelFamily,
  truncateToTokens,
} from '../../../src/extension/tokens';
import type { ModelInfo, ToolDefinition } from '../../../src/core/types';

const llama8b = BUILTIN_MODELS.find((m) => m.id === 'deepinfra:meta-llama/Meta-Llama-3-8B-Instruct')!;
const vision11b = BUILTIN_MODELS.find((m) => m.id === 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct')!;
const segmindVision = BUILTIN_MODELS.find((m) => m.id === 'segmind:llama-v3p2-90b-vision-instruct')!;
const llava15 = BUILTIN_MODELS.find((m) => m.id === 'deepinfra:llava-hf/llava-1.5-7b-hf')!;
const llava16 = BUILTIN_MODELS.find((m) => m.id === 'segmind:llava-v1.6')!;

const SAMPLE_CODE = `export function debounce<T extends (...args: unknown[]) => void>(fn: T, waitMs: number): T {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return ((...args: unknown[]) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), waitMs);
  }) as T;
}
`;

describe('token estimate', () => {
  it('is zero only for empty text, and at least one token otherwise', () => {
    assert.equal(estimateTextTokens(''), 0);
    for (const text of [' ', '\n', 'a', '.', '7', 'é', '日', '👋']) assert.ok(estimateTextTokens(text) >= 1, JSON.stringify(text));
  });

  it('lands a little above the Llama 3 tokenizer on code and prose', () => {
    // True counts from Llama 3's tokenizer (llama3-tokenizer-js), measured once.
    assert.equal(SAMPLE_CODE.length, 299);
    const code = estimateTextTokens(SAMPLE_CODE);
    assert.ok(code >= 74 && code <= 74 * 1.35, `code: ${code} tokens, Llama 3 counts 74`);
    const prose = 'The quick brown fox jumps over the lazy dog, then naps in the afternoon sun.';
    const proseTokens = estimateTextTokens(prose);
    assert.ok(proseTokens >= 18 && proseTokens <= 18 * 1.35, `prose: ${proseTokens} tokens, Llama 3 counts 18`);
  });

  it('grows with the text', () => {
    assert.ok(estimateTextTokens(SAMPLE_CODE.repeat(10)) >= 9 * estimateTextTokens(SAMPLE_CODE));
  });

  it('counts random-looking data (hashes, base64) far denser than words', () => {
    const hash = 'sha512-Xk3Jq9ZpLmN2vB7cR4tY8wQ1sD6fG0hH5jK3lP9oI2uE7rT4yW1qA8zX6cV0bN3mQ==';
    const words = 'the quick brown fox jumps over the lazy dog and keeps running far away';
    assert.ok(estimateTextTokens(hash) > 2 * estimateTextTokens(words.slice(0, hash.length)));
  });
});

describe('model family', () => {
  it('tells the built-in models apart', () => {
    assert.equal(modelFamily(llama8b), 'llama-3');
    assert.equal(modelFamily(vision11b), 'llama-3.2-vision');
    assert.equal(modelFamily(segmindVision), 'llama-3.2-vision');
    assert.equal(modelFamily(llava15), 'llava-1.5');
    assert.equal(modelFamily(llava16), 'llava-1.6');
    assert.equal(modelFamily({ providerModelId: 'llama3.2-vision:11b', vision: true }), 'llama-3.2-vision');
    assert.equal(modelFamily({ providerModelId: 'qwen2.5vl:7b', vision: true }), 'other');
  });
});

describe('image tokens', () => {
  it('counts 560 px tiles for Llama 3.2 Vision, at most four', () => {
    assert.equal(estimateImageTokens({ width: 500, height: 400 }, vision11b), 1601);
    assert.equal(estimateImageTokens({ width: 1000, height: 400 }, vision11b), 2 * 1601);
    assert.equal(estimateImageTokens({ width: 1120, height: 1120 }, vision11b), 4 * 1601);
    // A larger image is downscaled to 1120 px first: still four tiles.
    assert.equal(estimateImageTokens({ width: 4000, height: 3000 }, vision11b), 4 * 1601);
    // Unknown size: the most it can be.
    assert.equal(estimateImageTokens({}, vision11b), 4 * 1601);
  });

  it('uses the fixed image sizes of LLaVA 1.5 and 1.6', () => {
    assert.equal(estimateImageTokens({ width: 200, height: 200 }, llava15), 576);
    assert.equal(estimateImageTokens({ width: 200, height: 200 }, llava16), 2928);
  });
});

describe('context check', () => {
  it('fits a short question and counts the system prompt and framing', () => {
    const request = { model: llama8b, messages: [{ role: 'user' as const, content: 'What is a closure?' }], options: { systemPrompt: 'Be brief.', maxTokens: 1024 } };
    const check = checkContext(request);
    assert.equal(check.fits, true);
    assert.equal(check.limitTokens, 8192 - 1024);
    assert.equal(check.estimatedTokens, estimateRequestTokens(request));
    assert.ok(check.estimatedTokens > estimateTextTokens('What is a closure?') + estimateTextTokens('Be brief.'));
  });

  it('says by how much a request is over and what to do', () => {
    const big = SAMPLE_CODE.repeat(150); // ~12k tokens
    const check = checkContext({ model: llama8b, messages: [{ role: 'user', content: big }], options: { maxTokens: 1024 } });
    assert.equal(check.fits, false);
    if (check.fits) return;
    assert.equal(check.overBy, check.estimatedTokens - 7168);
    assert.match(check.message, /Llama 3 8B Instruct takes 7,168/);
    assert.match(check.message, /8,192-token context less 1,024 kept for the answer/);
    assert.match(check.message, /Trim about [\d,]+ tokens/);
    // The same request fits a 128k model.
    assert.equal(checkContext({ model: vision11b, messages: [{ role: 'user', content: big }] }).fits, true);
  });

  it('counts images, so a LLaVA 1.5 prompt with text near the limit no longer fits', () => {
    const text = 'word '.repeat(3400);
    const model: ModelInfo = llava15;
    const withoutImage = checkContext({ model, messages: [{ role: 'user', content: text }], options: { maxTokens: 256 } });
    const withImage = checkContext({
      model,
      messages: [{ role: 'user', content: text, images: [{ mime: 'image/png', base64: '', width: 300, height: 300 }] }],
      options: { maxTokens: 256 },
    });
    assert.equal(withoutImage.fits, true);
    assert.equal(withImage.fits, false);
    assert.equal(withImage.estimatedTokens - withoutImage.estimatedTokens, 576);
  });

  it('counts the tools a request offers, so a prompt near the limit with Agent mode\'s tools no longer fits', () => {
    // Forty definitions the size of VS Code's Agent tools: a description and a small schema each.
    const tools: ToolDefinition[] = Array.from({ length: 40 }, (_, i) => ({
      name: `workspace_tool_${i}`,
      description: `Reads or changes part ${i} of the workspace. Use it when the user asks about files, symbols or the terminal.`,
      parameters: { type: 'object', properties: { filePath: { type: 'string', description: 'An absolute path.' }, line: { type: 'integer' } }, required: ['filePath'] },
    }));
    const model: ModelInfo = { ...vision11b, contextLength: 8192 };
    const text = 'word '.repeat(4000);
    const bare = { model, messages: [{ role: 'user' as const, content: text }], options: { maxTokens: 1024 } };
    const withTools = { ...bare, tools };
    assert.equal(checkContext(bare).fits, true);
    const check = checkContext(withTools);
    assert.equal(check.fits, false);
    if (!check.fits) assert.match(check.message, /tokens \([\d,]+ of them for the 40 tool definitions it offers\), but/);
    const toolTokens = estimateRequestTokens(withTools) - estimateRequestTokens(bare);
    assert.equal(toolTokens, estimateToolTokens(tools));
    // Every definition is in it: at least its JSON's own estimate, each.
    const definitions = tools.reduce((n, t) => n + estimateTextTokens(JSON.stringify(t)), 0);
    assert.ok(toolTokens >= definitions, `${toolTokens} tool tokens for ${definitions} tokens of definitions`);
    assert.equal(estimateToolTokens([]), 0);
  });

  it('counts the calls an assistant turn made', () => {
    const turn = (toolCalls?: { id: string; name: string; arguments: Record<string, unknown> }[]) =>
      estimateRequestTokens({ model: vision11b, messages: [{ role: 'assistant', content: 'Reading it.', toolCalls }] });
    const call = { id: 'c1', name: 'read_file', arguments: { filePath: '/work/a-rather-long/path/to/some/file.ts', startLine: 1, endLine: 200 } };
    assert.ok(turn([call]) - turn() >= estimateTextTokens(JSON.stringify(call.arguments)));
  });

  it('tells VS Code limits whose sum is the model\'s window (its Context Size column)', () => {
    for (const model of [llama8b, vision11b, llava15]) {
      for (const maxTokens of [undefined, 500, 100_000]) {
        const limits = lmTokenLimits(model, maxTokens);
        assert.equal(limits.maxInputTokens + limits.maxOutputTokens, model.contextLength, `${model.id} with ${maxTokens}`);
        assert.equal(limits.maxInputTokens, inputTokenLimit(model, maxTokens));
      }
    }
    assert.deepEqual(lmTokenLimits(llama8b, 500), { maxInputTokens: 8192 - 500, maxOutputTokens: 500 });
  });

  it('keeps the answer room within the model maximum', () => {
    assert.equal(inputTokenLimit(llama8b, 100_000), 8192 - 4096);
    assert.equal(inputTokenLimit(llama8b), 8192 - 4096);
    assert.equal(inputTokenLimit(llama8b, 500), 8192 - 500);
  });
});

describe('truncateToTokens', () => {
  const lines = Array.from({ length: 400 }, (_, i) => `const value${i} = compute(${i}, "label ${i}");`).join('\n');

  it('leaves text that fits alone', () => {
    const cut = truncateToTokens('short text\nsecond line', 100);
    assert.deepEqual(cut, { text: 'short text\nsecond line', truncated: false, keptLines: 2, totalLines: 2 });
  });

  it('keeps whole leading lines within the budget', () => {
    const cut = truncateToTokens(lines, 500);
    assert.equal(cut.truncated, true);
    assert.ok(estimateTextTokens(cut.text) <= 500);
    assert.ok(cut.keptLines > 10 && cut.keptLines < 400, String(cut.keptLines));
    assert.equal(cut.totalLines, 400);
    assert.ok(lines.startsWith(cut.text + '\n'));
    // Close to the budget, not far under it.
    assert.ok(estimateTextTokens(cut.text) > 450, String(estimateTextTokens(cut.text)));
  });

  it('cuts a single over-long line by characters', () => {
    const cut = truncateToTokens('word '.repeat(1000), 50);
    assert.equal(cut.truncated, true);
    assert.equal(cut.keptLines, 0);
    assert.ok(cut.text.length > 0 && estimateTextTokens(cut.text) <= 50);
  });
});
