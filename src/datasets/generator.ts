/**
 * Deterministic synthetic 清河市: builds every row of the 14 department resources from a seed and a scale
 * and hands them to a sink one at a time, so even the large city never sits in memory. Pure: no I/O, no
 * clock, no Math.random — the same seed and scale give the same rows in the same order on any machine.
 * docs/DATA.md explains the distributions, the injected data-quality faults and the branch-forcing roles.
 */
import { Rng } from './prng';
import type { ResourceCode } from './schema';
import { generateEnterprises, legalRepresentatives } from './generate-enterprises';
import { IdAllocator, generateMigrants, generateResidents } from './generate-people';

export type ScaleName = 'small' | 'medium' | 'large';

export interface CityScale {
  residents: number;
  enterprises: number;
}

export const SCALES: Record<ScaleName, CityScale> = {
  small: { residents: 10_000, enterprises: 600 },
  medium: { residents: 100_000, enterprises: 10_000 },
  large: { residents: 1_000_000, enterprises: 100_000 },
};

export function isScaleName(s: string): s is ScaleName {
  return s === 'small' || s === 'medium' || s === 'large';
}

/** Receives each row as cells in schema column order; '' is an empty (null) cell. */
export type RowSink = (resource: ResourceCode, cells: readonly string[]) => void;

export interface GenerateOptions {
  seed: number;
  scale: CityScale;
}

export interface GenerationCounts {
  rows: Record<string, number>;
}

export function generateCity(options: GenerateOptions, emit: RowSink): GenerationCounts {
  const rows: Record<string, number> = {};
  const sink: RowSink = (r, cells) => {
    rows[r] = (rows[r] ?? 0) + 1;
    emit(r, cells);
  };
  const ids = new IdAllocator();
  const cards = { n: 0 };
  generateResidents(new Rng(options.seed, 1), options.scale.residents, ids, cards, sink);
  generateMigrants(new Rng(options.seed, 2), Math.round(options.scale.residents * 0.12), ids, cards, sink);
  // Legal representatives come from a stream of their own and are issued IDs after every resident, so adding
  // them left every earlier column of every register as it was.
  const representatives = legalRepresentatives(new Rng(options.seed, 4), ids);
  generateEnterprises(new Rng(options.seed, 3), options.seed, options.scale.enterprises, representatives, sink);
  return { rows };
}
