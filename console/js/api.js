// Calls to the API (same origin): credentials on every request, an Idempotency-Key on every POST, an
// If-Match on an edit of a versioned resource, and problem+json errors turned into ApiError with the
// API's own detail (and the problem itself, whose `errors` form.js shows beside the fields).
import { credentials } from './credentials.js';
import { t } from './i18n.js';

/** What the user reads: the API's own detail, with what to do about a missing key or role. */
function messageOf(status, problem) {
  const detail = problem?.detail || problem?.title || `HTTP ${status}`;
  if (status === 401) return t('unauthorized');
  if (status === 403) return `${t('forbidden')} ${detail}`;
  return detail;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(messageOf(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

/** A random Idempotency-Key; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newIdempotencyKey() {
  if (crypto.randomUUID) return `console-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function headers(extra = {}) {
  const { actor, apiKey } = credentials();
  return {
    Accept: 'application/json, application/problem+json',
    ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}),
    ...(actor ? { 'X-Actor': actor } : {}),
    ...extra,
  };
}

async function request(method, path, { body, idempotencyKey, ifMatch, withEtag = false } = {}) {
  const init = { method, headers: headers(), cache: 'no-store' };
  if (method === 'POST' || method === 'PATCH' || method === 'PUT') {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }
  if (method === 'POST') init.headers['Idempotency-Key'] = idempotencyKey ?? newIdempotencyKey();
  if (ifMatch) init.headers['If-Match'] = ifMatch;
  let res;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, {
      detail: t('networkError', { message: err instanceof Error ? err.message : String(err) }),
    });
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return withEtag ? { body: json, etag: res.headers.get('ETag') } : json;
}

export const get = (path) => request('GET', path);

/** null for a 404 (nothing there yet: no profile, no timeline, no evaluation), the body otherwise. */
export async function orNull(promise) {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** GET that also returns the resource's ETag, for an edit that must not overwrite a newer one. */
export const getWithEtag = (path) => request('GET', path, { withEtag: true });
export const post = (path, body, idempotencyKey) => request('POST', path, { body, idempotencyKey });
/** PATCH with `If-Match: <etag>`: a 412 (ApiError) when someone else changed it since it was read. */
/** PUT of a whole versioned document (PUT /contact-policy): If-Match names the version edited. */
export const put = (path, body, ifMatch) => request('PUT', path, { body, ifMatch, withEtag: true });
export const patch = (path, body, ifMatch) => request('PATCH', path, { body, ifMatch, withEtag: true });
