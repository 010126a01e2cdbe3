import { describe, expect, it } from 'vitest';
import { thrownCode } from '../thrown-code.test-helper';
import { LedgerError } from './errors';
import { splitStoredHashIndex, storedHashCount, storedHashIndex } from './stored-hashes';
import {
  decodeEntryBundle,
  encodeEntryBundle,
  entryBundlePath,
  formatTileIndex,
  newTiles,
  parseTilePath,
  planTileFetch,
  type Tile,
  tileForStoredHashIndex,
  tilePath,
  tileStoredHashIndexes,
  tileWidth,
} from './tiles';

const code = (run: () => unknown) => thrownCode(LedgerError, run);

describe('tile paths (c2sp.org/tlog-tiles)', () => {
  it('encodes the index in x-prefixed 3-digit groups (spec example 1234067)', () => {
    expect(formatTileIndex(1234067)).toBe('x001/x234/067');
    expect(formatTileIndex(0)).toBe('000');
    expect(formatTileIndex(999)).toBe('999');
    expect(formatTileIndex(1000)).toBe('x001/000');
  });

  it('formats full and partial tiles and entry bundles', () => {
    expect(tilePath({ level: 0, n: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ level: 2, n: 0, width: 1 })).toBe('tile/2/000.p/1');
    expect(entryBundlePath(273, 112)).toBe('tile/entries/273.p/112');
    expect(entryBundlePath(5, 256)).toBe('tile/entries/005');
  });

  it('parses what it formats', () => {
    const tiles: Tile[] = [
      { level: 0, n: 0, width: 256 },
      { level: 1, n: 1234067, width: 17 },
      { level: 63, n: 999, width: 255 },
    ];
    for (const t of tiles) expect(parseTilePath(tilePath(t))).toEqual({ kind: 'hashes', tile: t });
    expect(parseTilePath('tile/entries/x001/x234/067.p/3')).toEqual({ kind: 'entries', n: 1234067, width: 3 });
  });

  it.each([
    '',
    'tile',
    'tile/0',
    'tiles/0/000',
    'tile/00/000',
    'tile/64/000',
    'tile/-1/000',
    'tile/0/00',
    'tile/0/0000',
    'tile/0/x000/001',
    'tile/0/001/002',
    'tile/0/x001',
    'tile/0/y001/002',
    'tile/0/000.p/0',
    'tile/0/000.p/256',
    'tile/0/000.p/012',
    'tile/0/000.p/',
    'tile/0/000.p',
    'tile/0/000.p/1/2',
    'tile/0/000/',
    'tile/entries/000.p/x1',
    'tile/0/../000',
  ])('rejects %j', (bad) => {
    expect(code(() => parseTilePath(bad))).toBe('BAD_TILE_PATH');
  });
});

describe('tile layout', () => {
  it('matches the spec example of a tree of size 70,000', () => {
    const tiles = newTiles(0, 70000);
    const at = (level: number) => tiles.filter((t) => t.level === level);
    expect(at(0).filter((t) => t.width === 256)).toHaveLength(273);
    expect(at(0).filter((t) => t.width !== 256)).toEqual([{ level: 0, n: 273, width: 112 }]);
    expect(at(1)).toEqual([
      { level: 1, n: 0, width: 256 },
      { level: 1, n: 1, width: 17 },
    ]);
    expect(at(2)).toEqual([{ level: 2, n: 0, width: 1 }]);
    expect(tiles).toHaveLength(273 + 1 + 2 + 1);
  });

  it('matches the spec example of a tree of size 256', () => {
    expect(newTiles(0, 256)).toEqual([
      { level: 0, n: 0, width: 256 },
      { level: 1, n: 0, width: 1 },
    ]);
  });

  it('lists only changed tiles when the tree grows', () => {
    expect(newTiles(10, 10)).toEqual([]);
    expect(newTiles(10, 12)).toEqual([{ level: 0, n: 0, width: 12 }]);
    expect(newTiles(250, 260)).toEqual([
      { level: 0, n: 0, width: 256 },
      { level: 0, n: 1, width: 4 },
      { level: 1, n: 0, width: 1 },
    ]);
    expect(code(() => newTiles(5, 4))).toBe('BAD_RANGE');
  });

  it('gives tile widths for a tree size (floor(s / 256^l) mod 256 for the partial one)', () => {
    expect(tileWidth(0, 273, 70000)).toBe(112);
    expect(tileWidth(0, 272, 70000)).toBe(256);
    expect(tileWidth(0, 274, 70000)).toBe(0);
    expect(tileWidth(1, 1, 70000)).toBe(17);
    expect(tileWidth(2, 0, 70000)).toBe(1);
  });
});

