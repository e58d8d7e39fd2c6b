// Client overhead: the core DeepInfra client against the least a client can do (a bare
// `undici.request` piped into `eventsource-parser`, JSON-parsing each chunk), on the same simulator
// stream in the same run. The two alternate, first one then the other, so drift hits both alike.
// The simulator runs in its own process so its work and garbage do not land on the client's clock.

import { createParser } from 'eventsource-parser';
import { request } from 'undici';
import type { ChatRequest } from '../src/core/types';
import { kb, log, median, ms, quick, report, requireFiles, run, startSimulatorProcess } from './lib';

interface Timing {
  /** From the call to the first non-empty text delta. */
  readonly firstMs: number;
  readonly totalMs: number;
  /** CPU time this process spent on the stream: the client's own work, whatever else the machine runs. */
  readonly cpuMs: number;
  readonly chars: number;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const SIZES = [
  { tokens: 1_000, rounds: quick ? 20 : 100 },
  { tokens: 10_000, rounds: quick ? 10 : 40 },
  { tokens: 100_000, rounds: quick ? 3 : 15 },
];
const WARM_UP_ROUNDS = 3;

/**
 * The least a client can do: the request, and for each event one JSON.parse; text deltas counted;
 * tool-call fragments joined by `index` and the arguments parsed once the stream ends.
 */
async function bare(baseUrl: string, key: string, chat: ChatRequest): Promise<Timing> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let firstMs = NaN;
  let chars = 0;
  const body = await openStream(baseUrl, key, chat);
  const calls: { name: string; args: string }[] = [];
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') return;
      const delta = JSON.parse(event.data).choices?.[0]?.delta;
      for (const fragment of delta?.tool_calls ?? []) {
        const call = (calls[fragment.index] ??= { name: '', args: '' });
        if (fragment.function?.name) call.name = fragment.function.name;
        if (fragment.function?.arguments) call.args += fragment.function.arguments;
      }
      const text: unknown = delta?.content;
      if (typeof text !== 'string' || text === '') return;
      if (Number.isNaN(firstMs)) firstMs = performance.now() - started;
      chars += text.length;
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of body) parser.feed(decoder.decode(chunk, { stream: true }));
  for (const call of calls) chars += JSON.stringify(JSON.parse(call.args)).length;
  return { firstMs, totalMs: performance.now() - started, cpuMs: cpuMsSince(cpu), chars };
}

/** The bare request: `chat` as OpenAI's wire form, streamed; the response body. */
async function openStream(baseUrl: string, key: string, chat: ChatRequest) {
  const tools = chat.tools?.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
  const { body } = await request(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      model: chat.model.providerModelId,
      messages: chat.messages,
      max_tokens: chat.options?.maxTokens,
      stream: true,
      ...(tools ? { tools, tool_choice: 'auto' } : {}),
    }),
  });
  return body;
}

/** The bytes and events of the stream the simulator answers `chat` with (read raw, not timed). */
async function streamBytes(baseUrl: string, key: string, chat: ChatRequest): Promise<{ bytes: number; events: number }> {
  const body = await openStream(baseUrl, key, chat);
  let bytes = 0;
  let events = 0;
  const parser = createParser({ onEvent: () => void events++ });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    bytes += chunk.length;
    parser.feed(decoder.decode(chunk, { stream: true }));
  }
  return { bytes, events };
}

