/**
 * A media param that names a local file (relative to the manifest) must point at a file that
 * can be sent when the manifest is validated, not fail in the middle of a paid run: a regular
 * file of the param's kind (video or image, by its first bytes) within the provider's limit
 * for inline media. Anything else is reported at the value, saying what the file is.
 */
import type { Problem } from '../../core/errors.js';
import { MEDIA_PARAM_KINDS, MEDIA_PARAM_NAMES } from '../../core/catalog.js';
import { INLINE_MEDIA_LIMIT_BYTES } from '../../core/media-limits.js';
import { classifyMedia } from '../media.js';
import { mergeBaseParams, type ParamSource } from '../params-merge.js';
import type { RuleContext } from './context.js';

export function mediaFilesExist(ctx: RuleContext): Problem[] {
  const problems: Problem[] = [];
  for (const shot of ctx.shots) {
    const mediaNames = shot.info?.mediaParams ?? MEDIA_PARAM_NAMES;
    if (mediaNames.length === 0) continue;
    const base = mergeBaseParams(shot, ctx.input);
    const sources: [string, ParamSource][] = [...base];
    for (const { key, values } of shot.input.sweep) {
      values.forEach((value, index) => sources.push([key, { value, kind: 'sweep', path: [...shot.path, 'sweep', key, index] }]));
    }
    for (const [name, source] of sources) {
      if (!mediaNames.includes(name) || typeof source.value !== 'string' || source.value === '') continue;
      const media = classifyMedia(source.value, ctx.manifestDir);
      if (media.kind === 'unsupported') {
        problems.push(
          ctx.sourceMap.problem(source.path, `${name} must be an http(s) URL, a data: URI or a path relative to the manifest (got a ${media.scheme}: URL)`),
        );
        continue;
      }
      if (media.kind !== 'local') continue;
      const verdict = ctx.checkMediaFile(media.absPath, {
        kind: MEDIA_PARAM_KINDS[name] ?? 'video',
        limitBytes: INLINE_MEDIA_LIMIT_BYTES[shot.provider],
        provider: shot.provider,
      });
      if (verdict.ok) continue;
      const message = verdict.missing
        ? `${name}: no such file "${source.value}" (looked for ${media.absPath})`
        : `${name}: ${source.value} ${verdict.reason}`;
      problems.push(ctx.sourceMap.problem(source.path, message));
    }
  }
  return problems;
}
