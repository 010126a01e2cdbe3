/**
 * C2SP tlog-tiles (c2sp.org/tlog-tiles): tile and entry-bundle paths, tile contents, entry bundles, and a
 * HashReader that serves proofs from fetched tiles after authenticating them against a trusted checkpoint
 * (the design of Go's golang.org/x/mod/sumdb/tlog TileHashReader, with tile height fixed at 8).
 */
import { bitLen, checkUint, shl, shr } from './bits';
import { bytesEqual, concatBytes, parseDecimal } from './bytes';
import type { Sha256 } from './crypto-port';
import { fail } from './errors';
import { checkHash, HASH_SIZE, nodeHash } from './merkle';
import { type HashReader, splitStoredHashIndex, storedHashIndex } from './stored-hashes';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
const MAX_LEVEL = 63;
/** c2sp.org/tlog-tiles: an entry in a bundle is prefixed by a 16-bit length. */
export const MAX_ENTRY_SIZE = 0xffff;

/** Tile `n` at tile level `level`; width 256 is a full tile, 1..255 a partial one. */
export interface Tile {
  readonly level: number;
  readonly n: number;
  readonly width: number;
}

function checkTile(t: Tile): void {
  checkUint(t.n, 'tile index');
  if (!Number.isInteger(t.level) || t.level < 0 || t.level > MAX_LEVEL) fail('BAD_TILE', 'tile level out of range');
  if (!Number.isInteger(t.width) || t.width < 1 || t.width > TILE_WIDTH) fail('BAD_TILE', 'tile width out of range');
}

