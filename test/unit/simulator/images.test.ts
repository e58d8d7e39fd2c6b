import assert from 'node:assert/strict';
import { readImageHeader, readImageUrl, readLooseImage } from '../../../src/simulator/images';
import { dataUrl, gif, jpeg, png, webp } from './helpers';

describe('simulator image headers', () => {
  it('reads the dimensions of PNG, JPEG, GIF and the three WebP flavours', () => {
    assert.deepEqual(readImageHeader(png(800, 600)), { mime: 'image/png', width: 800, height: 600 });
    assert.deepEqual(readImageHeader(jpeg(1600, 1200)), { mime: 'image/jpeg', width: 1600, height: 1200 });
    assert.deepEqual(readImageHeader(gif(32, 16)), { mime: 'image/gif', width: 32, height: 16 });
    assert.deepEqual(readImageHeader(webp('VP8 ', 640, 480)), { mime: 'image/webp', width: 640, height: 480 });
    assert.deepEqual(readImageHeader(webp('VP8L', 1121, 3)), { mime: 'image/webp', width: 1121, height: 3 });
    assert.deepEqual(readImageHeader(webp('VP8X', 4000, 3000)), { mime: 'image/webp', width: 4000, height: 3000 });
  });

  it('recognises nothing in bytes that are not an image', () => {
    assert.equal(readImageHeader(Buffer.from('hello, this is not an image at all')), undefined);
    assert.equal(readImageHeader(Buffer.alloc(0)), undefined);
  });

  it('counts decoded bytes of a data URL and notices a declared type that lies', () => {
    const image = readImageUrl(dataUrl('image/png', jpeg(10, 20, 1234)));
    assert.equal(image.bytes, 1234);
    assert.equal(image.declaredMime, 'image/png');
    assert.equal(image.sniffedMime, 'image/jpeg');
    assert.deepEqual([image.width, image.height], [10, 20]);
  });

  it('takes bare base64 (Segmind LLaVA) and leaves remote URLs unfetched', () => {
    const bare = readLooseImage(png(5, 6).toString('base64'));
    assert.deepEqual([bare.source, bare.declaredMime, bare.width, bare.height], ['base64', 'image/png', 5, 6]);
    const remote = readLooseImage('https://example.com/cat.png');
    assert.deepEqual([remote.source, remote.bytes], ['url', 0]);
  });
});
