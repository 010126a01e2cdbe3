/** Loads the service items (办事事项) from a folder of YAML or JSON files, each validated and cross-checked. */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkDefinition, type ItemDefinition } from './definition';
import { ServiceError } from './errors';

export interface ItemCatalog {
  list(): readonly ItemDefinition[];
  get(id: string): ItemDefinition;
  has(id: string): boolean;
}

export function createItemCatalog(definitions: readonly ItemDefinition[]): ItemCatalog {
  const byId = new Map<string, ItemDefinition>();
  for (const def of definitions) {
    if (byId.has(def.id)) throw new ServiceError('INVALID_ITEM_DEFINITION', `item ${def.id} is defined twice`);
    byId.set(def.id, def);
  }
  for (const def of definitions) {
    for (const [id, fact] of Object.entries(def.facts)) {
      if (fact.source !== 'issued') continue;
      const target = byId.get(fact.item);
      if (!target?.certificate) {
        throw new ServiceError(
          'INVALID_ITEM_DEFINITION',
          `${def.id}: facts.${id}: ${fact.item} is not an item that issues certificates`,
        );
      }
    }
  }
  const sorted = [...byId.values()];
  return {
    list: () => sorted,
    has: (id) => byId.has(id),
    get(id) {
      const def = byId.get(id);
      if (!def) throw new ServiceError('ITEM_NOT_FOUND', `没有事项 ${id} / no service item ${id}`);
      return def;
    },
  };
}

/** Parses one file's text (YAML, of which JSON is a subset). */
export function parseDefinition(textContent: string, origin: string): ItemDefinition {
  let data: unknown;
  try {
    data = parseYaml(textContent, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw new ServiceError('INVALID_ITEM_DEFINITION', `${origin}: ${(error as Error).message}`);
  }
  return checkDefinition(data, origin);
}

/** Every `*.yaml`, `*.yml` and `*.json` file in `dir`, in name order. */
export function loadItemCatalog(dir: string): ItemCatalog {
  const files = readdirSync(dir)
    .filter((name) => ['.yaml', '.yml', '.json'].includes(extname(name)))
    .sort();
  return createItemCatalog(files.map((name) => parseDefinition(readFileSync(join(dir, name), 'utf8'), name)));
}