/** Index N in zero-padded 3-digit elements, all but the last prefixed with "x": 1234067 → x001/x234/067. */
export function formatTileIndex(n: number): string {
  checkUint(n, 'tile index');
  const groups: string[] = [];
  let rest = n;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

function widthSuffix(width: number): string {
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

/** `tile/<L>/<N>[.p/<W>]`, relative to the log prefix. */
export function tilePath(t: Tile): string {
  checkTile(t);
  return `tile/${t.level}/${formatTileIndex(t.n)}${widthSuffix(t.width)}`;
}

/** `tile/entries/<N>[.p/<W>]`, relative to the log prefix. */
export function entryBundlePath(n: number, width: number): string {
  checkTile({ level: 0, n, width });
  return `tile/entries/${formatTileIndex(n)}${widthSuffix(width)}`;
}

export type ParsedTilePath =
  | { readonly kind: 'hashes'; readonly tile: Tile }
  | { readonly kind: 'entries'; readonly n: number; readonly width: number };

/** Parses a tile or entry-bundle path (relative to the prefix), accepting only the canonical spelling. */
export function parseTilePath(path: string): ParsedTilePath {
  const bad = (why: string): never => fail('BAD_TILE_PATH', why);
  const parts = path.split('/');
  if (parts.length < 3 || parts[0] !== 'tile') bad('not a tile path');
  const kindPart = parts[1]!;
  let level = 0;
  const isEntries = kindPart === 'entries';
  if (!isEntries) {
    const l = parseDecimal(kindPart);
    if (l === undefined || l > MAX_LEVEL) bad('tile level must be a decimal 0..63');
    level = l!;
  }
  let elems = parts.slice(2);
  let width = TILE_WIDTH;
  const last = elems[elems.length - 1]!;
  const beforeLast = elems[elems.length - 2];
  if (beforeLast?.endsWith('.p')) {
    const w = parseDecimal(last);
    if (w === undefined || w < 1 || w >= TILE_WIDTH) bad('partial tile width must be 1..255');
    width = w!;
    elems = [...elems.slice(0, -2), beforeLast.slice(0, -2)];
  }
  if (elems.length === 0) bad('missing tile index');
  let digits = '';
  elems.forEach((e, i) => {
    const lastElem = i === elems.length - 1;
    if (!(lastElem ? /^[0-9]{3}$/ : /^x[0-9]{3}$/).test(e))
      bad('tile index elements must be 3 digits, x-prefixed but the last');
    digits += lastElem ? e : e.slice(1);
  });
  if (elems.length > 1 && elems[0] === 'x000') bad('tile index has a redundant leading element');
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) bad('tile index too large');
  return isEntries ? { kind: 'entries', n, width } : { kind: 'hashes', tile: { level, n, width } };
}

/** Width of tile (level, n) in a tree of `size` leaves; 0 when the tile does not exist yet. */
export function tileWidth(level: number, n: number, size: number): number {
  checkUint(size, 'size');
  const available = shr(size, TILE_HEIGHT * level) - n * TILE_WIDTH;
  return Math.max(0, Math.min(TILE_WIDTH, available));
}

/** The tiles, full and partial, that a log growing from `oldSize` to `newSize` must (re)publish (Go tlog.NewTiles). */
export function newTiles(oldSize: number, newSize: number): Tile[] {
  checkUint(oldSize, 'oldSize');
  checkUint(newSize, 'newSize');
  if (oldSize > newSize) fail('BAD_RANGE', 'oldSize is larger than newSize');
  const tiles: Tile[] = [];
  for (let level = 0; shr(newSize, TILE_HEIGHT * level) > 0; level++) {
    const oldN = shr(oldSize, TILE_HEIGHT * level);
    const newN = shr(newSize, TILE_HEIGHT * level);
    if (oldN === newN) continue;
    for (let n = shr(oldN, TILE_HEIGHT); n < shr(newN, TILE_HEIGHT); n++) tiles.push({ level, n, width: TILE_WIDTH });
    const n = shr(newN, TILE_HEIGHT);
    const width = newN - n * TILE_WIDTH;
    if (width > 0) tiles.push({ level, n, width });
  }
  return tiles;
}

/** Stored hash indexes (see stored-hashes.ts) whose hashes, concatenated, form the tile's contents. */
export function tileStoredHashIndexes(t: Tile): number[] {
  checkTile(t);
  const out: number[] = [];
  for (let i = 0; i < t.width; i++) out.push(storedHashIndex(TILE_HEIGHT * t.level, t.n * TILE_WIDTH + i));
  return out;
}

/** Builds a tile's bytes from stored hashes (what a log writes at tilePath(t)). */
export async function readTileData(t: Tile, reader: HashReader): Promise<Uint8Array> {
  const hashes = await reader.readHashes(tileStoredHashIndexes(t));
  if (hashes.length !== t.width) fail('BAD_HASH_READER', 'hash reader returned the wrong number of hashes');
  for (const h of hashes) checkHash(h, 'stored hash');
  return concatBytes(...hashes);
}

/** Splits tile bytes into hashes; the length must be exactly width × 32. */
export function decodeTile(t: Tile, data: Uint8Array): Uint8Array[] {
  checkTile(t);
  if (data.length !== t.width * HASH_SIZE) fail('BAD_TILE', `tile must be ${t.width * HASH_SIZE} bytes`);
  const out: Uint8Array[] = [];
  for (let i = 0; i < t.width; i++) out.push(data.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  return out;
}

/**
 * The smallest tile containing stored hash `index`, and the byte range of the tile hashes that combine to
 * it: hashes at levels between tile levels are recomputed from the tile (Go tlog tileForIndex).
 */
export function tileForStoredHashIndex(index: number): { tile: Tile; start: number; end: number } {
  const split = splitStoredHashIndex(index);
  const level = Math.floor(split.level / TILE_HEIGHT);
  const within = split.level - level * TILE_HEIGHT;
  const n = shr(shl(split.n, within), TILE_HEIGHT);
  const k = split.n - shr(shl(n, TILE_HEIGHT), within);
  const width = shl(k + 1, within);
  return { tile: { level, n, width }, start: shl(k, within) * HASH_SIZE, end: width * HASH_SIZE };
}

function tileRangeHash(c: Sha256, data: Uint8Array): Uint8Array {
  if (data.length === HASH_SIZE) return data;
  const half = data.length / 2;
  return nodeHash(c, tileRangeHash(c, data.subarray(0, half)), tileRangeHash(c, data.subarray(half)));
}

/** Stored hash `index` out of the bytes of tile `t` (Go tlog.HashFromTile). */
export function hashFromTile(c: Sha256, t: Tile, data: Uint8Array, index: number): Uint8Array {
  checkTile(t);
  if (data.length < t.width * HASH_SIZE) fail('BAD_TILE', 'tile data shorter than its width');
  const want = tileForStoredHashIndex(index);
  if (want.tile.level !== t.level || want.tile.n !== t.n || want.tile.width > t.width) {
    fail('BAD_TILE', `stored hash ${index} is not in tile ${tilePath(t)}`);
  }
  return tileRangeHash(c, data.subarray(want.start, want.end)).slice();
}

// t's k-th ancestor tile as it exists in a tree of `size`, or undefined if that tile is empty.
function tileParent(t: Tile, k: number, size: number): Tile | undefined {
  const level = t.level + k;
  const n = shr(t.n, TILE_HEIGHT * k);
  const width = tileWidth(level, n, size);
  return width > 0 ? { level, n, width } : undefined;
}

function tileKey(t: Tile): string {
  return `${t.level}/${t.n}/${t.width}`;
}

/** Which tiles to fetch, in order, to read stored hashes `indexes` of a tree of `size` and authenticate them. */
export interface TileFetchPlan {
  /** Parents always precede their children; the first `authenticatedByRoot` tiles are checked via the root. */
  readonly tiles: readonly Tile[];
  readonly authenticatedByRoot: number;
  /** Stored hash indexes of the tree's maximal perfect subtrees, left to right, and the tile holding each. */
  readonly rootParts: readonly number[];
  readonly rootTiles: readonly number[];
  /** For each requested index, the position in `tiles` of the tile holding it. */
  readonly indexTiles: readonly number[];
}

/**
 * Plans a tile fetch (Go tlog TileHashReader's planning step): the tiles holding the root's subtree hashes,
 * plus for each requested stored hash its tile and every ancestor tile up to one already planned.
 */
export function planTileFetch(size: number, indexes: readonly number[]): TileFetchPlan {
  checkUint(size, 'size');
  const order = new Map<string, number>();
  const tiles: Tile[] = [];
  const add = (t: Tile): number => {
    const key = tileKey(t);
    const seen = order.get(key);
    if (seen !== undefined) return seen;
    order.set(key, tiles.length);
    tiles.push(t);
    return tiles.length - 1;
  };
  // Widen a minimal tile to the width it has in this tree, so one fetch serves every hash in it.
  const inTree = (t: Tile): Tile => {
    const width = tileWidth(t.level, t.n, size);
    if (width < t.width) fail('INDEX_OUT_OF_RANGE', 'hash is not in the tree');
    return { ...t, width };
  };

  const rootParts: number[] = [];
  for (let lo = 0; lo < size; ) {
    const level = bitLen(size - lo) - 1;
    rootParts.push(storedHashIndex(level, shr(lo, level)));
    lo += 2 ** level;
  }
  const rootTiles = rootParts.map((x) => add(inTree(tileForStoredHashIndex(x).tile)));
  const authenticatedByRoot = tiles.length;

  const limit = storedHashIndex(0, size);
  const indexTiles = indexes.map((x) => {
    checkUint(x, 'stored hash index');
    if (x >= limit) fail('INDEX_OUT_OF_RANGE', `stored hash ${x} is not in a tree of size ${size}`);
    const base = inTree(tileForStoredHashIndex(x).tile);
    // Climb to the nearest ancestor already planned; then plan the chain back down, parents first.
    let k = 0;
    for (;;) {
      const p = tileParent(base, k, size) ?? fail('BAD_TILE', 'internal error: no planned ancestor tile');
      if (order.has(tileKey(p))) break;
      k++;
    }
    for (k--; k >= 0; k--) {
      const p = tileParent(base, k, size)!;
      // A tile with a parent tile must be full: only full tiles are hashed into the level above.
      if (p.width !== TILE_WIDTH) fail('BAD_TILE', 'internal error: partial tile below another tile');
      add(p);
    }
    return order.get(tileKey(base))!;
  });
  return { tiles, authenticatedByRoot, rootParts, rootTiles, indexTiles };
}

/** Fetches raw tile bytes, e.g. over HTTP from `<prefix>/` + tilePath(t). */
export interface TileFetcher {
  readTiles(tiles: readonly Tile[]): Promise<readonly Uint8Array[]>;
}

/**
 * A HashReader over tiles for a tree (size, root) the caller already trusts (a verified checkpoint).
 * Each read fetches the tiles needed to recompute the root plus the tiles holding the requested hashes and
 * their ancestors, authenticates them all (root first, then each full tile against its parent), and only
 * then returns hashes. A lying tile server therefore cannot make a proof verify.
 */
export class TileHashReader implements HashReader {
  constructor(
    private readonly c: Sha256,
    private readonly size: number,
    private readonly root: Uint8Array,
    private readonly fetcher: TileFetcher,
  ) {
    checkUint(size, 'size');
    checkHash(root, 'tree root');
  }

  async readHashes(indexes: readonly number[]): Promise<Uint8Array[]> {
    if (indexes.length === 0) return [];
    const { tiles, rootParts, rootTiles, indexTiles, authenticatedByRoot } = planTileFetch(this.size, indexes);
    const order = new Map(tiles.map((t, i) => [tileKey(t), i]));

    const data = await this.fetcher.readTiles(tiles);
    if (data.length !== tiles.length) fail('BAD_TILE', 'tile fetcher returned the wrong number of tiles');
    tiles.forEach((t, i) => {
      if (data[i]!.length !== t.width * HASH_SIZE) fail('BAD_TILE', `tile ${tilePath(t)} has the wrong length`);
    });

    let h = hashFromTile(this.c, tiles[rootTiles.at(-1)!]!, data[rootTiles.at(-1)!]!, rootParts.at(-1)!);
    for (let i = rootParts.length - 2; i >= 0; i--) {
      h = nodeHash(this.c, hashFromTile(this.c, tiles[rootTiles[i]!]!, data[rootTiles[i]!]!, rootParts[i]!), h);
    }
    if (!bytesEqual(h, this.root)) fail('ROOT_MISMATCH', 'tiles do not hash to the trusted root');

    for (let i = authenticatedByRoot; i < tiles.length; i++) {
      const t = tiles[i]!;
      const p = tileParent(t, 1, this.size)!;
      const j = order.get(tileKey(p));
      if (j === undefined) fail('BAD_TILE', 'internal error: parent tile not fetched');
      const expected = hashFromTile(this.c, p, data[j]!, storedHashIndex(TILE_HEIGHT * p.level, t.n));
      if (!bytesEqual(expected, tileRangeHash(this.c, data[i]!)))
        fail('ROOT_MISMATCH', `tile ${tilePath(t)} is inconsistent`);
    }

    return indexes.map((x, i) => hashFromTile(this.c, tiles[indexTiles[i]!]!, data[indexTiles[i]!]!, x));
  }
}

/** Entry bundle: big-endian uint16 length-prefixed entries, at most 256 of them. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length === 0 || entries.length > TILE_WIDTH) fail('BAD_ENTRY_BUNDLE', 'a bundle holds 1..256 entries');
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    if (e.length > MAX_ENTRY_SIZE) fail('BAD_ENTRY_BUNDLE', 'entry longer than 65535 bytes');
    parts.push(Uint8Array.of(e.length >> 8, e.length & 0xff), e);
  }
  return concatBytes(...parts);
}

/** Parses an entry bundle; with `width`, the entry count must match (a bundle's width is in its path). */
export function decodeEntryBundle(data: Uint8Array, width?: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let o = 0;
  while (o < data.length) {
    if (o + 2 > data.length) fail('BAD_ENTRY_BUNDLE', 'truncated entry length');
    const len = (data[o]! << 8) | data[o + 1]!;
    o += 2;
    if (o + len > data.length) fail('BAD_ENTRY_BUNDLE', 'truncated entry');
    out.push(data.slice(o, o + len));
    o += len;
    if (out.length > TILE_WIDTH) fail('BAD_ENTRY_BUNDLE', 'more than 256 entries');
  }
  if (width !== undefined && out.length !== width)
    fail('BAD_ENTRY_BUNDLE', `bundle has ${out.length} entries, want ${width}`);
  return out;
}
