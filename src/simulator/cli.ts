// `npm run simulator`: runs the provider simulator so anyone can try the extension without a key.
//   npm run simulator -- --port 8787 --key sim-valid-key --credits 25 --rate 30

import { parseArgs } from 'node:util';
import { startSimulator, type SimRequestRecord } from './server';

const USAGE = `Usage: npm run simulator -- [--port 8787] [--key sim-valid-key] [--credits 25] [--rate 0] [--tokens 60] [--quiet]
  --port     port on 127.0.0.1 (0 picks a free one)
  --key      the API key the simulator accepts
  --credits  Segmind balance to start with
  --rate     streaming speed in tokens per second (0 = as fast as possible)
  --tokens   answer length in tokens
  --quiet    do not print a line per request`;

function numberOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a non-negative number, not "${value}".\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        key: { type: 'string' },
        credits: { type: 'string' },
        rate: { type: 'string' },
        tokens: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const port = numberOption('port', values.port, 8787);
  let sim;
  try {
    sim = await startSimulator({
      port,
      validKey: values.key,
      credits: numberOption('credits', values.credits, 25),
      tokensPerSecond: numberOption('rate', values.rate, 0),
      answerTokens: numberOption('tokens', values.tokens, 60),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? `Port ${port} is already in use. Stop the other process or pick another port: npm run simulator -- --port 8788`
        : `Could not start the simulator: ${String(error)}`,
    );
    process.exit(1);
  }

  const settings = {
    'visionChat.segmind.baseUrl': sim.segmindBaseUrl,
    'visionChat.deepinfra.baseUrl': sim.deepinfraBaseUrl,
    'visionChat.openaiCompatible.baseUrl': sim.openaiBaseUrl,
    'visionChat.openaiCompatible.models': [
      { id: 'sim-text', name: 'Simulator text model' },
      { id: 'sim-vision', name: 'Simulator vision model', vision: true },
    ],
  };
  console.log(`Provider simulator listening on ${sim.url}

  Segmind            ${sim.segmindBaseUrl}
  DeepInfra          ${sim.deepinfraBaseUrl}
  OpenAI-compatible  ${sim.openaiBaseUrl}
  Valid key          ${sim.validKey}   (run "Vision Chat: Set API Key…" and paste it)

Add to your settings.json:
${JSON.stringify(settings, null, 2)}

Make the next answer fail on purpose:  curl -X POST ${sim.url}/__sim/scenario -d '{"name":"status-429"}'
Slow the stream down:                  curl -X POST ${sim.url}/__sim/config -d '{"tokensPerSecond":20}'
Press Ctrl+C to stop.
`);

  if (!values.quiet) {
    sim.on('finished', (rec: SimRequestRecord) => logLine(rec, 'done'));
    sim.on('clientClosed', (rec: SimRequestRecord) => logLine(rec, 'stopped by client'));
  }

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the simulator.');
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function logLine(rec: SimRequestRecord, outcome: string): void {
  if (rec.provider === 'control') return;
  const images = rec.imageCount ? `, ${rec.imageCount} image${rec.imageCount === 1 ? '' : 's'}` : '';
  const scenario = rec.scenario === 'ok' ? '' : ` [${rec.scenario}]`;
  console.log(
    `${new Date().toISOString().slice(11, 19)} ${rec.status || '---'} ${rec.method} ${rec.path}${rec.model && !rec.path.endsWith(rec.model) ? ` ${rec.model}` : ''}` +
      `${scenario}${rec.stream ? ' stream' : ''} ${rec.messageCount} msg${images}: ${outcome}`,
  );
}

void main();
