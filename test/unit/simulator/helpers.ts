// Small builders and readers shared by the simulator's tests: image headers made byte by byte (the
// simulator reads only headers), and a reader for server-sent events.

/** A PNG whose IHDR says width×height, padded to `size` bytes. */
export function png(width: number, height: number, size = 64): Buffer {
  const header = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'latin1');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  header[24] = 8; // bit depth
  header[25] = 2; // truecolour
  return pad(header, size);
}

/** A JPEG with an APP0 segment before the SOF0 frame header, as cameras write them. */
export function jpeg(width: number, height: number, size = 64): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof = Buffer.alloc(19);
  sof.writeUInt16BE(0xffc0, 0);
  sof.writeUInt16BE(17, 2);
  sof[4] = 8;
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return pad(Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof]), size);
}

export function gif(width: number, height: number): Buffer {
  const b = Buffer.alloc(13);
  b.write('GIF89a', 0, 'latin1');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return b;
}

export function webp(kind: 'VP8 ' | 'VP8L' | 'VP8X', width: number, height: number): Buffer {
  const b = Buffer.alloc(40);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(32, 4);
  b.write('WEBP', 8, 'latin1');
  b.write(kind, 12, 'latin1');
  if (kind === 'VP8 ') {
    b.set([0x9d, 0x01, 0x2a], 23);
    b.writeUInt16LE(width, 26);
    b.writeUInt16LE(height, 28);
  } else if (kind === 'VP8L') {
    b[20] = 0x2f;
    b.writeUInt32LE(((height - 1) << 14) | (width - 1), 21);
  } else {
    b.writeUIntLE(width - 1, 24, 3);
    b.writeUIntLE(height - 1, 27, 3);
  }
  return b;
}

export function dataUrl(mime: string, bytes: Buffer): string {
  return `data:${mime};base64,${bytes.toString('base64')}`;
}

function pad(header: Buffer, size: number): Buffer {
  return header.length >= size ? header : Buffer.concat([header, Buffer.alloc(size - header.length, 7)]);
}

/** The `data:` payloads of an SSE body, in order. */
export function sseData(body: string): string[] {
  return body
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}

/** The content of each delta that carries some. */
export function contentDeltas(body: string): string[] {
  return sseData(body)
    .filter((data) => data.startsWith('{'))
    .map((data) => JSON.parse(data) as { choices?: { delta?: { content?: string } }[] })
    .map((chunk) => chunk.choices?.[0]?.delta?.content)
    .filter((content): content is string => typeof content === 'string' && content !== '');
}

/** Reads a streamed body until `done(textSoFar)` holds, and returns the text (the stream stays open). */
export async function readUntil(response: Response, done: (text: string) => boolean): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!done(text)) {
    const { value, done: ended } = await reader.read();
    if (ended) throw new Error(`stream ended before the condition held; got: ${text.slice(0, 500)}`);
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

/** Resolves with the first emission of `event`, or rejects after `ms`. */
export function nextEvent<T>(emitter: NodeJS.EventEmitter, event: string, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    emitter.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
