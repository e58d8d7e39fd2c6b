import * as assert from 'node:assert/strict';
import { ArgumentsTemplate, argumentsPiece } from '../../../src/core/argumentsTemplate';
import { SseReader } from '../../../src/core/openaiCompatible';

/** A continuation event as OpenAI-style servers send it: only the arguments piece changes. */
const HEAD = '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1796170337,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":';
const piece = (text: string, index = 0, literal = JSON.stringify(text)) => `${HEAD}${index},"function":{"arguments":${literal}}}]},"finish_reason":null}]}`;

/** What the full parser reads from an event; the template must read the same or nothing. */
const fullRead = (data: string) => argumentsPiece(JSON.parse(data));

function learned(from = piece('{"pa')): ArgumentsTemplate {
  const template = new ArgumentsTemplate();
  template.learn(from, JSON.parse(from));
  return template;
}

/** Reads a stream of SSE events through the reader the provider uses; its calls and how many events took the template. */
function readStream(events: readonly string[]) {
  const reader = new SseReader('deepinfra', undefined);
  const template = (reader as unknown as { template: ArgumentsTemplate }).template;
  let matched = 0;
  const match = template.match.bind(template);
  template.match = (data) => {
    const found = match(data);
    if (found) matched++;
    return found;
  };
  reader.feed(events.map((e) => `data: ${e}\n\n`).join(''));
  reader.finish();
  reader.assertComplete();
  return { calls: reader.toolCalls() ?? [], matched };
}

describe('ArgumentsTemplate: later tool-call fragments read without parsing the whole event', () => {
  it('reads a later fragment that differs only in its arguments, escapes and all', () => {
    const template = learned();
    for (const text of ['th": "src/a.ts"', '\\"quoted\\" \u00e9 \u{1F600} \n\t', '', '"', '\\', '}}]}']) {
      const data = piece(text);
      assert.deepEqual(template.match(data), { index: 0, text }, data);
      assert.deepEqual(template.match(data), fullRead(data));
    }
  });

  it('leaves to the full parser an event whose arguments slot holds anything but one string', () => {
    const template = learned();
    const hostile = [
      `${HEAD}0,"function":{"arguments":"a","name":"evil"}}]},"finish_reason":null}]}`,
      `${HEAD}0,"function":{"arguments":"a"}},{"index":1,"function":{"arguments":"b"}}]},"finish_reason":null}]}`,
      piece('', 0, '"a" "b"'),
      piece('', 0, '"unterminated'),
      piece('', 0, '"a\\x"'),
      piece('', 0, '{"an":"object"}'),
      piece('', 0, '42'),
      piece('', 0, ' "leading space"'),
    ];
    for (const data of hostile) assert.equal(template.match(data), undefined, data);
  });

  it('leaves to the full parser an event that differs outside the arguments: finish, another call, usage, text, an error', () => {
    const template = learned();
    const others = [
      piece('x').replace('"finish_reason":null', '"finish_reason":"tool_calls"'),
      piece('x', 1),
      piece('x').replace('"created":1796170337', '"created":1796170338'),
      `${piece('x').slice(0, -1)},"usage":{"prompt_tokens":1}}`,
      piece('x').replace('{"tool_calls"', '{"content":"hi","tool_calls"'),
      piece('x').replace('{"id"', '{"error":{"message":"no"},"id"'),
    ];
    for (const data of others) assert.equal(template.match(data), undefined, data);
  });

  it('learns only from an event that carries nothing but a piece of arguments', () => {
    const first = `${HEAD}0,"id":"call_1","type":"function","function":{"name":"read_file","arguments":""}}]},"finish_reason":null}]}`;
    const last = piece('"}').replace('"finish_reason":null', '"finish_reason":"tool_calls"');
    const withText = piece('x').replace('{"tool_calls"', '{"content":"hi","tool_calls"');
    for (const data of [first, last, withText]) {
      assert.equal(argumentsPiece(JSON.parse(data)), undefined, data);
      assert.equal(learned(data).match(piece('y')), undefined, `nothing learned from ${data}`);
    }
  });

  it('learns nothing from a server that escapes differently, and is never wrong for it', () => {
    const slashes = piece('', 0, '"a\\/b"');
    assert.equal(learned(slashes).match(piece('c/d')), undefined);
  });

  it('gives the same calls as the full parser on random streams, odd events mixed in', () => {
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabet = ['a', ' ', '"', '\\', '{', '}', ':', ',', '\u00e9', '\u{1F600}', '\n', '\u0000', '/'];
    // Events the template must leave to the full parser, carrying the same piece.
    const odd = [
      (text: string, i: number) => piece(text, i).replace('"created":1796170337', '"created":1'),
      (text: string, i: number) => piece(text, i, JSON.stringify(text).replace(/\//g, '\\/')),
      (text: string, i: number) => piece(text, i).replace('"function":{', '"function":{"name":null,'),
    ];
    let matchedTotal = 0;
    for (let round = 0; round < 200; round++) {
      const calls = random(2) + 1;
      const whole = [0, 1].slice(0, calls).map(() => {
        let text = '';
        for (let k = random(40); k > 0; k--) text += alphabet[random(alphabet.length)];
        return JSON.stringify({ text, n: random(1000) });
      });
      const events = whole.map((_, i) => `${HEAD}${i},"id":"call_${i}","type":"function","function":{"name":"f${i}","arguments":""}}]},"finish_reason":null}]}`);
      const at = whole.map(() => 0);
      while (at.some((position, i) => position < whole[i].length)) {
        const i = random(calls);
        if (at[i] >= whole[i].length) continue;
        const text = whole[i].slice(at[i], (at[i] += random(7) + 1));
        events.push(random(8) === 0 ? odd[random(odd.length)](text, i) : piece(text, i));
      }
      events.push(piece('').replace('"finish_reason":null', '"finish_reason":"tool_calls"'), '[DONE]');
      const { calls: read, matched } = readStream(events);
      matchedTotal += matched;
      assert.deepEqual(
        read.map((c) => [c.id, c.name, c.arguments]),
        whole.map((args, i) => [`call_${i}`, `f${i}`, JSON.parse(args)]),
      );
    }
    assert.ok(matchedTotal > 500, `the template was used (${matchedTotal} events)`);
  });

  it('takes most of a long single call through the template, with the same arguments as in full', () => {
    const args = JSON.stringify({ content: 'note '.repeat(400) + '"quoted" \\ \u00e9' });
    const events = [`${HEAD}0,"id":"call_1","type":"function","function":{"name":"write_note","arguments":""}}]},"finish_reason":null}]}`];
    for (let i = 0; i < args.length; i += 5) events.push(piece(args.slice(i, i + 5)));
    events.push(piece('').replace('"finish_reason":null', '"finish_reason":"tool_calls"'), '[DONE]');
    const { calls, matched } = readStream(events);
    assert.deepEqual(calls, [{ id: 'call_1', name: 'write_note', arguments: JSON.parse(args) }]);
    assert.ok(matched >= events.length - 4, `${matched} of ${events.length} events through the template`);
  });
});
