/**
 * What the demo composition calls at start-up: make sure the department node stores hold the synthetic
 * city (generated once into a temp dir, then loaded), and export whatever they hold.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCityFiles } from './files';
import { SCALES, type ScaleName } from './generator';
import {
  exportCity as exportStores,
  type NodeSealers,
  type NodeStores,
  nodeStorePath,
  withNodeStores,
} from './node-stores';
import { RESOURCES } from './schema';
import { countRows, tableExists } from './store';
import { loadCity } from './node-stores';

/** True when every resource table exists and holds at least one row. */
export async function cityIsLoaded(stores: NodeStores): Promise<boolean> {
  if (typeof stores === 'string' && !RESOURCES.every((r) => existsSync(nodeStorePath(stores, r.provider)))) {
    return false;
  }
  return withNodeStores(stores, async (storeOf) => {
    for (const r of RESOURCES) {
      const db = storeOf(r.provider);
      if (!(await tableExists(db, r)) || (await countRows(db, r)) === 0) return false;
    }
    return true;
  });
}

export async function ensureDemoCity(
  stores: NodeStores,
  opts: { seed?: number; scale?: ScaleName; sealers?: NodeSealers | undefined } = {},
): Promise<{ created: boolean }> {
  if (await cityIsLoaded(stores)) return { created: false };
  const tmp = mkdtempSync(join(tmpdir(), 'hutong-city-'));
  try {
    writeCityFiles(tmp, { seed: opts.seed ?? 1, scale: SCALES[opts.scale ?? 'small'] });
    await loadCity(tmp, stores, undefined, opts.sealers);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { created: true };
}

export async function exportCity(stores: NodeStores, outDir: string, sealers?: NodeSealers): Promise<void> {
  await exportStores(stores, outDir, sealers);
}
