// A test-only consumer of Open Vision Chat's Language Model Chat Provider. It does what any other
// extension would: vscode.lm.selectChatModels({ vendor: 'visionChat' }), then sendRequest. The
// end-to-end scenario runs "LM Consumer: Run Language Model Checks" from the palette and reads the
// JSON this writes: Open Vision Chat's commands and setting defaults, models listed, a streamed text answer, an image answer, a request cancelled
// midway, and a request with a bad key.

/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this file as CommonJS, unbuilt */
const vscode = require('vscode');
const fs = require('node:fs');
const zlib = require('node:zlib');

const VENDOR = 'visionChat';
/** Written in the first workspace folder unless lmConsumer.outFile or LM_CONSUMER_OUT says otherwise. */
const RESULTS_FILE = 'lm-consumer-results.json';

const SENDS_FILE = 'lm-consumer-sends.json';

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('lmConsumer.runChecks', runChecks),
    vscode.commands.registerCommand('lmConsumer.sendOne', sendOne),
  );
}

/**
 * One text request to lmConsumer.textModel; what came back is added to lm-consumer-sends.json (an
 * array, one entry per run) in the first workspace folder. A model Open Vision Chat offers only
 * once a listing is read is waited for (up to 20 s).
 */
async function sendOne() {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return void vscode.window.showErrorMessage('LM Consumer: open a folder first.');
  const outFile = vscode.Uri.joinPath(folder.uri, SENDS_FILE).fsPath;
  const id = vscode.workspace.getConfiguration('lmConsumer').get('textModel');
  const deadline = Date.now() + 20_000;
  let model;
  while (!(model = (await vscode.lm.selectChatModels({ vendor: VENDOR })).find((m) => m.id === id)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const result = model ? await send(model, [vscode.LanguageModelChatMessage.User('Say hello to the consumer extension.')]) : { error: { message: `model ${id} not offered` } };
  const sends = fs.existsSync(outFile) ? JSON.parse(fs.readFileSync(outFile, 'utf8')) : [];
  sends.push(result);
  fs.writeFileSync(outFile, JSON.stringify(sends, null, 2));
}

async function runChecks() {
  const config = vscode.workspace.getConfiguration('lmConsumer');
  const folder = vscode.workspace.workspaceFolders?.[0];
  const outFile = config.get('outFile') || process.env.LM_CONSUMER_OUT || (folder && vscode.Uri.joinPath(folder.uri, RESULTS_FILE).fsPath);
  if (!outFile) {
    void vscode.window.showErrorMessage('LM Consumer: open a folder, or set lmConsumer.outFile or LM_CONSUMER_OUT.');
    return;
  }
  const results = { startedAt: Date.now(), done: false };
  const save = () => fs.writeFileSync(outFile, JSON.stringify(results, null, 2));
  save();

  results.manifest = await manifestCheck();
  save();

  const models = await vscode.lm.selectChatModels({ vendor: VENDOR });
  results.models = models.map((m) => ({ id: m.id, name: m.name, family: m.family, version: m.version, maxInputTokens: m.maxInputTokens }));
  const byId = (id) => models.find((m) => m.id === id);
  save();

  const textModel = byId(config.get('textModel'));
  if (textModel) {
    results.tokenCount = await textModel.countTokens('Hello there, how are you today?');
    results.text = await send(textModel, [vscode.LanguageModelChatMessage.User('Say hello to the consumer extension.')]);
    save();
    results.cancel = await sendAndCancel(textModel);
    save();
  } else {
    results.text = { error: { message: `model ${config.get('textModel')} not offered` } };
  }

  const imageModel = byId(config.get('imageModel'));
  if (imageModel) {
    const message = vscode.LanguageModelChatMessage.User([
      new vscode.LanguageModelTextPart('What is in this image?'),
      vscode.LanguageModelDataPart.image(solidPng(64, 48), 'image/png'),
    ]);
    results.image = await send(imageModel, [message]);
  } else {
    results.image = { error: { message: `model ${config.get('imageModel')} not offered` } };
  }
  save();

  const toolModel = byId(config.get('toolModel'));
  if (toolModel) {
    results.tools = await toolRoundTrip(toolModel);
    save();
    results.toolCancel = await cancelMidToolCall(toolModel);
  } else {
    results.tools = { error: { message: `model ${config.get('toolModel')} not offered` } };
  }
  save();

  const badKeyModel = byId(config.get('badKeyModel'));
  results.badKey = badKeyModel
    ? await send(badKeyModel, [vscode.LanguageModelChatMessage.User('This should fail: the key is wrong.')])
    : { error: { message: `model ${config.get('badKeyModel')} not offered` } };
  results.done = true;
  results.finishedAt = Date.now();
  save();
}

/**
 * Open Vision Chat as the extension host sees it: every command its manifest contributes has a
 * handler once it is active, and its settings' defaults are the documented ones (read as defaults,
 * since a test window points the base URLs at the simulator).
 */
async function manifestCheck() {
  const extension = vscode.extensions.getExtension('open-vision-chat.open-vision-chat');
  if (!extension) return { error: 'open-vision-chat.open-vision-chat is not installed' };
  await extension.activate();
  const registered = new Set(await vscode.commands.getCommands(true));
  const contributed = extension.packageJSON.contributes.commands.map((c) => c.command);
  const config = vscode.workspace.getConfiguration('visionChat');
  const defaults = {};
  for (const key of ['deepinfra.baseUrl', 'segmind.baseUrl', 'model']) defaults[key] = config.inspect(key)?.defaultValue;
  return { contributed: contributed.length, missingCommands: contributed.filter((id) => !registered.has(id)), defaults };
}

async function send(model, messages) {
  const started = Date.now();
  const parts = [];
  try {
    const response = await model.sendRequest(messages, { justification: 'End-to-end test of Open Vision Chat' });
    for await (const part of response.stream) {
      if (part instanceof vscode.LanguageModelTextPart) parts.push(part.value);
    }
    return { parts: parts.length, text: parts.join(''), ms: Date.now() - started };
  } catch (e) {
    return { parts: parts.length, text: parts.join(''), ms: Date.now() - started, error: describeError(e) };
  }
}

/** Cancels right after the first text part, then waits for the stream to end. */
async function sendAndCancel(model) {
  const started = Date.now();
  const source = new vscode.CancellationTokenSource();
  const parts = [];
  let cancelledAt;
  try {
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Write a long answer; I will stop you.')], {}, source.token);
    for await (const part of response.stream) {
      if (part instanceof vscode.LanguageModelTextPart) parts.push(part.value);
      if (cancelledAt === undefined && parts.length >= 1) {
        cancelledAt = Date.now();
        source.cancel();
      }
    }
    return { parts: parts.length, cancelled: cancelledAt !== undefined, endedAfterCancelMs: cancelledAt ? Date.now() - cancelledAt : undefined, ms: Date.now() - started };
  } catch (e) {
    return { parts: parts.length, cancelled: cancelledAt !== undefined, endedAfterCancelMs: cancelledAt ? Date.now() - cancelledAt : undefined, ms: Date.now() - started, error: describeError(e) };
  } finally {
    source.dispose();
  }
}

const READ_NOTE = {
  name: 'read_note',
  description: 'Reads a note of the workspace.',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

/** Offers a tool, runs the calls the model makes (here: a made-up note), sends the results back. */
async function toolRoundTrip(model) {
  const question = vscode.LanguageModelChatMessage.User('What does notes/todo.md say? Use read_note.');
  const out = { calls: [] };
  try {
    const first = await model.sendRequest([question], { tools: [READ_NOTE], toolMode: vscode.LanguageModelChatToolMode.Auto });
    const said = [];
    const calls = [];
    for await (const part of first.stream) {
      if (part instanceof vscode.LanguageModelTextPart) said.push(part.value);
      else if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
    }
    out.said = said.join('');
    out.calls = calls.map((c) => ({ callId: c.callId, name: c.name, input: c.input }));
    const results = calls.map((c) => new vscode.LanguageModelToolResultPart(c.callId, [new vscode.LanguageModelTextPart(`TODO in ${c.input.path}: ship tool calling`)]));
    const second = await model.sendRequest(
      [question, vscode.LanguageModelChatMessage.Assistant([new vscode.LanguageModelTextPart(out.said), ...calls]), vscode.LanguageModelChatMessage.User(results)],
      { tools: [READ_NOTE] },
    );
    const answer = [];
    for await (const part of second.stream) {
      if (part instanceof vscode.LanguageModelTextPart) answer.push(part.value);
      else if (part instanceof vscode.LanguageModelToolCallPart) out.unexpectedCall = part.name;
    }
    out.answer = answer.join('');
  } catch (e) {
    out.error = describeError(e);
  }
  return out;
}

/** Offers the tool and cancels once the model has begun its call (a little after its first words). */
async function cancelMidToolCall(model) {
  const source = new vscode.CancellationTokenSource();
  const out = { textParts: 0, toolCalls: 0 };
  let cancelledAt;
  try {
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Use read_note on notes/long-file-name-to-stream.md')], { tools: [READ_NOTE] }, source.token);
    for await (const part of response.stream) {
      if (part instanceof vscode.LanguageModelTextPart) out.textParts++;
      if (part instanceof vscode.LanguageModelToolCallPart) out.toolCalls++;
      if (cancelledAt === undefined) {
        // The words come first; the simulator then stops inside the call's arguments, so the cancel
        // lands mid call.
        cancelledAt = Date.now() + 200;
        setTimeout(() => source.cancel(), 200);
      }
    }
  } catch (e) {
    out.error = describeError(e);
  } finally {
    out.cancelled = cancelledAt !== undefined;
    out.endedAfterCancelMs = cancelledAt ? Date.now() - cancelledAt : undefined;
    source.dispose();
  }
  return out;
}

function describeError(e) {
  return { message: e instanceof Error ? e.message : String(e), name: e && e.name, code: e && e.code };
}

/** A real PNG of one colour, built here so the test needs no image file. */
function solidPng(width, height) {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x3c)]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]));
}

module.exports = { activate, deactivate() {} };
