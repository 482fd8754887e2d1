/**
 * Keeps the emulator's MP4 encoder thread alive for the whole of a test file. Many files start
 * an emulator per test; without this each one would start the encoder's worker and load its
 * WebAssembly again. The thread is unref'd when idle, so it never holds the process open.
 */
import { afterAll, beforeAll } from 'vitest';
import { acquireMp4Encoder, releaseMp4Encoder } from '../../src/media/make-mp4.js';

beforeAll(() => acquireMp4Encoder());
afterAll(() => releaseMp4Encoder());
