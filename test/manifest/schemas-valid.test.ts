import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { SCHEMA_OPTIONS } from '../../src/manifest/schema-registry.js';

// render compiles its schemas without checking them against the meta-schema (it costs half of
// the start-up); this is where that check happens.
const dir = new URL('../../schemas/', import.meta.url);
const files = [
  ...readdirSync(dir).filter((f) => f.endsWith('.json')),
  ...readdirSync(new URL('models/', dir)).map((f) => `models/${f}`),
];

describe('the schemas under schemas/', () => {
  const ajv = new Ajv2020({ ...SCHEMA_OPTIONS });

  it.each(files)('%s is a valid JSON Schema 2020-12', (file) => {
    const schema = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as object;
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('the check tells a broken schema', () => {
    expect(ajv.validateSchema({ type: 'strin', minimum: 'one' })).toBe(false);
  });

  it('covers every model schema', () => {
    expect(files.filter((f) => f.startsWith('models/')).length).toBeGreaterThanOrEqual(5);
  });
});
