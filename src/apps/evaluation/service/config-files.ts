/** The methodology files shipped with the application (configs/*.json), and reading another one from disk. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Methodology, MethodologyError, parseMethodology } from './config';

export const configsDir = join(import.meta.dirname, '..', 'configs');

/** Parses a methodology file: a JSON syntax error and a schema violation are both MethodologyError. */
export function readMethodologyFile(file: string): Methodology {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new MethodologyError(`${file}: not JSON (${(error as Error).message})`, [
      { path: '', message: 'not a JSON document' },
    ]);
  }
  return parseMethodology(json);
}

let shipped: Map<string, Methodology> | undefined;

/** The shipped methodologies by id (`default`, `huangyan-2022`), read and validated once. */
export function shippedMethodologies(): Map<string, Methodology> {
  if (!shipped) {
    shipped = new Map();
    for (const name of readdirSync(configsDir).sort()) {
      if (!name.endsWith('.json')) continue;
      const config = readMethodologyFile(join(configsDir, name));
      shipped.set(config.id, config);
    }
  }
  return shipped;
}

export function defaultMethodology(): Methodology {
  const config = shippedMethodologies().get('default');
  if (!config) throw new Error('configs/default.json is missing');
  return config;
}
