/** Where a command writes (stdout, stderr), so tests drive handlers without spawning a process. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const consoleOutput: Output = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

export const DEFAULT_DATA_DIR = '.hutong';
