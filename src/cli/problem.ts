/** A refusal or failure the CLI reports as `错误 <code>: <detail>` (with the HTTP status, if any) and exits on. */
export class CliProblem extends Error {
  constructor(
    readonly code: string,
    detail: string,
    private readonly options: { status?: number; exitCode?: number } = {},
  ) {
    super(detail);
  }

  /** The server's HTTP status; 0 when no server answered. */
  get status(): number {
    return this.options.status ?? 0;
  }

  get exitCode(): number {
    return this.options.exitCode ?? 2;
  }
}
