/** What every rule after the schema pass sees. Rules are pure apart from `checkMediaFile`. */
import type { Problem } from '../../core/errors.js';
import type { MediaFileRule, MediaFileVerdict } from '../media-file-check.js';
import type { ManifestInput } from '../manifest-input.js';
import type { ResolvedShot } from '../resolve-shots.js';
import type { SourceMap } from '../source-map.js';

export interface RuleContext {
  input: ManifestInput;
  /** Shots whose provider and model are settled (others were reported already). */
  shots: readonly ResolvedShot[];
  sourceMap: SourceMap;
  /** Absolute folder of the manifest: media paths are relative to it. */
  manifestDir: string;
  /** Whether a local media file can be sent (src/manifest/media-file-check.ts); cached per file. */
  checkMediaFile(absPath: string, rule: MediaFileRule): MediaFileVerdict;
}

export type Rule = (ctx: RuleContext) => Problem[];
