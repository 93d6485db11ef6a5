/** RFC 9457 problem+json as the API sends it, and the lookups the forms need. Pure. */

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  code?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status ?? '?'}`);
  }
}

/** Whatever came back (problem body, plain text, nothing) as a Problem. */
export function toProblem(body: unknown, status: number): Problem {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const errors = Array.isArray(b.errors)
      ? b.errors.filter(
          (e): e is FieldError => !!e && typeof e === 'object' && typeof (e as FieldError).field === 'string',
        )
      : undefined;
    return {
      status: typeof b.status === 'number' ? b.status : status,
      ...(typeof b.type === 'string' ? { type: b.type } : {}),
      ...(typeof b.code === 'string' ? { code: b.code } : {}),
      ...(typeof b.title === 'string' ? { title: b.title } : {}),
      ...(typeof b.detail === 'string' ? { detail: b.detail } : {}),
      ...(errors ? { errors } : {}),
    };
  }
  return { status, ...(typeof body === 'string' && body ? { detail: body } : {}) };
}

/**
 * The API names fields by where they sit (`body/lines/0/quantity`); forms name them by path (`lines.0.quantity`).
 * Only the `body/` and `querystring/` contexts are dropped: `params/percent` is a promotion's field, not a path parameter.
 */
export function fieldKey(apiField: string): string {
  return apiField
    .replace(/^\/?(body|querystring)\//, '')
    .replace(/^\//, '')
    .split('/')
    .join('.');
}

/**
 * The message for one form field, if the problem names it. With `nested`, errors of the parts a
 * field stands for count too (one text box for a promotion's tiers: `params.tiers.1.percent`).
 */
export function fieldError(problem: Problem | undefined, field: string, nested = false): string | undefined {
  const hit = problem?.errors?.find((e) => {
    const k = fieldKey(e.field);
    return k === field || (nested && k.startsWith(`${field}.`));
  });
  return hit
    ? nested && fieldKey(hit.field) !== field
      ? `${fieldKey(hit.field)}: ${hit.message}`
      : hit.message
    : undefined;
}

/** Whether a field (or, nested, one of its parts) is one the form shows. */
export function isShown(key: string, shown: readonly string[]): boolean {
  return shown.some((s) => key === s || key.startsWith(`${s}.`));
}

/** Field errors that no form field shows: they go with the problem's detail. */
export function unplacedErrors(problem: Problem | undefined, shown: readonly string[]): FieldError[] {
  return (problem?.errors ?? []).filter((e) => !isShown(fieldKey(e.field), shown));
}
