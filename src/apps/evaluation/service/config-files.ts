/** The methodology files shipped with the application (configs/*.json), and reading another one from disk. */
import { readFileSync } from 'node:fs';
import defaultFile from '../configs/default.json' with { type: 'json' };
import huangyan2022File from '../configs/huangyan-2022.json' with { type: 'json' };
import { type Methodology, MethodologyError, parseMethodology } from './config';

// Imported rather than read from a folder at run time, so they travel with the code wherever it is built to.
const SHIPPED_FILES: unknown[] = [defaultFile, huangyan2022File];

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
    for (const file of SHIPPED_FILES) {
      const config = parseMethodology(file);
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
