// Every call the console makes goes to the gateway's /api with the signed-in key in the X-API-Key
// header (never in a URL). An answer that is not a success becomes a sentence a person can act on.

import {key, who} from './session.js';

/** A failed call: the sentence to show, and the HTTP status (0: no answer) and body. */
export class ApiError extends Error {
  constructor(message, status, data) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

let unauthorizedHandler = () => {};

/** What to do when the gateway stops accepting the signed-in key (401 during a session). */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/**
 * Calls the gateway: {status, ok, data (parsed JSON or null), text, contentType}. Throws ApiError
 * only when there is no answer at all (the gateway is down or unreachable).
 */
export async function call(method, path, {body, apiKey} = {}) {
  const headers = {'X-API-Key': apiKey ?? key() ?? ''};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit'});
  } catch (network) {
    throw new ApiError(`The gateway did not answer (${network.message}). Is it running?`, 0, null);
  }
  const contentType = response.headers.get('Content-Type') || '';
  const text = await response.text();
  let data = null;
  if (contentType.includes('json') && text) {
    try {
      data = JSON.parse(text);
    } catch (notJson) {
      data = null;
    }
  }
  const result = {status: response.status, ok: response.ok, data, text, contentType};
  if (response.status === 401 && apiKey === undefined) {
    unauthorizedHandler(explain(result));
  }
  return result;
}

/** GET that answers the data, or throws ApiError with the sentence to show. */
export async function get(path) {
  const result = await call('GET', path);
  if (!result.ok) {
    throw new ApiError(explain(result), result.status, result.data);
  }
  return result.data ?? result.text;
}

/** A sentence for an answer that is not a success. */
export function explain(result) {
  const said = result.data && typeof result.data.error === 'string' ? result.data.error : '';
  const because = said ? `: ${said}` : '';
  switch (result.status) {
    case 400:
      return `The gateway refused the request (400)${because}.`;
    case 401:
      return `The gateway did not accept this API key (401)${because}. Check the key and sign in again.`;
    case 403: {
      const identity = who();
      return `Refused (403): the key ${identity ? `"${identity.name}" ` : ''}may not do this${because}. Nothing changed.`;
    }
    case 404:
      return `Not found (404)${because}.`;
    case 409: {
      // the payout as it is: {"error", "payout": outcome} (or the outcome itself)
      const payout = result.data && (result.data.payout || result.data);
      const status = payout && typeof payout.status === 'string' ? ` The payout is ${payout.status} now.` : '';
      return `Not possible now (409)${because}.${status} Nothing changed.`;
    }
    default:
      return result.status >= 500 ? `The gateway answered ${result.status}${because}.`
        : `Unexpected answer ${result.status}${because}.`;
  }
}

/** A path segment (a reference or a batch id) as a URL piece. */
export function segment(text) {
  return encodeURIComponent(text);
}

/** Downloads an /api answer (CSV) that needs the key, as a file named `name`. */
export async function download(path, name) {
  const result = await call('GET', path);
  if (!result.ok) {
    throw new ApiError(explain(result), result.status, result.data);
  }
  save(result.text, name, result.contentType || 'text/csv');
}

/** Saves text as a file in the browser's downloads. */
export function save(text, name, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
