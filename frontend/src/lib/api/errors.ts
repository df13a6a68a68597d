// The one error type the UI handles. Go rejects every bound call with
// {code, key, message, field?, params?}; anything else (a JS TypeError, a
// plain string) becomes an internal error so the UI never shows raw text as a rule.

export const ERROR_CODES = ['invalid', 'not_found', 'conflict', 'internal', 'unavailable', 'newer_schema', 'transient', 'rate_limited', 'auth'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorInit {
  code: string;
  key?: string;
  message?: string;
  field?: string;
  params?: Record<string, string>;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly key: string;
  readonly field: string | undefined;
  readonly params: Record<string, string>;

  constructor(init: ApiErrorInit) {
    super(init.message ?? init.key ?? init.code);
    this.name = 'ApiError';
    this.code = (ERROR_CODES as readonly string[]).includes(init.code) ? (init.code as ErrorCode) : 'internal';
    this.key = init.key || this.code;
    this.field = init.field || undefined;
    this.params = { ...(init.params ?? {}) };
  }
}

function isErrorShape(v: unknown): v is ApiErrorInit {
  return v !== null && typeof v === 'object' && typeof (v as { code?: unknown }).code === 'string';
}

/** Turns whatever a Wails promise rejected with into an ApiError. */
export function toApiError(raw: unknown): ApiError {
  if (raw instanceof ApiError) return raw;
  if (isErrorShape(raw)) return new ApiError(raw);
  if (typeof raw === 'string') {
    // Older runtimes hand the formatted error over as a JSON string.
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isErrorShape(parsed)) return new ApiError(parsed);
    } catch {
      /* not JSON: a plain message */
    }
    return new ApiError({ code: 'internal', key: 'internal', message: raw });
  }
  if (raw instanceof Error) {
    // The Wails runtime wraps the rejection in an Error; our bridge (callback.ts)
    // or a string-returning ErrorFormatter leaves the object as JSON in its message.
    try {
      const parsed: unknown = JSON.parse(raw.message);
      if (isErrorShape(parsed)) return new ApiError(parsed);
    } catch {
      /* a plain JS error */
    }
    return new ApiError({ code: 'internal', key: 'internal', message: raw.message });
  }
  return new ApiError({ code: 'internal', key: 'internal', message: String(raw) });
}

type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * The translated message for an error: by key, else by code, else the
 * generic one. `has` says whether a key exists in the catalogue.
 * Network ids in params are shown by their display names.
 */
export function errorMessage(err: ApiError, tr: Translate, has: (key: string) => boolean): string {
  const params: Record<string, string> = { ...err.params };
  if (params.network && has(`network.${params.network}`)) params.network = tr(`network.${params.network}`);
  if (has(`err.${err.key}`)) return tr(`err.${err.key}`, params);
  if (has(`err.code.${err.code}`)) return tr(`err.code.${err.code}`, params);
  return tr('err.code.internal');
}
