import * as assert from 'node:assert/strict';
import { ProviderError } from '../../../src/core/errors';
import { inspectBase64, inspectImage, prepareImages, sniffMime, toDataUrl } from '../../../src/core/images';
import { BUILTIN_MODELS } from '../../../src/core/catalog';
import type { ChatRequest } from '../../../src/core/types';
import { deepinfraText, deepinfraVision, gif, imageData, jpeg, png, webpExtended, webpLossless, webpLossy } from './fixtures';
import { errorActions } from '../../../src/extension/errorWords';

const visionModels = BUILTIN_MODELS.filter((m) => m.vision);

describe('core/images', () => {
  describe('type and size from the bytes', () => {
    const cases: [string, Buffer, string, number, number][] = [
      ['PNG', png(800, 600), 'image/png', 800, 600],
      ['baseline JPEG', jpeg(1024, 768), 'image/jpeg', 1024, 768],
      ['progressive JPEG', jpeg(640, 480, { progressive: true }), 'image/jpeg', 640, 480],
      ['GIF', gif(320, 200), 'image/gif', 320, 200],
      ['lossy WebP (VP8)', webpLossy(500, 300), 'image/webp', 500, 300],
      ['lossless WebP (VP8L)', webpLossless(1200, 900), 'image/webp', 1200, 900],
      ['extended WebP (VP8X)', webpExtended(4000, 3000), 'image/webp', 4000, 3000],
    ];
    for (const [label, bytes, mime, width, height] of cases) {
      it(`reads a ${label}`, () => {
        assert.deepEqual(inspectImage(bytes), { mime, width, height });
        assert.deepEqual(inspectBase64(bytes.toString('base64')), { mime, width, height });
      });
    }

    it('finds a JPEG frame header behind a large EXIF block', () => {
      const bytes = jpeg(2000, 1500, { exifBytes: 60_000 });
      assert.ok(bytes.toString('base64').length > 64 * 1024, 'the header lies past the first decoded prefix');
      assert.deepEqual(inspectBase64(bytes.toString('base64')), { mime: 'image/jpeg', width: 2000, height: 1500 });
    });

    it('refuses to guess a type from anything but the bytes', () => {
      assert.equal(sniffMime(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
      assert.equal(sniffMime(Buffer.from('%PDF-1.7')), undefined);
      assert.equal(sniffMime(Buffer.alloc(0)), undefined);
    });

    it('knows the type but not the size of a truncated header', () => {
      assert.deepEqual(inspectImage(png(10, 10).subarray(0, 12)), { mime: 'image/png' });
    });

    it('builds a data URL', () => {
      assert.equal(toDataUrl({ mime: 'image/gif', base64: 'R0lG' }), 'data:image/gif;base64,R0lG');
    });
  });

  describe('the check before a request', () => {
    const ask = (model = deepinfraVision(), ...images: Buffer[][]): ChatRequest => ({
      model,
      messages: images.map((turn, i) => ({ role: 'user' as const, content: `turn ${i}`, images: turn.map((b, j) => imageData(b, `img-${i}-${j}.png`)) })),
    });

    it('leaves a request without images untouched', () => {
      const request: ChatRequest = { model: deepinfraText(), messages: [{ role: 'user', content: 'hello' }] };
      assert.equal(prepareImages(request, visionModels), request);
    });

    it('refuses an image for a model that cannot see, naming models that can', () => {
      const error = catchError(() => prepareImages(ask(deepinfraText(), [png(10, 10)]), visionModels));
      assert.equal(error.kind, 'unsupported');
      assert.match(error.message, /Llama 3 8B Instruct cannot see images/);
      assert.match(error.message, /Llama 3\.2 11B Vision Instruct \(DeepInfra\)/);
      assert.deepEqual(errorActions(error), ['selectModel']);
    });

    it('sends only the latest images when the conversation has more than the model takes', () => {
      const prepared = prepareImages(ask(deepinfraVision(), [png(10, 10)], [gif(20, 20), jpeg(30, 30)]), visionModels);
      assert.equal(prepared.messages[0].images, undefined, 'the older turn keeps its text but loses its image');
      assert.equal(prepared.messages[0].content, 'turn 0');
      assert.deepEqual(
        prepared.messages[1].images?.map((i) => [i.name, i.mime, i.width]),
        [['img-1-1.png', 'image/jpeg', 30]],
      );
    });

    it('keeps several images when the model takes several', () => {
      const model = { ...deepinfraVision(), maxImages: 2 };
      const prepared = prepareImages(ask(model, [png(10, 10)], [gif(20, 20), jpeg(30, 30)]), visionModels);
      assert.equal(prepared.messages[0].images, undefined);
      assert.deepEqual(prepared.messages[1].images?.map((i) => i.mime), ['image/gif', 'image/jpeg']);
    });

    it('takes the type from the bytes, not from what the sender claimed', () => {
      const request: ChatRequest = { model: deepinfraVision(), messages: [{ role: 'user', content: 'x', images: [imageData(jpeg(40, 30), 'photo.png', 'image/png')] }] };
      const image = prepareImages(request, visionModels).messages[0].images?.[0];
      assert.equal(image?.mime, 'image/jpeg');
      assert.deepEqual([image?.width, image?.height], [40, 30]);
    });

    it('refuses bytes that are not an image', () => {
      const request: ChatRequest = { model: deepinfraVision(), messages: [{ role: 'user', content: 'x', images: [imageData(Buffer.from('<svg/>'), 'logo.svg')] }] };
      const error = catchError(() => prepareImages(request, visionModels));
      assert.equal(error.kind, 'unsupported');
      assert.match(error.message, /“logo\.svg” is not a PNG, JPEG, GIF or WebP image/);
    });

    it('refuses an image larger than the model takes, saying to downscale', () => {
      const error = catchError(() => prepareImages(ask(deepinfraVision(), [png(2000, 1000)]), visionModels));
      assert.equal(error.kind, 'unsupported');
      assert.match(error.message, /2000×1000 px/);
      assert.match(error.message, /at most 1120 px/);
      assert.match(error.message, /Downscale/);
    });

    it('does not refuse an oversized image it will not send anyway', () => {
      const prepared = prepareImages(ask(deepinfraVision(), [webpExtended(4000, 4000)], [png(1120, 800)]), visionModels);
      assert.equal(prepared.messages[1].images?.[0].width, 1120);
    });
  });
});

function catchError(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}
