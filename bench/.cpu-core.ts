import { createParser } from 'eventsource-parser';
import { request } from 'undici';
import { startSimulatorProcess } from '/work/main/bench/lib';
import { createProvider } from '/work/main/src/core/providers';
import { BUILTIN_MODELS } from '/work/main/src/core/catalog';

(async () => {
  const sim = await startSimulatorProcess();
  const model = BUILTIN_MODELS.find((m) => m.provider === 'deepinfra' && !m.vision)!;
  const provider = createProvider('deepinfra', { baseUrl: sim.deepinfraBaseUrl, apiKey: sim.validKey });
  const tokens = Number(process.argv[2] ?? 1000);
  const chat = { model, messages: [{ role: 'user' as const, content: 'Write a long answer.' }], options: { maxTokens: tokens } };
  async function bare() {
    const { body } = await request(`${sim.deepinfraBaseUrl}/chat/completions`, { method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sim.validKey}` },
      body: JSON.stringify({ model: model.providerModelId, messages: chat.messages, max_tokens: tokens, stream: true }) });
    let chars = 0;
    const parser = createParser({ onEvent(e) { if (e.data === '[DONE]') return; const t = JSON.parse(e.data).choices?.[0]?.delta?.content; if (typeof t === 'string') chars += t.length; } });
    const dec = new TextDecoder();
    for await (const c of body) parser.feed(dec.decode(c, { stream: true }));
    return chars;
  }
  async function core() { let chars = 0; for await (const e of provider.stream(chat)) if (e.type === 'delta') chars += e.text.length; return chars; }
  await sim.configure({ tokensPerSecond: 0, answerTokens: tokens });
  const cpu = { bare: 0, core: 0 };
  const rounds = Number(process.argv[3] ?? 200);
  for (let r = 0; r < rounds; r++) for (const [k, f] of [['core', core], ['bare', bare]] as const) {
    const u0 = process.cpuUsage(); await f(); const u = process.cpuUsage(u0);
    if (r >= 10) cpu[k] += (u.user + u.system) / 1000;
  }
  console.log(tokens, 'cpu ms per request: core', (cpu.core / (rounds - 10)).toFixed(3), 'bare', (cpu.bare / (rounds - 10)).toFixed(3), 'ratio', (cpu.core / cpu.bare).toFixed(3));
  await sim.close(); process.exit(0);
})();
