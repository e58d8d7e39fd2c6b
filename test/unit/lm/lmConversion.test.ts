import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { BUILTIN_MODELS } from '../../../src/core/catalog';
import { ProviderError } from '../../../src/core/errors';
import {
  LM_ROLE_ASSISTANT,
  LM_ROLE_SYSTEM,
  LM_ROLE_USER,
  convertLmMessages,
  lmChatOptions,
  lmMessageImages,
  lmMessageText,
  type LmMessageLike,
} from '../../../src/extension/lm/conversion';

const vision11b = BUILTIN_MODELS.find((m) => m.id === 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct')!;

// Shaped like VS Code's own part classes, which the converter must recognise by their fields.
class TextPart {
  constructor(public value: string) {}
}
class DataPart {
  constructor(
    public data: Uint8Array,
    public mimeType: string,
  ) {}
}
class ToolCallPart {
  constructor(
    public callId: string,
    public name: string,
    public input: object,
  ) {}
}
class ToolResultPart {
  constructor(
    public callId: string,
    public content: unknown[],
  ) {}
}

function msg(role: number, ...content: unknown[]): LmMessageLike {
  return { role, content, name: undefined };
}

/** A real PNG of the given size (one colour), so the header and the bytes agree. */
function png(width: number, height: number): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.alloc((width * 3 + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width * 3 + 1)] = 0; // filter: none
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]),
  );
}

describe('Language Model message conversion', () => {
  it('maps roles and joins the text parts of each message', () => {
    const { messages, notes } = convertLmMessages(
      [msg(LM_ROLE_SYSTEM, new TextPart('Be terse.')), msg(LM_ROLE_USER, new TextPart('Hello, '), new TextPart('model')), msg(LM_ROLE_ASSISTANT, new TextPart('Hi.'))],
      vision11b,
    );
    assert.deepEqual(messages, [
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Hello, model' },
      { role: 'assistant', content: 'Hi.' },
    ]);
    assert.deepEqual(notes, []);
  });

  it('turns an image data part into an image with the type and size read from its bytes', () => {
    const bytes = png(64, 32);
    // Declared as JPEG, but the bytes are a PNG: the bytes win.
    const { messages } = convertLmMessages([msg(LM_ROLE_USER, new TextPart('What is this?'), new DataPart(bytes, 'image/jpeg'))], vision11b);
    assert.equal(messages.length, 1);
    const [image] = messages[0].images ?? [];
    assert.equal(image.mime, 'image/png');
    assert.equal(image.width, 64);
    assert.equal(image.height, 32);
    assert.deepEqual(new Uint8Array(Buffer.from(image.base64, 'base64')), bytes);
    assert.equal(messages[0].content, 'What is this?');
  });

  it('reads image bytes from a view into a larger buffer correctly', () => {
    const bytes = png(8, 8);
    const padded = new Uint8Array(bytes.length + 10);
    padded.set(bytes, 5);
    const view = padded.subarray(5, 5 + bytes.length);
    const { messages } = convertLmMessages([msg(LM_ROLE_USER, new DataPart(view, 'image/png'))], vision11b);
    assert.deepEqual(new Uint8Array(Buffer.from(messages[0].images![0].base64, 'base64')), bytes);
  });

  it('refuses data declared as an image that is not one we can send', () => {
    assert.throws(
      () => convertLmMessages([msg(LM_ROLE_USER, new DataPart(new TextEncoder().encode('<svg/>'), 'image/svg+xml'))], vision11b),
      (e: unknown) => e instanceof ProviderError && e.kind === 'unsupported' && /not a PNG, JPEG, GIF or WebP/.test(e.message),
    );
  });

  it('refuses an image over 20 MB, the limit the chat view has, naming the limit, before encoding it (issue 12)', () => {
    const limit = 20 * 1024 * 1024;
    const sized = (bytes: number) => {
      const data = new Uint8Array(bytes);
      data.set(png(64, 32));
      return data;
    };
    assert.throws(
      () => convertLmMessages([msg(LM_ROLE_USER, new TextPart('What is this?'), new DataPart(png(8, 8), 'image/png'), new DataPart(sized(limit + 1), 'image/png'))], vision11b),
      (e: unknown) => e instanceof ProviderError && e.kind === 'unsupported' && /Image 2 is 20\.0 MB/.test(e.message) && /up to 20 MB/.test(e.message),
    );
    const { messages } = convertLmMessages([msg(LM_ROLE_USER, new DataPart(sized(limit), 'image/png'))], vision11b);
    assert.equal(messages[0].images?.length, 1, 'an image of exactly the limit is sent');
  });

  it('encodes only the newest images the model takes, leaving older ones out with a note, so many large images cost one (issue 12)', () => {
    const big = (side: number) => {
      const data = new Uint8Array(19 * 1024 * 1024);
      data.set(png(side, side));
      return data;
    };
    const messages = [1, 2, 3, 4, 5].map((n) => msg(LM_ROLE_USER, new TextPart(`picture ${n}`), new DataPart(big(n * 10), 'image/png')));
    const { messages: out, notes } = convertLmMessages(messages, vision11b);
    assert.deepEqual(
      out.map((m) => m.images?.length ?? 0),
      [0, 0, 0, 0, 1],
      'only the newest image (the model takes 1)',
    );
    assert.equal(out[4].images![0].width, 50);
    assert.deepEqual(
      out.map((m) => m.content),
      ['picture 1', 'picture 2', 'picture 3', 'picture 4', 'picture 5'],
      'the text of every message stays',
    );
    assert.ok(notes.some((n) => /4 older images? left out: Llama 3\.2 11B Vision Instruct takes 1/.test(n)), notes.join(' | '));
  });

  it('decodes textual data parts and leaves out other data and assistant images, with notes', () => {
    const { messages, notes } = convertLmMessages(
      [
        msg(LM_ROLE_USER, new TextPart('Data: '), new DataPart(new TextEncoder().encode('{"a":1}'), 'application/json'), new DataPart(new Uint8Array([1, 2]), 'cache_control')),
        msg(LM_ROLE_ASSISTANT, new TextPart('Looking.'), new DataPart(png(4, 4), 'image/png')),
      ],
      vision11b,
    );
    assert.deepEqual(messages, [
      { role: 'user', content: 'Data: {"a":1}' },
      { role: 'assistant', content: 'Looking.' },
    ]);
    assert.equal(notes.length, 2);
    assert.match(notes[0], /cache_control data, which our models cannot read/);
    assert.match(notes[1], /only user messages can carry images/);
  });

  it('turns tool calls into the assistant turn’s calls and tool results (text and textual data) into tool turns', () => {
    const { messages, notes } = convertLmMessages(
      [
        msg(LM_ROLE_USER, new TextPart('Read a.txt')),
        msg(LM_ROLE_ASSISTANT, new TextPart('Reading.'), new ToolCallPart('c1', 'read_file', { filePath: 'a.txt' }), new ToolCallPart('c2', 'list_dir', {})),
        msg(
          LM_ROLE_USER,
          new ToolResultPart('c1', [new TextPart('line 1\n'), new DataPart(new TextEncoder().encode('{"more":true}'), 'application/json'), new DataPart(png(2, 2), 'image/png')]),
          new ToolResultPart('c2', [new TextPart('a.txt')]),
          new TextPart('Go on'),
        ),
        msg(LM_ROLE_USER, new ToolCallPart('c3', 'x', {})),
      ],
      vision11b,
    );
    assert.deepEqual(messages, [
      { role: 'user', content: 'Read a.txt' },
      {
        role: 'assistant',
        content: 'Reading.',
        toolCalls: [
          { id: 'c1', name: 'read_file', arguments: { filePath: 'a.txt' } },
          { id: 'c2', name: 'list_dir', arguments: {} },
        ],
      },
      { role: 'tool', toolCallId: 'c1', content: 'line 1\n{"more":true}' },
      { role: 'tool', toolCallId: 'c2', content: 'a.txt' },
      { role: 'user', content: 'Go on' },
    ]);
    assert.equal(notes.length, 2);
    assert.match(notes[0], /result of tool call c1 are not text/);
    assert.match(notes[1], /Message 4 \(user\): 1 tool call\/result part\(s\) in the wrong kind of message/);
  });

  it('leaves out messages of unknown roles and empty ones', () => {
    const { messages, notes } = convertLmMessages([msg(9, new TextPart('?')), msg(LM_ROLE_USER, new TextPart('  ')), msg(LM_ROLE_USER, new TextPart('real'))], vision11b);
    assert.deepEqual(messages, [{ role: 'user', content: 'real' }]);
    assert.match(notes[0], /unknown role \(9\)/);
  });
});