run(async () => {
  requireFiles('client overhead', ['src/simulator/server.ts', 'src/core/providers.ts']);
  const { createProvider } = await import('../src/core/providers');
  const { BUILTIN_MODELS } = await import('../src/core/catalog');

  const sim = await startSimulatorProcess();
  try {
    const model = BUILTIN_MODELS.find((m) => m.provider === 'deepinfra' && !m.vision);
    const toolModel = BUILTIN_MODELS.find((m) => m.provider === 'deepinfra' && m.tools === 'native');
    if (!model || !toolModel) throw new Error('no DeepInfra text or tool-calling model in the catalog');
    const provider = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey });

    async function core(chat: ChatRequest): Promise<Timing> {
      const started = performance.now();
      const cpu = process.cpuUsage();
      let firstMs = NaN;
      let chars = 0;
      for await (const event of provider.stream(chat)) {
        if (event.type === 'toolCall') chars += JSON.stringify(event.call.arguments).length;
        if (event.type !== 'delta' || event.text === '') continue;
        if (Number.isNaN(firstMs)) firstMs = performance.now() - started;
        chars += event.text.length;
      }
      return { firstMs, totalMs: performance.now() - started, cpuMs: cpuMsSince(cpu), chars };
    }

    for (const { tokens, rounds } of SIZES) {
      await sim.configure({ tokensPerSecond: 0, answerTokens: tokens });
      const chat: ChatRequest = {
        model,
        messages: [{ role: 'user', content: 'Write a long answer.' }],
        options: { maxTokens: tokens },
      };
      const timings = { core: [] as Timing[], bare: [] as Timing[] };
      for (let round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
        // Alternate who goes first, so neither always meets a warmer or colder process.
        const order = round % 2 ? (['bare', 'core'] as const) : (['core', 'bare'] as const);
        // No forced gc() between runs: it left V8 colder for whichever ran next and inflated the
        // core's times by 20-30 %; alternating the order shares natural GC pauses out evenly.
        for (const who of order) {
          const timing = who === 'core' ? await core(chat) : await bare(sim.deepinfraBaseUrl, sim.validKey, chat);
          if (round >= WARM_UP_ROUNDS) timings[who].push(timing);
        }
      }
      const [c, b] = [timings.core[0], timings.bare[0]];
      if (c.chars !== b.chars) throw new Error(`core received ${c.chars} characters, bare ${b.chars}: not the same stream`);

      // Each core run is compared with the bare run beside it, so load from other processes (this
      // machine is shared) shifts both sides of a pair rather than the medians of one side.
      const pairs = timings.core.map((core, i) => ({ core, bare: timings.bare[i] }));
      const ratio = median(pairs.map((p) => p.core.totalMs / p.bare.totalMs));
      const cpuRatio = median(pairs.map((p) => p.core.cpuMs / p.bare.cpuMs));
      const added = median(pairs.map((p) => p.core.firstMs - p.bare.firstMs));
      const total = { core: median(timings.core.map((t) => t.totalMs)), bare: median(timings.bare.map((t) => t.totalMs)) };
      const first = { core: median(timings.core.map((t) => t.firstMs)), bare: median(timings.bare.map((t) => t.firstMs)) };
      const label = `${tokens / 1000}k tokens`;
      log(`${label}: total ${ms(total.core)} vs ${ms(total.bare)} (×${ratio.toFixed(2)}), first delta ${ms(first.core)} vs ${ms(first.bare)} (${ms(added)}), ${rounds} pairs`);
      report({
        what: `${label}: total time, core ÷ bare`,
        value: `×${ratio.toFixed(2)}`,
        budget: '≤ ×1.10',
        ok: ratio <= 1.1,
        note: `median of ${rounds} pairs; medians ${ms(total.core)} vs ${ms(total.bare)}; CPU time ×${cpuRatio.toFixed(2)}`,
      });
      report({
        what: `${label}: first delta, core − bare`,
        value: `${added >= 0 ? '+' : ''}${ms(added)}`,
        budget: '≤ +1 ms',
        ok: added <= 1,
        note: `median of ${rounds} pairs; medians ${ms(first.core)} vs ${ms(first.bare)}`,
      });
    }

    // Issue 10: a tool call's stream against a text stream of the same length on the wire, both
    // through the core (and the tool stream against the bare client above, which joins fragments by
    // index). The simulator streams arguments in 1-7 character fragments (4 on average), one per
    // event; a tool-call event carries more JSON than a text event (`tool_calls[{index, function:
    // {arguments}}]`), so the text answer is lengthened until both streams are as many bytes.
    for (const { tokens, rounds } of SIZES.slice(0, 2)) {
      const words = 'note '.repeat(Math.ceil((tokens * 4) / 5)).slice(0, tokens * 4 - 14);
      const tool: ChatRequest = {
        model: toolModel,
        messages: [{ role: 'user', content: `Use write_note content="${words}"` }],
        tools: [{ name: 'write_note', parameters: { type: 'object', properties: { content: { type: 'string' } }, required: ['content'] } }],
      };
      const text: ChatRequest = { model: toolModel, messages: [{ role: 'user', content: 'Write a long answer.' }] };
      const toolBytes = await streamBytes(sim.deepinfraBaseUrl, sim.validKey, tool);
      await sim.configure({ tokensPerSecond: 0, answerTokens: tokens });
      const textTokens = Math.round((tokens * toolBytes.bytes) / (await streamBytes(sim.deepinfraBaseUrl, sim.validKey, text)).bytes);
      await sim.configure({ tokensPerSecond: 0, answerTokens: textTokens });
      const textBytes = await streamBytes(sim.deepinfraBaseUrl, sim.validKey, text);
      if (Math.abs(textBytes.bytes / toolBytes.bytes - 1) > 0.01) throw new Error(`text stream ${textBytes.bytes} bytes, tool stream ${toolBytes.bytes}: not the same length`);

      const timings = { text: [] as Timing[], tool: [] as Timing[], bare: [] as Timing[] };
      for (let round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
        const order = round % 2 ? (['tool', 'text', 'bare'] as const) : (['bare', 'text', 'tool'] as const);
        for (const who of order) {
          const timing = who === 'text' ? await core(text) : who === 'tool' ? await core(tool) : await bare(sim.deepinfraBaseUrl, sim.validKey, tool);
          if (round >= WARM_UP_ROUNDS) timings[who].push(timing);
        }
      }
      const [t, b] = [timings.tool[0], timings.bare[0]];
      if (t.chars !== b.chars) throw new Error(`core received ${t.chars} characters of calls and text, bare ${b.chars}: not the same stream`);
      // What the stream costs the client is its CPU time (this process only): the machine is shared,
      // and wall time also holds the simulator's work and other processes' load. Wall time is noted.
      const pair = (a: Timing[], z: Timing[], pick: (x: Timing) => number) => median(a.map((x, i) => pick(x) / pick(z[i])));
      const cpuRatio = pair(timings.tool, timings.text, (x) => x.cpuMs);
      const wallRatio = pair(timings.tool, timings.text, (x) => x.totalMs);
      const bareCpu = pair(timings.tool, timings.bare, (x) => x.cpuMs);
      const bareWall = pair(timings.tool, timings.bare, (x) => x.totalMs);
      const cpu = (list: Timing[]) => ms(median(list.map((x) => x.cpuMs)));
      const label = `${(toolBytes.bytes / 1e6).toFixed(1)} MB stream`;
      const shape = `tool: ${toolBytes.events} events, text: ${textBytes.events} events, ${kb(toolBytes.bytes)} each`;
      log(`${label}: tool call CPU ${cpu(timings.tool)} vs text ${cpu(timings.text)} (×${cpuRatio.toFixed(2)}, wall ×${wallRatio.toFixed(2)}); vs bare ×${bareCpu.toFixed(2)} (wall ×${bareWall.toFixed(2)}); ${shape}`);
      report({
        what: `${tokens / 1000}k tool-call events: tool-call stream ÷ text stream of the same bytes (core), CPU time`,
        value: `×${cpuRatio.toFixed(2)}`,
        budget: '≤ ×1.05',
        ok: cpuRatio <= 1.05,
        note: `median of ${rounds} interleaved pairs; medians ${cpu(timings.tool)} vs ${cpu(timings.text)}; wall time ×${wallRatio.toFixed(2)}; ${shape}`,
      });
      report({
        what: `${tokens / 1000}k tool-call events: tool-call stream, core ÷ bare, CPU time`,
        value: `×${bareCpu.toFixed(2)}`,
        budget: '≤ ×1.10',
        ok: bareCpu <= 1.1,
        note: `median of ${rounds} interleaved pairs; medians ${cpu(timings.tool)} vs ${cpu(timings.bare)}; wall time ×${bareWall.toFixed(2)}; the bare client joins fragments by index and parses the arguments once`,
      });
    }
  } finally {
    await sim.close();
  }
});
