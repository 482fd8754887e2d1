/**
 * One client's run on a fresh emulator, measured: the emulator is started with the bench's
 * options (small videos; seeded durations, so every client meets the same jobs in submit order),
 * the client runs, and the emulator's log gives the figures.
 */
import { startEmulator } from '../../emulator/server.js';
import type { Emulator, EmulatorOptions } from '../../emulator/types.js';
import { providerTimes, runFigures, type RunFigures } from './run-figures.js';

/** Pixels on a bench video's longer side: ~2 ms to encode instead of ~30-60 ms at 960x960. */
export const BENCH_VIDEO_SIDE = 128;

export interface Measured extends RunFigures {
  who: string;
  /** The client's whole run: render's whole command, the peer's first call to its end. */
  wallMs: number;
  /** When the client was started and when it ended, on the emulator's log clock. */
  clientStartMs: number;
  clientEndMs: number;
}

/** Starts an emulator with `options` and small videos, hands it to `use`, closes it after. */
export async function withEmulator<T>(options: EmulatorOptions, use: (emu: Emulator, zero: { epochMs: number; perfMs: number }) => Promise<T>): Promise<T> {
  // The emulator's log clock starts within startEmulator's first, synchronous, step.
  const zero = { epochMs: Date.now(), perfMs: performance.now() };
  const emu = await startEmulator({ ...options, maxVideoSide: BENCH_VIDEO_SIDE });
  try {
    return await use(emu, zero);
  } finally {
    await emu.close();
  }
}

/** Runs `client` (which returns its whole run's time in ms) on a fresh emulator and measures it. */
export async function measure(who: string, options: EmulatorOptions, client: (emu: Emulator) => Promise<number>): Promise<Measured> {
  return withEmulator(options, async (emu, zero) => {
    const clientStartMs = performance.now() - zero.perfMs;
    const wallMs = await client(emu);
    const clientEndMs = performance.now() - zero.perfMs;
    // Taken before the bench's own status reads below.
    const log = [...emu.log];
    const peak = emu.peakInFlight().total;
    const times = await providerTimes(emu, log);
    return { who, wallMs, clientStartMs, clientEndMs, ...runFigures(log, times, zero.epochMs, peak) };
  });
}
