// The public HTTP API, called with the signed-in user's credentials. The credentials live in
// sessionStorage only (gone when the tab closes); requests never send cookies or let the browser
// prompt for a password (credentials: 'omit'), the Authorization header is set here.

const KEY = 'rowstream.authorization';
export const BINARY = 'application/vnd.kafka.binary.v2+json';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let clusterId = null;
/** Signed out of a cluster with authentication on: calls wait for the next sign-in. */
let signedOut = false;
const listeners = new Set();

export function onUnauthenticated(listener) {
  listeners.add(listener);
}

export function authorization() {
  return sessionStorage.getItem(KEY);
}

export function signIn(value) {
  sessionStorage.setItem(KEY, value);
  clusterId = null;
  signedOut = false;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  clusterId = null;
  signedOut = true;
}

function base64Utf8(text) {
  return bytesToBase64(new TextEncoder().encode(text));
}

export function bytesToBase64(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function base64ToBytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** HTTP Basic for a user and password, or an API key's id and secret (or its whole rsk_ token). */
export function basicCredentials(user, password) {
  return 'Basic ' + base64Utf8(`${user}:${password}`);
}

export function bearer(token) {
  return 'Bearer ' + token;
}

/** At most this many requests in flight: a page's refresh fans out, a node checks passwords one at a time. */
const MAX_IN_FLIGHT = 4;
/** A read refused with 429 is tried again this often, after the Retry-After the node asks for (at most 3 s). */
const RETRIES = 3;
let inFlight = 0;
const waiting = [];

async function slot() {
  if (inFlight >= MAX_IN_FLIGHT) await new Promise((resolve) => waiting.push(resolve));
  inFlight++;
}

function release() {
  inFlight--;
  const next = waiting.shift();
  if (next) next();
}

async function send(path, init) {
  for (let attempt = 0; ; attempt++) {
    await slot();
    let response;
    try {
      response = await fetch(path, init);
    } finally {
      release();
    }
    if (response.status !== 429 || init.method !== 'GET' || attempt >= RETRIES) return response;
    const seconds = Math.min(3, Number(response.headers.get('Retry-After')) || 1);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}

/** Calls the API; answers the parsed JSON body (null for none), or throws an ApiError. */
export async function call(path, { method = 'GET', body, accept = 'application/json', contentType, auth } = {}) {
  if (signedOut && auth === undefined) throw new ApiError(401, 40101, 'Signed out: sign in again.');
  const headers = { Accept: accept };
  const credentials = auth === undefined ? authorization() : auth;
  if (credentials) headers.Authorization = credentials;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = contentType || 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await send(path, { method, headers, body: payload, credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 0, 'The node does not answer: ' + e.message);
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    const code = json && json.error_code ? json.error_code : response.status;
    const message = json && json.message ? json.message : `${response.status} ${response.statusText}`;
    const error = new ApiError(response.status, code, message);
    if (response.status === 401 && auth === undefined) listeners.forEach((l) => l(error));
    throw error;
  }
  return json;
}

/** The cluster's id (one per cluster), read once per sign-in. */
export async function cluster() {
  if (!clusterId) {
    const list = await call('/v3/clusters');
    clusterId = list.data[0].cluster_id;
  }
  return clusterId;
}

/** A v3 path under the cluster: v3('/topics') is /v3/clusters/{id}/topics. */
export async function v3(path, options) {
  return call(`/v3/clusters/${encodeURIComponent(await cluster())}${path}`, options);
}

export function enc(name) {
  return encodeURIComponent(name);
}
