/**
 * The submit body, built the same way for every provider: the provider's fixed fields first
 * (model, prompt), then the render's params in sorted key order, then the seed. Nested plain
 * objects are key-sorted too, so the bytes (and the request sha256) depend only on the render,
 * never on how the manifest happened to order its keys.
 */
import type { RenderSpec } from '../manifest/types.js';
import { LocalMedia, type RequestBody } from './types.js';

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * `head` holds the fields the adapter sets itself (e.g. `{ model, prompt }`); a param of the
 * same name never overrides them. The seed goes last whenever the render has one: render drew
 * or was given it and records it, so dropping it would make the record lie.
 */
export function buildSubmitBody(render: RenderSpec, head: Record<string, unknown>): RequestBody {
  const body: RequestBody = { ...head };
  const sendsSeed = typeof render.seed === 'number';
  for (const key of Object.keys(render.params).sort()) {
    if (key in head || (sendsSeed && key === 'seed')) continue;
    const absPath = render.media[key];
    const value = render.params[key];
    body[key] = absPath === undefined ? sortKeysDeep(value) : new LocalMedia(String(value), absPath);
  }
  if (sendsSeed) body.seed = render.seed;
  return body;
}
