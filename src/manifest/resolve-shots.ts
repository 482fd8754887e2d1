/**
 * Which provider and model each shot renders on: the shot's own, else `defaults:`. Finds the
 * catalog entry; a model render does not know is a problem with a "did you mean", unless the
 * manifest opts in with `allow_unknown_model: true` (on the shot or under `models.<id>`): then an
 * AI/ML API model id or Krea model path is sent as written, with a warning (its params go out
 * unchecked). Mismatches are problems with a "did you mean".
 */
import type { Problem } from '../core/errors.js';
import { findModel, isProviderName, MODELS, PROVIDERS, type ModelInfo, type ProviderName } from '../core/catalog.js';
import { closestMatch, didYouMean } from './did-you-mean.js';
import { ALLOW_UNKNOWN_MODEL, type ManifestInput, type ShotInput } from './manifest-input.js';
import type { DocPath, SourceMap } from './source-map.js';

export interface ResolvedShot {
  input: ShotInput;
  id: string;
  prompt: string;
  /** The shot in the document: ['shots', index]. */
  path: DocPath;
  provider: ProviderName;
  model: string;
  /** undefined: a model render does not know; its params are passed through unchanged. */
  info: ModelInfo | undefined;
  /** Where the model was written (the shot, or defaults). */
  modelPath: DocPath;
}

export interface ResolvedShots {
  shots: ResolvedShot[];
  problems: Problem[];
  warnings: Problem[];
}

/** Krea's model paths are `<vendor>/<model>`, e.g. kling/kling-2.5. */
const KREA_MODEL_PATH = /^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/;

export function resolveShots(input: ManifestInput, sourceMap: SourceMap): ResolvedShots {
  const result: ResolvedShots = { shots: [], problems: [], warnings: [] };
  const warned = new Set<string>();
  for (const shot of input.shots) {
    // Without an id or prompt the shot cannot render (the schema pass has said so); a missing
    // model is said as well, so one run names every missing key.
    const path: DocPath = ['shots', shot.index];
    const model = shot.model ?? input.defaults.model;
    const modelPath: DocPath = shot.model !== undefined ? [...path, 'model'] : ['defaults', 'model'];
    const providerPath: DocPath = shot.provider !== undefined ? [...path, 'provider'] : ['defaults', 'provider'];
    const writtenProvider = shot.provider ?? input.defaults.provider;
    if (model === undefined) {
      result.problems.push(
        sourceMap.problem([...path, 'id'], `${shot.id !== undefined ? `shot "${shot.id}"` : `shots[${shot.index}]`} has no model: set model: on the shot or in defaults: (${MODELS.map((m) => m.model).join(', ')})`),
      );
      continue;
    }
    if (shot.id === undefined || shot.prompt === undefined) continue;
    const catalogEntries = MODELS.filter((m) => m.model === model);
    if (writtenProvider !== undefined && !isProviderName(writtenProvider)) continue; // schema pass reported it
    const allowed = shot.allowUnknownModel || input.allowUnknownModels.has(model);
    if (catalogEntries.length === 0 && !allowed) {
      result.problems.push(sourceMap.problem(modelPath, unknownModelMessage(model, writtenProvider)));
      continue;
    }
    const provider = writtenProvider ?? (catalogEntries.length === 1 ? catalogEntries[0]?.provider : undefined);
    if (provider === undefined) {
      result.problems.push(
        sourceMap.problem(modelPath, `model "${model}" is not one render knows, so it needs a provider: set provider: (${PROVIDERS.join(', ')}) on the shot or in defaults:`),
      );
      continue;
    }
    const info = findModel(provider, model);
    if (info) {
      result.shots.push({ input: shot, id: shot.id, prompt: shot.prompt, path, provider, model, info, modelPath });
      continue;
    }
    const elsewhere = catalogEntries[0];
    if (elsewhere) {
      // Point at whichever of the two the shot wrote itself: that is the one to change.
      const where = shot.model !== undefined || shot.provider === undefined ? modelPath : providerPath;
      result.problems.push(
        sourceMap.problem(where, `model "${model}" is served by ${elsewhere.provider}, not ${provider}: set provider: ${elsewhere.provider} on shot "${shot.id}"`),
      );
      continue;
    }
    const sameProvider = MODELS.filter((m) => m.provider === provider).map((m) => m.model);
    const hint = didYouMean(model, sameProvider);
    if (provider === 'novita') {
      // Each Novita model is its own endpoint with its own body: only known ones can be sent.
      result.problems.push(sourceMap.problem(modelPath, `unknown novita model "${model}"${hint} (novita models: ${sameProvider.join(', ')}; render cannot send another)`));
      continue;
    }
    if (provider === 'krea' && !KREA_MODEL_PATH.test(model)) {
      result.problems.push(sourceMap.problem(modelPath, `Krea models are paths like "kling/kling-2.5", got "${model}"${hint}`));
      continue;
    }
    if (!warned.has(`${provider} ${model}`)) {
      warned.add(`${provider} ${model}`);
      result.warnings.push(
        sourceMap.problem(modelPath, `${provider} model "${model}" is not in render's catalog (${ALLOW_UNKNOWN_MODEL}: true): its params are sent unchecked and as written, and no seed is drawn for it${hint}`),
      );
    }
    result.shots.push({ input: shot, id: shot.id, prompt: shot.prompt, path, provider, model, info: undefined, modelPath });
  }
  return result;
}

/** A model that is in no catalog and not opted in: most often a typo that the provider would refuse. */
function unknownModelMessage(model: string, provider: ProviderName | undefined): string {
  const sameProvider = MODELS.filter((m) => provider === undefined || m.provider === provider).map((m) => m.model);
  const match = closestMatch(model, sameProvider) ?? closestMatch(model, MODELS.map((m) => m.model));
  const known = match !== undefined ? `: did you mean "${match}"?` : ` (models render knows: ${MODELS.map((m) => `${m.model} on ${m.provider}`).join(', ')}).`;
  return `unknown model "${model}"${known} To send a model render does not know, set ${ALLOW_UNKNOWN_MODEL}: true on the shot or under models.${model}`;
}
