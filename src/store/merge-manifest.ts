/**
 * `render merge`, manifest.json: the kept records (merge-entries.ts) under one head, each with
 * the earlier takes the merged take store holds for it, written one record per line as a run
 * writes it.
 */
import type { RenderManifestFile, RenderRecord, Take } from '../core/records.js';
import { compareText } from '../core/compare-text.js';

/**
 * The merged file: every manifest file named, started at the earliest start, ended at the
 * latest end (null while a folder's run never ended: it was interrupted).
 */
export function mergedManifest(
  manifests: readonly RenderManifestFile[],
  name: string,
  records: readonly RenderRecord[],
  takes: readonly { id: string; take: Take }[],
  runner: RenderManifestFile['runner'],
): RenderManifestFile {
  const files = [...new Set(manifests.flatMap((m) => (Array.isArray(m.manifest_files) ? m.manifest_files : [])))];
  const started = manifests.map((m) => m.started_at).filter((t) => typeof t === 'string').sort();
  const ended = manifests.map((m) => m.ended_at);
  const byRender = new Map<string, Take[]>();
  for (const t of takes) byRender.set(t.id, [...(byRender.get(t.id) ?? []), t.take]);
  const renders = records.map((r): RenderRecord => {
    const current = r.status === 'succeeded' ? r.sha256 : null;
    const earlier = (byRender.get(r.id) ?? []).filter((t) => t.sha256 !== current);
    earlier.sort((a, b) => compareText(a.downloaded_at ?? '', b.downloaded_at ?? ''));
    return { ...r, takes: earlier };
  });
  return {
    version: 1,
    name,
    manifest_files: files,
    runner,
    started_at: started[0] ?? new Date().toISOString(),
    ended_at: ended.some((t) => typeof t !== 'string') ? null : ((ended as string[]).sort().at(-1) ?? null),
    renders,
  };
}

/** One record per line, as a run writes it. */
export function serializeManifest(m: RenderManifestFile): string {
  const { renders, ...head } = m;
  const lines = renders.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  return `${JSON.stringify(head, null, 2).replace(/\n}$/, ',\n  "renders": [\n')}${lines}\n  ]\n}\n`;
}
