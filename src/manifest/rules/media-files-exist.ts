/**
 * A media param that names a local file (relative to the manifest) must point at an existing
 * file when the manifest is validated, not fail in the middle of a paid run.
 */
import type { Problem } from '../../errors.js';
import { MEDIA_PARAM_NAMES } from '../../providers/catalog.js';
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
      } else if (media.kind === 'local' && !ctx.fileExists(media.absPath)) {
        problems.push(ctx.sourceMap.problem(source.path, `${name}: no such file "${source.value}" (looked for ${media.absPath})`));
      }
    }
  }
  return problems;
}
