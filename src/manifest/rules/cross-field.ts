/**
 * Constraints between params of one model that its JSON Schema does not express (the docs
 * state them in prose). Each takes the full params of one render, defaults included.
 */

export interface CrossFieldProblem {
  /** The params involved; the problem points at the one written most specifically. */
  params: readonly string[];
  message: string;
}

export type CrossFieldRule = (params: Readonly<Record<string, unknown>>) => CrossFieldProblem | undefined;

const NOVITA_SIZES = ['832x480', '480x832', '1280x720', '720x1280'];

/** Novita Wan 2.1 takes four width x height pairs only. */
export function novitaSizePair(params: Readonly<Record<string, unknown>>): CrossFieldProblem | undefined {
  const { width, height } = params;
  if (typeof width !== 'number' || typeof height !== 'number') return undefined;
  if (NOVITA_SIZES.includes(`${width}x${height}`)) return undefined;
  const pair = NOVITA_SIZES.find((size) => size.startsWith(`${width}x`));
  const fix = pair ? `; width ${width} goes with height ${pair.split('x')[1]}` : '';
  return {
    params: ['width', 'height'],
    message: `width x height must be one of ${NOVITA_SIZES.join(', ')} (got ${width}x${height})${fix}`,
  };
}

/** PixVerse v5: "The 1080p quality option does not support 8-second videos." */
export function pixverse1080pNot8s(params: Readonly<Record<string, unknown>>): CrossFieldProblem | undefined {
  if (params['resolution'] !== '1080p' || params['duration'] !== 8) return undefined;
  return {
    params: ['duration', 'resolution'],
    message: 'pixverse/v5/text-to-video cannot render 8 seconds at 1080p: use duration 5, or resolution 720p or lower',
  };
}

/** By `<provider> <model>`. */
export const CROSS_FIELD_RULES: Readonly<Record<string, readonly CrossFieldRule[]>> = {
  'novita wan-t2v': [novitaSizePair],
  'aimlapi pixverse/v5/text-to-video': [pixverse1080pNot8s],
};
