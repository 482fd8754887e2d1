/** What every rule after the schema pass sees. Rules are pure apart from `fileExists`. */
import type { Problem } from '../../errors.js';
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
  fileExists(absPath: string): boolean;
}

export type Rule = (ctx: RuleContext) => Problem[];
