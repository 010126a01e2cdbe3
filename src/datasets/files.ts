/**
 * Writes the synthetic city as one UTF-8 CSV per resource, streaming rows from the pure generator through
 * small per-file buffers, so memory stays flat even for the large city.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCsvRow } from './csv';
import { type CityScale, type GenerationCounts, generateCity } from './generator';
import { RESOURCES, type ResourceCode } from './schema';

const FLUSH_AT = 1 << 16;

/** Buffered writers for the 14 resource files of one directory. */
export class ResourceFileWriter {
  private readonly fds = new Map<string, number>();
  private readonly buffers = new Map<string, string>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const r of RESOURCES) {
      const fd = openSync(join(dir, `${r.code}.csv`), 'w', 0o600);
      this.fds.set(r.code, fd);
      this.buffers.set(r.code, encodeCsvRow(r.columns.map((c) => c.name)));
    }
  }

  write(resource: ResourceCode, cells: readonly string[]): void {
    const buf = (this.buffers.get(resource) as string) + encodeCsvRow(cells);
    if (buf.length >= FLUSH_AT) {
      writeSync(this.fds.get(resource) as number, buf);
      this.buffers.set(resource, '');
    } else {
      this.buffers.set(resource, buf);
    }
  }

  close(): void {
    for (const [code, fd] of this.fds) {
      const buf = this.buffers.get(code) as string;
      if (buf) writeSync(fd, buf);
      closeSync(fd);
    }
    this.fds.clear();
  }
}

export function writeCityFiles(outDir: string, options: { seed: number; scale: CityScale }): GenerationCounts {
  const writer = new ResourceFileWriter(outDir);
  try {
    return generateCity(options, (r, cells) => writer.write(r, cells));
  } finally {
    writer.close();
  }
}
