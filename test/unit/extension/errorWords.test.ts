import * as assert from 'node:assert/strict';
import { fromResponse, noKeyError, timeoutError, wrongBaseUrlError } from '../../../src/core/errors';
import { errorActions, errorText, retryNote, retryReasonText } from '../../../src/extension/errorWords';

// The core's errors and retries carry data; these are the words and buttons the user meets.
describe('errorWords: the host words for the core errors and retries', () => {
  it('completes a core message with the command or setting that is the next step', () => {
    assert.equal(errorText(noKeyError('segmind')), 'No Segmind API key is set. Set one with Vision Chat: Set API Key…');
    assert.equal(
      errorText(fromResponse('deepinfra', 403, '', {}, undefined, { model: 'Llama 3 8B Instruct' })),
      "DeepInfra refused access to “Llama 3 8B Instruct” (HTTP 403). Check the account's permissions, or set another key with Vision Chat: Set API Key…",
    );
    assert.equal(errorText(timeoutError('segmind', 'idle', 30_000)), 'Segmind went silent for 30 s in the middle of the answer. Retry, or raise the visionChat.requestTimeoutSeconds setting.');
    const wrongAddress = wrongBaseUrlError('deepinfra', fromResponse('deepinfra', 404, '', {}));
    assert.match(errorText(wrongAddress), /base URL looks wrong\. Check the visionChat\.deepinfra\.baseUrl setting, then retry\.$/);
    assert.deepEqual(errorActions(wrongAddress), ['openSettings', 'retry']);
  });

  it('leaves a message that needs no command as the core wrote it', () => {
    const server = fromResponse('deepinfra', 503, '', {});
    assert.equal(errorText(server), server.message);
    assert.deepEqual(errorActions(server), ['retry']);
  });

  it('says why a retry waits, from the reason as data', () => {
    assert.equal(retryNote({ kind: 'rateLimited', status: 429 }, 2_400), 'Rate limited, retrying in 2 s…');
    assert.equal(retryNote({ kind: 'server', status: 503 }, 100), 'Server error (HTTP 503), retrying in 1 s…');
    assert.equal(retryNote({ kind: 'connection' }, 3_000), 'Connection failed, retrying in 3 s…');
    assert.equal(retryReasonText({ kind: 'rateLimited', status: 429 }), 'rate limited (HTTP 429)');
  });
});
