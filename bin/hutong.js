#!/usr/bin/env node
// The `hutong` command. Runs the build in dist/cli (made by `npm install` through `prepare`) when it is
// newer than every source it was built from; otherwise the TypeScript sources through tsx, so a developer's
// edit takes effect without a build. HUTONG_CLI_FROM_SOURCE=1 forces the sources.
import { readFileSync, statSync } from 'node:fs';

function builtIsCurrent() {
  if (process.env.HUTONG_CLI_FROM_SOURCE === '1') return false;
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(new URL('../dist/cli/inputs.json', import.meta.url), 'utf8'));
    return inputs.every((file) => statSync(new URL(`../${file}`, import.meta.url)).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}

if (builtIsCurrent()) {
  const { main } = await import('../dist/cli/main.js');
  await main(process.argv);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  await main(process.argv);
}
