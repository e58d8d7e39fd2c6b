import * as assert from 'node:assert/strict';
import { BUILTIN_MODELS, buildCatalog } from '../../../src/core/catalog';
import { SseReader } from '../../../src/core/openaiCompatible';
import { parsePromptedAnswer, withPromptedTools } from '../../../src/core/promptedTools';
import { closeDispatchers, createProvider } from '../../../src/core/providers';
import type { ChatEvent, ChatMessage, ChatProvider, ChatRequest, ModelInfo, ProviderConfig, ToolCall, ToolDefinition } from '../../../src/core/types';
import { startSimulator, type Simulator } from '../../../src/simulator/server';
import { deepinfraText, deepinfraVision, openaiModel, segmindVision } from './fixtures';
import { finish, frame, nextClientClose, run, startServer, textOf, writeEvents } from './net';

const FAST: Partial<ProviderConfig> = {
  retry: { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 50, maxTotalMs: 2000 },
  timeouts: { firstByteMs: 2000, idleMs: 2000 },
};

const READ_FILE: ToolDefinition = {
  name: 'read_file',
  description: 'Reads a file of the workspace.',
  parameters: {
    type: 'object',
    properties: { filePath: { type: 'string' }, startLine: { type: 'integer' }, endLine: { type: 'integer' } },
    required: ['filePath', 'startLine', 'endLine'],
  },
};
const LIST_DIR: ToolDefinition = {
  name: 'list_dir',
  description: 'Lists a folder.',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};
const TOOLS = [READ_FILE, LIST_DIR];

const nativeModel = (): ModelInfo => ({ ...openaiModel('sim-text'), tools: 'native' });

function calls(events: readonly ChatEvent[]): ToolCall[] {
  return events.flatMap((e) => (e.type === 'toolCall' ? [e.call] : []));
}

function ask(model: ModelInfo, content: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model, messages: [{ role: 'user', content }], tools: TOOLS, ...extra };
}

/** The conversation after `events`: the assistant's turn with its calls, then one result per call. */
function withResults(request: ChatRequest, events: readonly ChatEvent[], result: (call: ToolCall) => string): ChatRequest {
  const made = calls(events);
  const messages: ChatMessage[] = [
    ...request.messages,
    { role: 'assistant', content: textOf(events), toolCalls: made },
    ...made.map((call): ChatMessage => ({ role: 'tool', toolCallId: call.id, content: result(call) })),
  ];
  return { ...request, messages };
}

