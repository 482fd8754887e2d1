/**
 * The source of the encoder worker, as a string run with `new Worker(source, { eval: true })`.
 *
 * Why a string and not a worker file: the worker must load from both the compiled dist/ and the
 * TypeScript sources under vitest, and Node 20 cannot start a worker from a `.ts` file. An eval
 * worker is CommonJS, so it `require`s the encoder by the absolute path the parent resolved.
 *
 * Why a worker at all: h264-mp4-encoder installs process-wide `uncaughtException` and
 * `unhandledRejection` handlers when it is loaded; inside a worker they stay in the worker.
 *
 * Protocol: the parent posts `{ id, width, height, fps, frames, seed, labelHash }`; the worker
 * answers `{ id, bytes }` (an ArrayBuffer, transferred) or `{ id, error }`.
 *
 * The picture is cheap on purpose (flat YUV planes, no RGBA conversion): a seed-coloured
 * background, a bar whose colour comes from the label, and a square that moves one step per
 * frame along a seed-chosen path, so two seeds never look alike and the motion is visible.
 */
export const ENCODER_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const HME = require(workerData.encoderPath);

// mulberry32: a tiny deterministic PRNG, so a seed always draws the same picture.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fillRect(plane, stride, x0, y0, w, h, value) {
  for (let y = y0; y < y0 + h; y++) plane.fill(value, y * stride + x0, y * stride + x0 + w);
}

let jobNumber = 0;

async function encode(job) {
  const { width, height, fps, frames, seed, labelHash } = job;
  const draw = rng(seed);
  const byte = (lo, hi) => lo + Math.floor(draw() * (hi - lo));
  const bg = [byte(40, 200), byte(30, 226), byte(30, 226)];
  const fg = [255 - bg[0], 255 - bg[1], 255 - bg[2]];
  const labelDraw = rng(labelHash);
  const bar = [Math.floor(labelDraw() * 256), Math.floor(labelDraw() * 256), Math.floor(labelDraw() * 256)];

  const cw = width >> 1;
  const ch = height >> 1;
  const ySize = width * height;
  const cSize = cw * ch;
  const base = new Uint8Array(ySize + 2 * cSize);
  base.fill(bg[0], 0, ySize);
  base.fill(bg[1], ySize, ySize + cSize);
  base.fill(bg[2], ySize + cSize);
  // The label bar: the top eighth of the frame (kept even so chroma lines up).
  const barH = Math.max(2, (height >> 3) & ~1);
  fillRect(base.subarray(0, ySize), width, 0, 0, width, barH, bar[0]);
  fillRect(base.subarray(ySize, ySize + cSize), cw, 0, 0, cw, barH >> 1, bar[1]);
  fillRect(base.subarray(ySize + cSize), cw, 0, 0, cw, barH >> 1, bar[2]);

  // The moving square: even size and position, bouncing inside the area under the bar.
  const side = Math.max(2, (Math.min(width, height - barH) >> 2) & ~1);
  const spanX = Math.max(1, width - side);
  const spanY = Math.max(1, height - barH - side);
  const startX = draw() * spanX;
  const startY = draw() * spanY;
  const angle = draw() * Math.PI * 2;
  const speed = Math.max(2, Math.min(width, height) / 40);
  const bounce = (v, span) => {
    const m = ((v % (2 * span)) + 2 * span) % (2 * span);
    return m <= span ? m : 2 * span - m;
  };

  const encoder = await HME.createH264MP4Encoder();
  try {
    encoder.width = width;
    encoder.height = height;
    encoder.frameRate = fps;
    encoder.speed = 10;
    // Flat colours survive the coarsest quantizer, which halves the encode time.
    encoder.quantizationParameter = 51;
    encoder.groupOfPictures = fps * 2;
    encoder.outputFilename = 'render-' + process.pid + '-' + ++jobNumber + '.mp4';
    encoder.initialize();
    const frame = new Uint8Array(base.length);
    for (let i = 0; i < frames; i++) {
      frame.set(base);
      const x = Math.floor(bounce(startX + Math.cos(angle) * speed * i, spanX)) & ~1;
      const y = barH + (Math.floor(bounce(startY + Math.sin(angle) * speed * i, spanY)) & ~1);
      fillRect(frame.subarray(0, ySize), width, x, y, side, side, fg[0]);
      fillRect(frame.subarray(ySize, ySize + cSize), cw, x >> 1, y >> 1, side >> 1, side >> 1, fg[1]);
      fillRect(frame.subarray(ySize + cSize), cw, x >> 1, y >> 1, side >> 1, side >> 1, fg[2]);
      encoder.addFrameYuv(frame);
    }
    encoder.finalize();
    const out = encoder.FS.readFile(encoder.outputFilename);
    encoder.FS.unlink(encoder.outputFilename);
    // Copy out of the WASM heap into a buffer that can be transferred.
    return out.slice().buffer;
  } finally {
    encoder.delete();
  }
}

// Jobs run one at a time: the WASM file system is shared between encoders.
let chain = Promise.resolve();
parentPort.on('message', (job) => {
  chain = chain.then(async () => {
    try {
      const bytes = await encode(job);
      parentPort.postMessage({ id: job.id, bytes }, [bytes]);
    } catch (err) {
      parentPort.postMessage({ id: job.id, error: err && err.stack ? err.stack : String(err) });
    }
  });
});
`;
