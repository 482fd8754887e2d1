import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSchemaSet, standaloneModule, type SchemaDirs } from '../../src/core/compiled-schemas.js';
import { MANIFEST_SCHEMA_SET } from '../../src/manifest/schema-registry.js';
import { RENDER_MANIFEST_SCHEMA_SET } from '../../src/store/manifest-file.js';

const schemasDir = new URL('../../schemas/', import.meta.url);

/** A copy of schemas/ and an empty folder for compiled modules, in a temp folder of their own. */
function scratch(): SchemaDirs {
  const root = mkdtempSync(join(tmpdir(), 'render-schemas-'));
  for (const file of MANIFEST_SCHEMA_SET.files) {
    mkdirSync(join(root, 'schemas', file, '..'), { recursive: true });
    copyFileSync(new URL(file, schemasDir), join(root, 'schemas', file));
  }
  mkdirSync(join(root, 'compiled'));
  // A compiled module requires ajv's small runtime helpers, as dist/ finds them in the package.
  symlinkSync(fileURLToPath(new URL('../../node_modules/', import.meta.url)), join(root, 'node_modules'));
  return { schemas: pathToFileURL(join(root, 'schemas/')), compiled: pathToFileURL(join(root, 'compiled/')) };
}

const build = (dirs: SchemaDirs): void => writeFileSync(new URL('manifest.cjs', dirs.compiled), standaloneModule(MANIFEST_SCHEMA_SET, dirs));

/** Manifests that fail in different ways: types, enums, ranges, unknown fields, a missing field. */
const BAD = [
  { version: 1, name: 'x', shots: [{ id: 's', provider: 'krea', model: 'kling/kling-2.5', prompt: 'p', params: { duration: 7 } }] },
  { version: 2, name: 3, shots: [] },
  { version: 1, name: 'x', shots: [{ id: 's', provider: 'nope', prompt: 1, colour: 'red' }] },
  { version: 1, name: 'x' },
];

describe('schemas compiled by the build', () => {
  it('npm run build leaves modules made from the schemas on disk, and a command uses them', () => {
    expect(loadSchemaSet(MANIFEST_SCHEMA_SET).compiled).toBe('build');
    expect(loadSchemaSet(RENDER_MANIFEST_SCHEMA_SET).compiled).toBe('build');
  });

  it('a compiled module says exactly what compiling at start-up says', () => {
    const dirs = scratch();
    const now = loadSchemaSet(MANIFEST_SCHEMA_SET, dirs);
    build(dirs);
    const built = loadSchemaSet(MANIFEST_SCHEMA_SET, dirs);
    expect([now.compiled, built.compiled]).toEqual(['now', 'build']);
    for (const manifest of BAD) {
      const a = now.validators['manifest']!;
      const b = built.validators['manifest']!;
      expect(b(manifest)).toBe(false);
      expect(a(manifest)).toBe(false);
      expect(b.errors).toEqual(a.errors);
    }
    const kling = 'models/krea.kling-2.5.schema.json';
    expect(built.validators[kling]!({ prompt: 'p', duration: 5, aspect_ratio: '1:1' })).toBe(now.validators[kling]!({ prompt: 'p', duration: 5, aspect_ratio: '1:1' }));
  });

  it('a schema edited after the build is compiled as it is now, not taken from the stale module', () => {
    const dirs = scratch();
    build(dirs);
    const file = new URL('models/krea.kling-2.5.schema.json', dirs.schemas);
    const edited = readFileSync(file, 'utf8').replace('"enum": [5, 10]', '"enum": [5, 10, 7]');
    expect(edited).not.toBe(readFileSync(file, 'utf8'));
    writeFileSync(file, edited);
    const loaded = loadSchemaSet(MANIFEST_SCHEMA_SET, dirs);
    expect(loaded.compiled).toBe('now');
    expect(loaded.validators['manifest']!(BAD[0])).toBe(true);
  });

  it('without a compiled module (never built), the schemas are compiled at start-up', () => {
    const loaded = loadSchemaSet(MANIFEST_SCHEMA_SET, scratch());
    expect(loaded.compiled).toBe('now');
    expect(loaded.validators['manifest']!(BAD[1])).toBe(false);
  });
});
