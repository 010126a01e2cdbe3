/**
 * The layering rules live in biome.json; this proves they bite: a forbidden import in each layer fails
 * the lint that `npm test` runs, and an allowed one passes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const biome = join(root, 'node_modules/.bin/biome');

/**
 * Lints source placed at `path` (in a throwaway folder next to it, removed afterwards);
 * ok means no import rule fired. Biome's stdin mode does not report diagnostics, hence a real file.
 */
function lint(path: string, source: string): { ok: boolean; output: string } {
  const probeDir = join(root, dirname(path), `__probe_${process.pid}_${Math.random().toString(36).slice(2)}`);
  const file = join(probeDir, basename(path));
  mkdirSync(probeDir, { recursive: true });
  try {
    writeFileSync(file, source.replaceAll("'../", "'../../"));
    const result = spawnSync(biome, ['lint', file], { cwd: root, encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`;
    return { ok: !output.includes('noRestrictedImports'), output };
  } finally {
    rmSync(probeDir, { recursive: true, force: true });
  }
}

describe('import rules', () => {
  it('keeps the core free of I/O, drivers and outer layers', () => {
    expect(
      lint('src/core/agreements/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")
        .ok,
    ).toBe(false);
    expect(
      lint('src/core/agreements/probe.ts', "import { Kysely } from 'kysely';\nexport const x = Kysely;\n").ok,
    ).toBe(false);
    expect(
      lint(
        'src/core/agreements/probe.ts',
        "import { openDatabase } from '../../adapters/db/open';\nexport const x = openDatabase;\n",
      ).ok,
    ).toBe(false);
    expect(
      lint('src/core/agreements/probe.ts', "import { HutongError } from '../errors';\nexport const x = HutongError;\n")
        .ok,
    ).toBe(true);
  });

  it('keeps application services away from adapters', () => {
    const result = lint(
      'src/hub/probe.ts',
      "import { KyselyHubStore } from '../adapters/store/kysely-hub-store';\nexport const x = KyselyHubStore;\n",
    );
    expect(result.ok).toBe(false);
    expect(result.output).toContain('noRestrictedImports');
  });

  it('keeps the node and ledger services away from adapters too', () => {
    expect(
      lint(
        'src/node/probe.ts',
        "import { KyselyNodeStore } from '../adapters/store/kysely-node-store';\nexport const x = KyselyNodeStore;\n",
      ).ok,
    ).toBe(false);
    expect(
      lint(
        'src/ledger/probe.ts',
        "import { openDatabase } from '../adapters/db/open';\nexport const x = openDatabase;\n",
      ).ok,
    ).toBe(false);
  });

  it('keeps applications on the exchange client API', () => {
    const probe = 'src/apps/services/probe.ts';
    expect(
      lint(probe, "import { NodeService } from '../../node/node-service';\nexport const x = NodeService;\n").ok,
    ).toBe(false);
    expect(lint(probe, "import { HubService } from '../../hub/hub-service';\nexport const x = HubService;\n").ok).toBe(
      false,
    );
    expect(
      lint(probe, "import { openDatabase } from '../../adapters/db/open';\nexport const x = openDatabase;\n").ok,
    ).toBe(false);
    expect(
      lint(probe, "import { ExchangeClient } from '../../client/exchange-client';\nexport const x = ExchangeClient;\n")
        .ok,
    ).toBe(true);
    expect(lint(probe, "import { leafHash } from '../../core/ledger/merkle';\nexport const x = leafHash;\n").ok).toBe(
      true,
    );
  });

  it('keeps the client API free of the exchange internals', () => {
    expect(
      lint(
        'src/client/probe.ts',
        "import { NodeService } from '../node/node-service';\nexport const x = NodeService;\n",
      ).ok,
    ).toBe(false);
  });

  it('forbids importing a folder barrel', () => {
    expect(lint('src/hub/probe.ts', "import { x } from '../core/access/index';\nexport const y = x;\n").ok).toBe(false);
  });

  it('keeps adapters from reaching the composition root', () => {
    expect(
      lint(
        'src/adapters/http/probe.ts',
        "import { createHub } from '../../composition/hub';\nexport const x = createHub;\n",
      ).ok,
    ).toBe(false);
  });

  it('keeps adapters from the demo city’s datasets', () => {
    expect(
      lint(
        'src/adapters/node/probe.ts',
        "import { findResource } from '../../datasets/schema';\nexport const x = findResource;\n",
      ).ok,
    ).toBe(false);
  });

  it('keeps the console on HTTP only', () => {
    expect(
      lint(
        'web/src/probe.ts',
        "import { HubService } from '../../src/hub/hub-service';\nexport const x = HubService;\n",
      ).ok,
    ).toBe(false);
  });
});