describe('Language Model request options', () => {
  const defaults = { maxTokens: 1024, temperature: 0.6 };

  it('takes the caller\'s OpenAI-style options, capped at the model maximum', () => {
    assert.deepEqual(lmChatOptions({ max_tokens: 100_000, temperature: 0.2, top_p: 0.9 }, defaults, vision11b), { maxTokens: 4096, temperature: 0.2, topP: 0.9 });
    assert.deepEqual(lmChatOptions({ maxTokens: 50 }, defaults, vision11b), { maxTokens: 50, temperature: 0.6, topP: undefined });
  });

  it('falls back to the settings for missing or out-of-range values', () => {
    assert.deepEqual(lmChatOptions({ temperature: 7, max_tokens: -1, top_p: 'high' }, defaults, vision11b), { maxTokens: 1024, temperature: 0.6, topP: undefined });
    assert.deepEqual(lmChatOptions(undefined, defaults, vision11b), { maxTokens: 1024, temperature: 0.6, topP: undefined });
  });
});

describe('Language Model token counting helpers', () => {
  it('gives the text and image sizes of a message', () => {
    const m = msg(LM_ROLE_USER, new TextPart('a '), new DataPart(png(600, 100), 'image/png'), new TextPart('b'));
    assert.equal(lmMessageText(m), 'a b');
    assert.deepEqual(lmMessageImages(m), [{ width: 600, height: 100 }]);
  });

  it('counts tool calls as the JSON the model wrote and tool results by their text', () => {
    const call = msg(LM_ROLE_ASSISTANT, new TextPart('Reading. '), new ToolCallPart('c1', 'read_file', { filePath: '/a.ts' }));
    assert.equal(lmMessageText(call), 'Reading. {"name":"read_file","parameters":{"filePath":"/a.ts"}}');
    const result = msg(LM_ROLE_USER, new ToolResultPart('c1', [new TextPart('export const a = 1;'), new DataPart(new TextEncoder().encode('\n// more'), 'text/plain')]));
    assert.equal(lmMessageText(result), 'export const a = 1;\n// more');
  });
});
