/** A small typed client for the hub API used by the CLI; errors surface as the server's problem code. */
import { decodeProblem } from '../core/problem';
import { CliProblem } from './problem';

export class HubClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(`/api/v1${path}`, this.baseUrl), {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (!response.ok) {
      const problem = decodeProblem(response.status, text, response.statusText);
      throw new CliProblem(problem.code, problem.detail, { status: problem.status });
    }
    return JSON.parse(text) as T;
  }
}
