/** For tests, which assert on error codes, never on messages: the code a call throws. */
type Coded = abstract new (...args: never[]) => Error & { code: string };

/** The code of the `errorClass` error `run` throws, or `none` ('ok' unless given) if it throws nothing; any other error is rethrown. */
export function thrownCode(errorClass: Coded, run: () => unknown): string;
export function thrownCode<None>(errorClass: Coded, run: () => unknown, none: None): string | None;
export function thrownCode(errorClass: Coded, run: () => unknown, ...none: unknown[]): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof errorClass) return error.code;
    throw error;
  }
  return none.length > 0 ? none[0] : 'ok';
}

/** The same for an async call. */
export async function rejectedCode(errorClass: Coded, run: () => Promise<unknown>, none = 'ok'): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof errorClass) return error.code;
    throw error;
  }
  return none;
}
