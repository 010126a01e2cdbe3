import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryFolders } from '../testing/temporary-folders';
import { cityIsLoaded, ensureDemoCity, exportCity } from './demo-city';
import { writeCityFiles } from './files';
import { loadCity, nodeStorePath } from './node-stores';
import { RESOURCES } from './schema';

const tmp = temporaryFolders('hutong-nodes-');

function expectSameFiles(a: string, b: string) {
  const files = readdirSync(a).sort();
  expect(readdirSync(b).sort()).toEqual(files);
  for (const f of files) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
}

describe('node stores', () => {
  it('generate → load → export reproduces the generated files byte for byte', async () => {
    const gen = tmp();
    const data = tmp();
    const out = tmp();
    writeCityFiles(gen, { seed: 3, scale: { residents: 2000, enterprises: 150 } });
    const counts = await loadCity(gen, data);
    expect(Object.keys(counts).sort()).toEqual(RESOURCES.map((r) => r.code).sort());
    for (const r of RESOURCES) expect(existsSync(nodeStorePath(data, r.provider))).toBe(true);
    await exportCity(data, out);
    expectSameFiles(gen, out);
    // Loading again replaces, not duplicates.
    await loadCity(gen, data);
    const again = tmp();
    await exportCity(data, again);
    expectSameFiles(gen, again);
  });

  it('ensureDemoCity loads small seed 1 once, is idempotent, and exports what generate writes', async () => {
    const data = tmp();
    expect(await cityIsLoaded(data)).toBe(false);
    expect(await ensureDemoCity(data)).toEqual({ created: true });
    expect(await ensureDemoCity(data)).toEqual({ created: false });
    const out = tmp();
    await exportCity(data, out);
    const gen = tmp();
    writeCityFiles(gen, { seed: 1, scale: { residents: 10_000, enterprises: 600 } });
    expectSameFiles(gen, out);
  });
});
