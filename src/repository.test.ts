/**
 * What a newcomer meets before any code runs. A fresh `npm install` on the Node.js the project supports
 * (package.json `engines`, Node 20) warns about no package: every package the lock file installs accepts
 * that version, so an upgrade that pulls in a package for Node ≥ 22 fails here, not on a city's server.
 * And every relative link in the repository's documents leads to a file inside the repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean; os?: string[] }>;
};

describe('install on the supported Node.js', () => {
  it('installs only packages that accept the oldest supported Node.js and this machine’s', () => {
    const supported = [semver.minVersion(manifest.engines.node)?.version as string, process.version];
    const refusing = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (!path || !range) return [];
      return supported.filter((version) => !semver.satisfies(version, range)).map((v) => `${path} (${range}) ✗ ${v}`);
    });
    expect(refusing).toEqual([]);
  });
});

describe('install progress', () => {
  it('shows dependencies’ install scripts (the native build) instead of minutes of silence', () => {
    const npmrc = readFileSync(new URL('../.npmrc', import.meta.url), 'utf8');
    expect(npmrc).toMatch(/^foreground-scripts\s*=\s*true$/m);
  });
});

describe('documents', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const documents = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => file !== '' && existsSync(join(root, file)));

  it('link only to files that exist inside the repository', () => {
    expect(documents.length).toBeGreaterThan(10);
    const broken: string[] = [];
    for (const file of documents) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#)/.test(target as string)) continue;
        const path = resolve(root, dirname(file), (target as string).split('#')[0] as string);
        if (relative(root, path).startsWith('..') || !existsSync(path)) broken.push(`${file} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