describe('stored hash layout (Go sumdb/tlog)', () => {
  it('numbers hashes in append order', () => {
    // Appending leaf 0 stores (0,0); leaf 1 stores (0,1),(1,0); leaf 2 stores (0,2); leaf 3 stores (0,3),(1,1),(2,0).
    const order: [number, number][] = [
      [0, 0],
      [0, 1],
      [1, 0],
      [0, 2],
      [0, 3],
      [1, 1],
      [2, 0],
    ];
    expect(order.map(([level, n]) => storedHashIndex(level, n))).toEqual(order.map((_, i) => i));
    expect([0, 1, 2, 3, 4, 5].map(storedHashCount)).toEqual([0, 1, 3, 4, 7, 8]);
  });

  it('splits indexes back into (level, n)', () => {
    for (let i = 0; i < 5000; i++) {
      const { level, n } = splitStoredHashIndex(i);
      expect(storedHashIndex(level, n)).toBe(i);
    }
    const big = storedHashIndex(3, 2 ** 40 + 7);
    expect(splitStoredHashIndex(big)).toEqual({ level: 3, n: 2 ** 40 + 7 });
  });

  it('maps stored hashes to tiles', () => {
    // A leaf hash lives in level-0 tile floor(n/256) at position n mod 256.
    expect(tileForStoredHashIndex(storedHashIndex(0, 300))).toEqual({
      tile: { level: 0, n: 1, width: 45 },
      start: 44 * 32,
      end: 45 * 32,
    });
    // A level-8 hash is a level-1 tile entry.
    expect(tileForStoredHashIndex(storedHashIndex(8, 3)).tile).toEqual({ level: 1, n: 0, width: 4 });
    // A level-2 hash is recomputed from 4 leaf hashes of the level-0 tile.
    expect(tileForStoredHashIndex(storedHashIndex(2, 1))).toEqual({
      tile: { level: 0, n: 0, width: 8 },
      start: 128,
      end: 256,
    });
    expect(tileStoredHashIndexes({ level: 1, n: 0, width: 2 })).toEqual([storedHashIndex(8, 0), storedHashIndex(8, 1)]);
  });
});

describe('tile fetch planning', () => {
  it('fetches root tiles first, then the chain of full tiles down to the requested hash', () => {
    const plan = planTileFetch(70000, [storedHashIndex(0, 5)]);
    const rootTiles = plan.tiles.slice(0, plan.authenticatedByRoot);
    // 70000 = 65536 + 4096 + 256 + 64 + 32 + 16: the first subtree hash is in level-2 tile 0, the next two in
    // level-1 tile 1 (width 17), and the last three are recomputed from level-0 tile 273 (width 112).
    expect(rootTiles).toEqual([
      { level: 2, n: 0, width: 1 },
      { level: 1, n: 1, width: 17 },
      { level: 0, n: 273, width: 112 },
    ]);
    expect(plan.tiles.slice(plan.authenticatedByRoot)).toEqual([
      { level: 1, n: 0, width: 256 },
      { level: 0, n: 0, width: 256 },
    ]);
    expect(plan.indexTiles).toEqual([4]);
  });

  it('needs nothing beyond the root tiles for a hash inside them', () => {
    const plan = planTileFetch(70000, [storedHashIndex(0, 69999)]);
    expect(plan.tiles).toHaveLength(plan.authenticatedByRoot);
  });

  it('refuses hashes outside the tree', () => {
    expect(code(() => planTileFetch(10, [storedHashIndex(0, 10)]))).toBe('INDEX_OUT_OF_RANGE');
    expect(code(() => planTileFetch(10, [storedHashIndex(4, 0)]))).toBe('INDEX_OUT_OF_RANGE');
  });
});

describe('entry bundles', () => {
  it('round-trips big-endian uint16 length-prefixed entries', () => {
    const entries = [Uint8Array.of(), Uint8Array.of(1, 2, 3), new Uint8Array(0xffff).fill(7)];
    const data = encodeEntryBundle(entries);
    expect(data.subarray(0, 7)).toEqual(Uint8Array.of(0, 0, 0, 3, 1, 2, 3));
    expect(decodeEntryBundle(data, 3)).toEqual(entries);
  });

  it('rejects malformed bundles', () => {
    expect(code(() => decodeEntryBundle(Uint8Array.of(0)))).toBe('BAD_ENTRY_BUNDLE');
    expect(code(() => decodeEntryBundle(Uint8Array.of(0, 3, 1, 2)))).toBe('BAD_ENTRY_BUNDLE');
    expect(code(() => decodeEntryBundle(Uint8Array.of(0, 1, 9), 2))).toBe('BAD_ENTRY_BUNDLE');
    expect(code(() => decodeEntryBundle(new Uint8Array(2 * 257)))).toBe('BAD_ENTRY_BUNDLE');
    expect(code(() => encodeEntryBundle([new Uint8Array(0x10000)]))).toBe('BAD_ENTRY_BUNDLE');
    expect(code(() => encodeEntryBundle([]))).toBe('BAD_ENTRY_BUNDLE');
  });
});
