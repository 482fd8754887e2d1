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
 * Protocol: the parent posts `{ id, width, height, fps, frames, seed, labelHash, caption }`; the worker
 * answers `{ id, bytes }` (an ArrayBuffer, transferred) or `{ id, error }`.
 *
 * The picture is cheap on purpose (flat YUV planes, no RGBA conversion): a seed-coloured
 * background, a bar whose colour comes from the label, and a square that moves one step per
 * frame along a seed-chosen path, so two seeds never look alike and the motion is visible.
 * Caption lines (e.g. the shot's prompt and its seed or take) and a frame counter are written
 * in a 5x7 bitmap font on a neutral box, so a contact sheet shows which take is which.
 */
import { seededDraws } from './seeded-draws.js';

export const ENCODER_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const HME = require(workerData.encoderPath);

// mulberry32 (seeded-draws.ts): a seed always draws the same picture.
const rng = ${seededDraws.toString()};

function fillRect(plane, stride, x0, y0, w, h, value) {
  for (let y = y0; y < y0 + h; y++) plane.fill(value, y * stride + x0, y * stride + x0 + w);
}

// 5x7 glyphs, one number per row (bit 4 is the leftmost pixel). Lower case is drawn upper case;
// anything else is a blank.
const FONT = {'A':[14,17,17,31,17,17,17],'B':[30,17,17,30,17,17,30],'C':[14,17,16,16,16,17,14],'D':[30,17,17,17,17,17,30],'E':[31,16,16,30,16,16,31],'F':[31,16,16,30,16,16,16],'G':[14,17,16,23,17,17,15],'H':[17,17,17,31,17,17,17],'I':[14,4,4,4,4,4,14],'J':[7,2,2,2,2,18,12],'K':[17,18,20,24,20,18,17],'L':[16,16,16,16,16,16,31],'M':[17,27,21,21,17,17,17],'N':[17,17,25,21,19,17,17],'O':[14,17,17,17,17,17,14],'P':[30,17,17,30,16,16,16],'Q':[14,17,17,17,21,18,13],'R':[30,17,17,30,20,18,17],'S':[15,16,16,14,1,1,30],'T':[31,4,4,4,4,4,4],'U':[17,17,17,17,17,17,14],'V':[17,17,17,17,17,10,4],'W':[17,17,17,21,21,21,10],'X':[17,17,10,4,10,17,17],'Y':[17,17,10,4,4,4,4],'Z':[31,1,2,4,8,16,31],'0':[14,17,19,21,25,17,14],'1':[4,12,4,4,4,4,14],'2':[14,17,1,2,4,8,31],'3':[31,2,4,2,1,17,14],'4':[2,6,10,18,31,2,2],'5':[31,16,30,1,1,17,14],'6':[6,8,16,30,17,17,14],'7':[31,1,2,4,8,8,8],'8':[14,17,17,14,17,17,14],'9':[14,17,17,15,1,2,12],'.':[0,0,0,0,0,12,12],'-':[0,0,0,31,0,0,0],'_':[0,0,0,0,0,0,31],':':[0,12,12,0,12,12,0],'/':[1,2,2,4,8,8,16],'#':[10,10,31,10,31,10,10],',':[0,0,0,0,12,4,8],'\'':[4,4,8,0,0,0,0],'?':[14,17,1,2,4,0,4],'!':[4,4,4,4,4,0,4],'(':[2,4,8,8,8,4,2],')':[8,4,2,2,2,4,8],'+':[0,4,4,31,4,4,0],'=':[0,0,31,0,31,0,0]};

// Writes text on the luma plane (white on a dark box) and makes the box's chroma neutral.
function drawText(frame, width, height, x0, y0, text, scale) {
  const cw = width >> 1;
  const ySize = width * height;
  const cSize = cw * (height >> 1);
  const boxW = Math.min(width - x0, (text.length * 6 + 1) * scale);
  const boxH = Math.min(height - y0, 9 * scale);
  if (boxW <= 0 || boxH <= 0) return;
  for (let y = y0; y < y0 + boxH; y++) frame.fill(24, y * width + x0, y * width + x0 + boxW);
  for (let y = y0 >> 1; y < (y0 + boxH) >> 1; y++) {
    frame.fill(128, ySize + y * cw + (x0 >> 1), ySize + y * cw + ((x0 + boxW) >> 1));
    frame.fill(128, ySize + cSize + y * cw + (x0 >> 1), ySize + cSize + y * cw + ((x0 + boxW) >> 1));
  }
  for (let i = 0; i < text.length; i++) {
    const glyph = FONT[text[i].toUpperCase()];
    if (!glyph) continue;
    for (let row = 0; row < 7; row++) {
      for (let col = 0; col < 5; col++) {
        if (!((glyph[row] >> (4 - col)) & 1)) continue;
        const px = x0 + (1 + i * 6 + col) * scale;
        const py = y0 + (1 + row) * scale;
        if (px + scale > width || py + scale > height) continue;
        for (let dy = 0; dy < scale; dy++) frame.fill(235, (py + dy) * width + px, (py + dy) * width + px + scale);
      }
    }
  }
}

let jobNumber = 0;

async function encode(job) {
  const { width, height, fps, frames, seed, labelHash } = job;
  const caption = Array.isArray(job.caption) ? job.caption : [];
  // Big enough to read on a tile, small enough that a line of about 28 characters fits.
  const scale = Math.max(1, Math.min(Math.floor(width / 180), Math.floor(height / 100)));
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
      const lines = [...caption, 'FRAME ' + String(i + 1).padStart(3, '0') + '/' + String(frames).padStart(3, '0')];
      for (let k = 0; k < lines.length; k++) drawText(frame, width, height, 2 * scale, barH + 2 * scale + k * 10 * scale, lines[k], scale);
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
