/**
 * What the OpenAPI documents must say of the routes the authorization matrix calls: every route is an
 * operation; every operation says what it answers on success (a JSON schema, or the media type of an answer
 * that is not JSON); and every status a route answered is documented, in the media type it came in.
 */

export interface OpenApiMedia {
  schema?: Record<string, unknown>;
}

export interface OpenApiOperation {
  security?: Record<string, string[]>[];
  responses?: Record<string, { content?: Record<string, OpenApiMedia> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** What the routes answered: route (`METHOD /url`) → status → media types (none for an empty answer). */
export type Observed = Map<string, Map<number, Set<string>>>;

export function observe(observed: Observed, route: string, status: number, contentType: string | null): void {
  const statuses = observed.get(route) ?? new Map<number, Set<string>>();
  observed.set(route, statuses);
  const types = statuses.get(status) ?? new Set<string>();
  statuses.set(status, types);
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType) types.add(mediaType);
}

export async function openApiOf(base: string): Promise<OpenApiDocument> {
  return (await (await fetch(`${base}/openapi.json`)).json()) as OpenApiDocument;
}

/** The operation of a route (Fastify's `:name` and `*` are OpenAPI's `{name}` and `{*}`). */
export function operationOf(spec: OpenApiDocument, route: string): OpenApiOperation | undefined {
  const [method, url] = route.split(' ') as [string, string];
  const path = url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{*}');
  return spec.paths[path]?.[method.toLowerCase()];
}

const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');
const hasSchema = (media: OpenApiMedia | undefined) => Object.keys(media?.schema ?? {}).length > 0;

/** Documented operations that do not say what they answer on success. */
export function missingSuccess(spec: OpenApiDocument): string[] {
  const gaps: string[] = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!methods.has(method)) continue;
      const route = `${method.toUpperCase()} ${path}`;
      const success = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      if (success.length === 0) gaps.push(`${route}: no success response`);
      for (const [status, response] of success) {
        const content = Object.entries(response.content ?? {});
        // No content is exactly what a 204 has.
        if (status === '204') {
          if (content.length > 0) gaps.push(`${route} ${status}: content on an empty answer`);
          continue;
        }
        if (content.length === 0) gaps.push(`${route} ${status}: no content`);
        for (const [mediaType, media] of content) {
          if (isJson(mediaType) && !hasSchema(media)) gaps.push(`${route} ${status} ${mediaType}: no schema`);
        }
      }
    }
  }
  return gaps;
}

/** Routes the document lacks, and statuses (in their media type) a route answered that it does not list. */
export function undocumented(spec: OpenApiDocument, routes: readonly string[], observed: Observed): string[] {
  const gaps: string[] = [];
  for (const route of routes) {
    const operation = operationOf(spec, route);
    if (!operation) {
      gaps.push(`${route}: not in the document`);
      continue;
    }
    for (const [status, mediaTypes] of observed.get(route) ?? []) {
      const response = operation.responses?.[String(status)];
      if (!response) {
        gaps.push(`${route}: answered ${status}, which it does not document`);
        continue;
      }
      const documented = Object.keys(response.content ?? {});
      for (const mediaType of mediaTypes) {
        if (!documented.includes(mediaType)) {
          gaps.push(`${route}: answered ${status} as ${mediaType}, documented as ${documented.join(', ') || 'empty'}`);
        }
      }
    }
  }
  return gaps;
}

/** How many operations document a success answer with content (a schema or a media type). */
export function documentedAnswers(spec: OpenApiDocument): number {
  let count = 0;
  for (const operations of Object.values(spec.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!methods.has(method)) continue;
      const success = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      if (success.some(([status, response]) => status === '204' || Object.keys(response.content ?? {}).length > 0)) {
        count++;
      }
    }
  }
  return count;
}
