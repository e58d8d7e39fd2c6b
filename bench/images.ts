// Images: the webview's own preparation (src/webview/images.ts `prepareImage`: decode, downscale to
// 1120 px on the long side for Llama 3.2 Vision, encode) on a 6000×4000 PNG and a 4000×3000 JPEG,
// in Chromium. The images are drawn in the page before the clock starts, with noise so that they
// do not compress to nothing.

import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { kb, log, median, ms, quick, report, requireFiles, root, run } from './lib';

const ROUNDS = quick ? 3 : 7;
const WARM_UP_ROUNDS = 1;
const MAX_SIDE = 1120;
const TIME_BUDGET_MS = 500;
const PAYLOAD_BUDGET = 1.5 * 1024 * 1024;

const IMAGES = [
  { name: 'screenshot.png', width: 6000, height: 4000, mime: 'image/png', kind: 'diagram' },
  { name: 'photo.jpg', width: 4000, height: 3000, mime: 'image/jpeg', kind: 'photo' },
] as const;

/** prepareImage, bundled for the page as `window.ovcImages`. */
async function imageModule(): Promise<string> {
  const result = await build({
    stdin: { contents: "export { prepareImage } from './src/webview/images';", resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'ovcImages',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/**
 * Draws the test image in the page and keeps it as `window.__source`; returns its size in bytes.
 * The PNG is what large PNGs are in practice, a screenshot or diagram (flat panels, text, a photo
 * inset); the JPEG is a photo (gradients, shapes and sensor-like noise everywhere).
 */
function drawImage(page: Page, image: (typeof IMAGES)[number]): Promise<number> {
  return page.evaluate(async ({ width, height, mime, kind }) => {
    const canvas = new OffscreenCanvas(width, height);
    const g = canvas.getContext('2d')!;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const photo = (x: number, y: number, w: number, h: number) => {
      const sky = g.createLinearGradient(x, y, x + w, y + h);
      sky.addColorStop(0, '#1d4e89');
      sky.addColorStop(0.5, '#f4a259');
      sky.addColorStop(1, '#2a9d8f');
      g.fillStyle = sky;
      g.fillRect(x, y, w, h);
      for (let i = 0; i < 300; i++) {
        const cx = x + random() * w;
        const cy = y + random() * h;
        const r = 10 + random() * w * 0.06;
        const glow = g.createRadialGradient(cx, cy, 0, cx, cy, r);
        glow.addColorStop(0, `hsla(${random() * 360}, 70%, 60%, 0.9)`);
        glow.addColorStop(1, `hsla(${random() * 360}, 70%, 40%, 0)`);
        g.fillStyle = glow;
        g.fillRect(cx - r, cy - r, 2 * r, 2 * r);
      }
      const pixels = g.getImageData(x, y, w, h);
      const data = pixels.data;
      for (let i = 0; i < data.length; i += 4) {
        const n = (random() - 0.5) * 40;
        data[i] += n;
        data[i + 1] += n;
        data[i + 2] += n;
      }
      g.putImageData(pixels, x, y);
    };
    if (kind === 'photo') {
      photo(0, 0, width, height);
    } else {
      g.fillStyle = '#1e1e1e';
      g.fillRect(0, 0, width, height);
      const colors = ['#264f78', '#3c3c3c', '#4ec9b0', '#c586c0', '#dcdcaa', '#ce9178', '#569cd6'];
      for (let i = 0; i < 600; i++) {
        g.fillStyle = colors[Math.floor(random() * colors.length)];
        g.fillRect(random() * width, random() * height, 40 + random() * 600, 20 + random() * 300);
      }
      g.font = `${Math.round(height / 80)}px monospace`;
      g.fillStyle = '#d4d4d4';
      for (let line = 1; line < 80; line++) g.fillText(`${line}  const answer = await model.describe(image, { maxSide: 1120 }); // ${'·'.repeat(line % 40)}`, width * 0.02, (line * height) / 80);
      photo(Math.round(width * 0.55), Math.round(height * 0.1), Math.round(width * 0.4), Math.round(height * 0.35));
    }
    const blob = await canvas.convertToBlob(mime === 'image/jpeg' ? { type: mime, quality: 0.92 } : { type: mime });
    (window as unknown as { __source: Blob }).__source = blob;
    return blob.size;
  }, image);
}

run(async () => {
  requireFiles('images', ['src/webview/images.ts', 'test/webview/harness.ts']);
  const { openChatPage } = await import('./webview');
  const chat = await openChatPage();
  try {
    await chat.page.evaluate(await imageModule());
    for (const image of IMAGES) {
      const sourceBytes = await drawImage(chat.page, image);
      log(`${image.name}: ${image.width}×${image.height}, ${kb(sourceBytes)}`);
      const timings: number[] = [];
      let prepared = { bytes: 0, dataUrlChars: 0, width: 0, height: 0, mime: '' };
      for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
        const result = await chat.page.evaluate(
          async ({ name, maxSide }) => {
            const w = window as unknown as {
              __source: Blob;
              ovcImages: { prepareImage(blob: Blob, name: string, maxSide: number): Promise<{ bytes: number; dataUrl: string; width: number; height: number; mime: string }> };
            };
            const started = performance.now();
            const view = await w.ovcImages.prepareImage(w.__source, name, maxSide);
            const elapsedMs = performance.now() - started;
            return { elapsedMs, bytes: view.bytes, dataUrlChars: view.dataUrl.length, width: view.width, height: view.height, mime: view.mime };
          },
          { name: image.name, maxSide: MAX_SIDE },
        );
        if (round >= WARM_UP_ROUNDS) timings.push(result.elapsedMs);
        prepared = result;
      }
      const time = median(timings);
      const label = `${image.width}×${image.height} ${image.mime === 'image/png' ? 'PNG' : 'JPEG'}`;
      report({
        what: `${label}: prepare`,
        value: ms(time),
        budget: `≤ ${TIME_BUDGET_MS} ms`,
        ok: time <= TIME_BUDGET_MS,
        note: `source ${kb(sourceBytes)} → ${prepared.width}×${prepared.height} ${prepared.mime}; median of ${ROUNDS}`,
      });
      report({
        what: `${label}: payload`,
        value: kb(prepared.bytes),
        budget: `≤ ${kb(PAYLOAD_BUDGET)}`,
        ok: prepared.bytes <= PAYLOAD_BUDGET,
        note: `${kb(prepared.dataUrlChars)} as the base64 data URL in the request`,
      });
    }
  } finally {
    await chat.close();
  }
});