describe('core tools', function () {
  let sim: Simulator;
  let deepinfra: ChatProvider;
  let segmind: ChatProvider;

  before(async () => {
    sim = await startSimulator();
  });
  beforeEach(() => {
    sim.reset();
    deepinfra = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey, ...FAST });
    segmind = createProvider('segmind', { baseUrl: sim.segmindBaseUrl, apiKey: sim.validKey, ...FAST });
  });
  after(async () => {
    await sim.close();
    await closeDispatchers();
  });

  describe('the catalog says how each model calls tools', () => {
    it('DeepInfra Llama 3.2 Vision natively, Segmind Llama 3.2 Vision by prompt, Llama 3 8B and LLaVA not at all', () => {
      const how = Object.fromEntries(BUILTIN_MODELS.map((m) => [m.id, m.tools ?? 'none']));
      assert.deepEqual(how, {
        'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct': 'native',
        'deepinfra:meta-llama/Llama-3.2-90B-Vision-Instruct': 'native',
        'deepinfra:meta-llama/Meta-Llama-3-8B-Instruct': 'none',
        'deepinfra:llava-hf/llava-1.5-7b-hf': 'none',
        'segmind:llama-v3p2-90b-vision-instruct': 'prompted',
        'segmind:llama-v3-8b-instruct': 'none',
        'segmind:llava-v1.6': 'none',
      });
      assert.equal(deepinfraVision().maxTools, 128);
    });

    it('custom OpenAI-compatible models call tools natively unless the setting says `tools: false`', () => {
      const catalog = buildCatalog([{ id: 'qwen' }, { id: 'old', tools: false }]);
      assert.equal(catalog.get('openaiCompatible:qwen')?.tools, 'native');
      assert.equal(catalog.get('openaiCompatible:old')?.tools, undefined);
    });
  });

  describe('natively, over OpenAI-compatible streams (DeepInfra)', () => {
    it('sends `tools` and `tool_choice`, keeps the text said first, then yields the complete call', async () => {
      const request = ask(deepinfraVision(), 'What does /work/ws/notes.txt say? Use read_file.');
      const { events, error } = await run(deepinfra.stream(request));
      assert.equal(error, undefined);
      assert.equal(textOf(events), "I'll call `read_file`.");
      assert.deepEqual(calls(events), [{ id: 'call_sim1_0', name: 'read_file', arguments: { filePath: '/work/ws/notes.txt', startLine: 1, endLine: 200 } }]);
      const types = events.map((e) => e.type);
      assert.ok(types.lastIndexOf('delta') < types.indexOf('toolCall'), `the text comes before the call: ${types.join(',')}`);
      assert.deepEqual(events.at(-1), { type: 'end', outcome: 'complete', finishReason: 'tool_calls' });
      const rec = sim.requests.at(-1)!;
      assert.deepEqual(rec.toolNames, ['read_file', 'list_dir']);
      assert.equal(rec.toolChoice, 'auto');
    });

    it('takes a relative path from the question for a path parameter', async () => {
      const { events } = await run(deepinfra.stream(ask(deepinfraVision(), 'What does notes/todo.md say? Use list_dir.')));
      assert.deepEqual(calls(events)[0]?.arguments, { path: 'notes/todo.md' });
    });

    it("calls only the tools named in VS Code's <userRequest>, not those its reminders around it name", async () => {
      const agentPrompt = (request: string) =>
        `<reminderInstructions>When using the list_dir tool, list one folder at a time.</reminderInstructions>\n<userRequest>\n${request}\n</userRequest>`;
      const plain = await run(deepinfra.stream(ask(deepinfraVision(), agentPrompt('What is in this picture?'))));
      assert.equal(calls(plain.events).length, 0);
      assert.match(textOf(plain.events), /Simulator answer/);
      const named = await run(deepinfra.stream(ask(deepinfraVision(), agentPrompt('What does /w/a.txt say? Use read_file.'))));
      assert.deepEqual(calls(named.events).map((c) => c.name), ['read_file']);
    });

    it('asks for a call with tool_choice "required" in required mode', async () => {
      const { events } = await run(deepinfra.stream(ask(deepinfraVision(), 'Anything.', { toolMode: 'required' })));
      assert.equal(sim.requests.at(-1)!.toolChoice, 'required');
      assert.equal(calls(events)[0]?.name, 'read_file');
    });

    it('yields parallel calls in the order they began, each with its own id', async () => {
      const { events } = await run(deepinfra.stream(ask(deepinfraVision(), 'Use list_dir on /src and read_file on /src/a.ts.')));
      const made = calls(events);
      assert.deepEqual(
        made.map((c) => c.name),
        ['list_dir', 'read_file'],
      );
      assert.notEqual(made[0].id, made[1].id);
      assert.equal(made[1].arguments.filePath, '/src');
    });

    it('takes calls that end with finish_reason "stop", as some servers send', async () => {
      sim.queueScenario('tool-finish-stop');
      const { events, error } = await run(deepinfra.stream(ask(deepinfraVision(), 'Use read_file on x.md')));
      assert.equal(error, undefined);
      assert.equal(calls(events)[0]?.arguments.filePath, 'x.md');
      assert.deepEqual(events.at(-1), { type: 'end', outcome: 'complete', finishReason: 'stop' });
    });

    it('ends arguments that are not valid JSON in a protocol error holding the raw text, after the text said first', async () => {
      sim.queueScenario('tool-malformed-args');
      const { events, error } = await run(deepinfra.stream(ask(deepinfraVision(), 'Use read_file on broken.md')));
      assert.equal(error?.kind, 'protocol');
      assert.match(error!.message, /read_file.*not valid JSON/);
      assert.ok(error!.detail?.includes('{"filePath":"broken.md","startLine":1,"endLine":200'), error!.detail);
      assert.equal(textOf(events), "I'll call `read_file`.");
      assert.equal(calls(events).length, 0);
    });

    it('sends the calls back as `tool_calls` and the results as `role: "tool"`, and the answer quotes them', async () => {
      const first = ask(deepinfraVision(), 'Use read_file on notes.txt');
      const { events } = await run(deepinfra.stream(first));
      const second = withResults(first, events, () => 'The notes say: "ship it" \\o/');
      const { events: answer, error } = await run(deepinfra.stream(second));
      assert.equal(error, undefined);
      const rec = sim.requests.at(-1)!;
      assert.deepEqual(rec.roles, ['user', 'assistant', 'tool']);
      assert.deepEqual(rec.toolResults, ['The notes say: "ship it" \\o/']);
      assert.match(textOf(answer), /The tool `read_file` returned:\n\n> The notes say: "ship it" \\o\//);
      assert.equal(calls(answer).length, 0);
    });

    it('refuses tools, before any request, for a model that cannot call them', async () => {
      const { error } = await run(deepinfra.stream(ask(deepinfraText(), 'Use read_file on a.txt')));
      assert.equal(error?.kind, 'unsupported');
      assert.match(error!.message, /Llama 3 8B Instruct on DeepInfra cannot call tools/);
      assert.equal(sim.requests.length, 0);
    });

    it('closes the socket when cancelled in the middle of a call, with no half call yielded', async () => {
      sim.configure({ tokensPerSecond: 20 });
      const controller = new AbortController();
      const closed = nextClientClose(sim, 5000);
      let fragmentsSeen = 0;
      const { events, error } = await run(deepinfra.stream(ask(deepinfraVision(), 'Use read_file on long/path/to/a/file.txt'), controller.signal), () => {
        fragmentsSeen++;
        if (fragmentsSeen === 2) setTimeout(() => controller.abort(), 150); // after the text, while the call streams
      });
      const rec = await closed;
      assert.equal(error, undefined);
      assert.ok(rec.tokensSent > 4 && rec.tokensSent < 20, `stopped mid call (${rec.tokensSent} frames)`);
      assert.equal(calls(events).length, 0);
      assert.deepEqual(events.at(-1), { type: 'end', outcome: 'cancelled' });
    });
  });

  describe('a recorded tool-call stream, split at every byte', () => {
    it('gives the same text and calls wherever the network cuts it (mid-escape and mid-character included)', async function () {
      this.timeout(60_000);
      const response = await fetch(`${sim.deepinfraBaseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.validKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'meta-llama/Llama-3.2-90B-Vision-Instruct',
          stream: true,
          messages: [{ role: 'user', content: 'Use list_dir and read_file filePath="C:\\Temp\\café\tq.txt" path=C:\\Temp\\ü' }],
          tools: [LIST_DIR, { ...READ_FILE, parameters: { type: 'object', properties: { filePath: { type: 'string' } }, required: ['filePath'] } }].map((t) => ({
            type: 'function',
            function: t,
          })),
        }),
      });
      const recorded = Buffer.from(await response.arrayBuffer());
      // The arguments' JSON escapes a backslash as \\ and a tab as \t, and é takes two bytes: cuts fall inside all three.
      assert.ok(recorded.includes('café'), 'the recorded stream holds a two-byte character');
      const whole = readRecorded([recorded]);
      assert.deepEqual(
        whole.calls.map((c) => [c.name, c.arguments.filePath ?? c.arguments.path]),
        [
          ['list_dir', 'C:\\Temp\\ü'],
          ['read_file', 'C:\\Temp\\café\tq.txt'],
        ],
      );
      for (let at = 1; at < recorded.length; at++) {
        const split = readRecorded([recorded.subarray(0, at), recorded.subarray(at)]);
        assert.deepEqual(split, whole, `split at byte ${at}`);
      }
    });

    it('gives the same calls over HTTP when a hand-made server cuts arguments inside an escape and a character', async () => {
      const args = '{"q":"caf\\u00e9 \\"x\\"","n":2}';
      const server = await startServer((_req, res) => {
        writeEvents(res, [
          frame({ role: 'assistant', content: '' }),
          frame({ content: 'Looking…' }),
          frame({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'search', arguments: '' } }] }),
          // The arguments cut after a backslash and inside \u00e9; the second call interleaves.
          frame({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, 10) } }] }),
          frame({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'noop', arguments: '' } }] }),
          frame({ tool_calls: [{ index: 0, function: { arguments: args.slice(10, 17) } }] }),
          frame({ tool_calls: [{ index: 0, function: { arguments: args.slice(17) } }] }),
          finish('tool_calls'),
          'data: [DONE]\n\n',
        ]);
      });
      try {
        const provider = createProvider('openaiCompatible', { baseUrl: server.url, ...FAST });
        const request: ChatRequest = { model: nativeModel(), messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 'search' }, { name: 'noop' }] };
        const { events, error } = await run(provider.stream(request));
        assert.equal(error, undefined);
        assert.equal(textOf(events), 'Looking…');
        assert.deepEqual(calls(events), [
          { id: 'call_a', name: 'search', arguments: { q: 'café "x"', n: 2 } },
          { id: 'call_b', name: 'noop', arguments: {} },
        ]);
      } finally {
        await server.close();
      }
    });

    it('takes tool calls from a server that answers one JSON completion instead of a stream', async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            choices: [
              {
                message: { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: '{"q":"x"}' } }] },
                finish_reason: 'tool_calls',
              },
            ],
          }),
        );
      });
      try {
        const provider = createProvider('openaiCompatible', { baseUrl: server.url, ...FAST });
        const { events, error } = await run(provider.stream({ model: nativeModel(), messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 'search' }] }));
        assert.equal(error, undefined);
        assert.deepEqual(calls(events), [{ id: 'c1', name: 'search', arguments: { q: 'x' } }]);
      } finally {
        await server.close();
      }
    });
  });

  describe('by prompt, on Segmind (Llama 3.1+ JSON function calling)', () => {
    it('puts the functions in the system message and reads the JSON answer as a call', async () => {
      const request = ask(segmindVision(), 'Use read_file on README.md', { options: { systemPrompt: 'Be brief.' } });
      const { events, error } = await run(segmind.stream(request));
      assert.equal(error, undefined);
      assert.deepEqual(calls(events), [{ id: 'call_1', name: 'read_file', arguments: { filePath: 'README.md', startLine: 1, endLine: 200 } }]);
      assert.equal(textOf(events), '');
      assert.deepEqual(events.at(-1), { type: 'end', outcome: 'complete', finishReason: 'tool_calls' });
      const rec = sim.requests.at(-1)!;
      assert.equal(rec.toolsPrompted, true);
      assert.deepEqual(rec.toolNames, ['read_file', 'list_dir']);
      assert.deepEqual(rec.roles, ['system', 'user']);
    });

    for (const [scenario, said] of [
      ['tool-python-tag', ''],
      ['tool-fenced', ''],
      ['tool-prose', "I'll call `read_file`. Here is the call:\n\nI will answer once it returns."],
    ] as const) {
      it(`reads a call written ${scenario.slice(5)}, keeping the prose`, async () => {
        sim.queueScenario(scenario);
        const { events, error } = await run(segmind.stream(ask(segmindVision(), 'Use read_file on a.md')));
        assert.equal(error, undefined);
        assert.equal(calls(events)[0]?.arguments.filePath, 'a.md');
        assert.equal(textOf(events), said);
      });
    }

    it('sends calls back as the JSON the model wrote and the results as one user message, which the answer quotes', async () => {
      const first = ask(segmindVision(), 'Use read_file on a.md and b.md');
      const { events } = await run(segmind.stream(first));
      assert.equal(calls(events).length, 2);
      const { events: answer, error } = await run(segmind.stream(withResults(first, events, (c) => `text of ${String(c.arguments.filePath)}`)));
      assert.equal(error, undefined);
      const rec = sim.requests.at(-1)!;
      assert.deepEqual(rec.roles, ['system', 'user', 'assistant', 'user']);
      assert.deepEqual(rec.toolResults, ['Output of read_file:\ntext of a.md\n\nOutput of read_file:\ntext of b.md']);
      assert.match(textOf(answer), /> text of a\.md[\s\S]*> text of b\.md/);
      assert.equal(calls(answer).length, 0);
    });

    it('answers in text when the user asks for no tool', async () => {
      const { events } = await run(segmind.stream(ask(segmindVision(), 'Hello there')));
      assert.equal(calls(events).length, 0);
      assert.match(textOf(events), /Simulator answer/);
    });
  });

  describe('parsePromptedAnswer', () => {
    const tools = [{ name: 'get_weather' }, { name: 'search' }];
    it('keeps JSON naming a function that was not offered as text', () => {
      const text = 'Example: {"name": "rm_rf", "parameters": {}}';
      assert.deepEqual(parsePromptedAnswer(text, tools), { text, calls: [] });
    });
    it('reads a list of calls, "arguments" as well as "parameters", and braces inside strings', () => {
      const answer = parsePromptedAnswer('[{"name":"search","arguments":{"q":"a } b"}},{"name":"get_weather","parameters":"{\\"city\\":\\"Oslo\\"}"}]', tools);
      assert.deepEqual(answer.calls, [
        { id: 'call_1', name: 'search', arguments: { q: 'a } b' } },
        { id: 'call_2', name: 'get_weather', arguments: { city: 'Oslo' } },
      ]);
      assert.equal(answer.text, '');
    });
    it('ignores prose with stray brackets around the call', () => {
      const answer = parsePromptedAnswer('Sure [1] {not json} then\n```json\n{"name": "search", "parameters": {"q": "x"}}\n```\nDone.', tools);
      assert.deepEqual(answer.calls, [{ id: 'call_1', name: 'search', arguments: { q: 'x' } }]);
      assert.equal(answer.text, 'Sure [1] {not json} then\n\nDone.');
    });
  });

  describe('withPromptedTools', () => {
    it('joins the functions to an existing system message', () => {
      const request = withPromptedTools({
        model: segmindVision(),
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'hi' },
        ],
        tools: [READ_FILE],
        toolMode: 'required',
      });
      assert.equal(request.messages.length, 2);
      assert.match(request.messages[0].content, /^You are terse\.\n\nYou have access to the following functions[\s\S]*You must call one of these functions now\.[\s\S]*\n\{"name":"read_file"/);
      assert.equal(request.tools, undefined);
    });
  });

  it('refuses tools for LLaVA on Segmind', async () => {
    const llava = BUILTIN_MODELS.find((m) => m.id === 'segmind:llava-v1.6')!;
    const { error } = await run(segmind.stream(ask(llava, 'Use read_file')));
    assert.equal(error?.kind, 'unsupported');
    assert.equal(sim.requests.length, 0);
  });
});

/** What the client reads from a recorded SSE body delivered in these chunks, as the stream loop reads it. */
function readRecorded(chunks: readonly Buffer[]): { text: string; calls: ToolCall[]; finishReason?: string } {
  const reader = new SseReader('deepinfra', undefined);
  let text = '';
  for (const chunk of chunks) {
    reader.feed(reader.decode(chunk));
    text += reader.take();
  }
  text += reader.finish();
  reader.assertComplete();
  return { text, calls: reader.toolCalls() ?? [], finishReason: reader.finishReason };
}
