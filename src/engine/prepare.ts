/**
 * Turns a render into the exact request the engine will send: the adapter's request, its
 * recorded form (local files by reference and sha256) and the request's sha256, which is the
 * render's identity for resume and incremental runs. The wire text itself is not kept (a
 * data: URI of a video can be large); it is rebuilt, byte for byte, at submit time.
 */
import type { RenderSpec } from '../manifest/types.js';
import { recordedBody, requestSha256, wireBodySegments, type WireBody } from '../providers/body.js';
import type { ProviderAdapter, ProviderRequest } from '../providers/types.js';

export interface PreparedRender {
  spec: RenderSpec;
  request: ProviderRequest;
  /** The body as recorded in manifest.json. */
  recorded: Record<string, unknown>;
  requestSha256: string;
}

export async function prepareRender(spec: RenderSpec, adapter: ProviderAdapter): Promise<PreparedRender> {
  const request = adapter.submitRequest(spec);
  const body = request.body ?? {};
  // Hashed in pieces: the text of a body with an inlined video is built only to be sent.
  const wire = await wireBodySegments(body);
  return {
    spec,
    request,
    recorded: await recordedBody(body),
    requestSha256: requestSha256(spec.provider, request.method, request.path, wire),
  };
}

/**
 * The body to POST, in pieces: the same bytes the sha256 was taken of. A media file changed
 * since then would send a request other than the one journaled, so it is refused instead.
 */
export async function wireTextOf(prepared: PreparedRender): Promise<WireBody> {
  const { spec, request } = prepared;
  const wire = await wireBodySegments(request.body ?? {});
  if (requestSha256(spec.provider, request.method, request.path, wire) !== prepared.requestSha256) {
    const files = Object.keys(spec.media).map((name) => `${name}: ${String(spec.params[name])}`).join(', ');
    throw new Error(`${files || 'a local media file'} changed since this run planned the render; not sent, run again to send the new file`);
  }
  return wire;
}
