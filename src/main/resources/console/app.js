// The console's shell: sign-in, the pages by URL hash, and the live refresh of the page shown.
import * as api from './api.js';
import { h, clear, field, notice, errorText } from './dom.js';
import { topicsPage, topicPage } from './topics.js';
import { messagesPage } from './messages.js';
import { groupsPage, groupPage } from './groups.js';
import { brokersPage } from './brokers.js';
import { producePage } from './produce.js';
import { securityPage } from './security.js';

/** How often the page shown refreshes itself (ms); ?poll=N in the console's URL changes it. */
const POLL_MS = Math.max(250, Number(new URLSearchParams(location.search).get('poll')) || 5000);

const PAGES = {
  topics: (c) => (c.arg ? topicPage(c) : topicsPage(c)),
  messages: messagesPage,
  groups: (c) => (c.arg ? groupPage(c) : groupsPage(c)),
  brokers: brokersPage,
  produce: producePage,
  security: securityPage,
};

const view = document.getElementById('view');
const status = document.getElementById('status');
let current = null;
let authOn = false;

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const [page, ...rest] = path.split('/');
  return {
    page: PAGES[page] ? page : 'topics',
    arg: rest.length ? decodeURIComponent(rest.join('/')) : null,
    query: new URLSearchParams(query),
  };
}

export function go(hash) {
  location.hash = hash;
}

function showStatus(text) {
  clear(status);
  if (text) status.append(h('p', { class: 'notice error' }, text));
}

/** Refreshes the page shown, unless its last refresh is still running (each page has its own). */
async function refresh() {
  const page = current;
  if (!page || !page.refresh || page.refreshing || document.hidden) return;
  page.refreshing = true;
  try {
    await page.refresh();
    if (page === current) showStatus('');
  } catch (e) {
    if (e.status !== 401 && page === current) showStatus(errorText(e));
  } finally {
    page.refreshing = false;
  }
}

async function show() {
  if (current && current.dispose) current.dispose();
  current = null;
  showStatus('');
  const r = route();
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.page === r.page);
  }
  clear(view);
  current = PAGES[r.page]({ ...r, view, go, authOn, poll: POLL_MS }) || {};
  view.dataset.page = r.page;
  await refresh();
}

function showLogin(message) {
  if (current && current.dispose) current.dispose();
  current = null;
  document.getElementById('logout').hidden = true;
  document.getElementById('who').textContent = '';
  const mode = h('select', { name: 'mode', id: 'login-mode' },
    h('option', { value: 'password' }, 'User and password'),
    h('option', { value: 'key' }, 'API key'));
  const user = h('input', { name: 'user', id: 'login-user', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', id: 'login-password', type: 'password', autocomplete: 'current-password', required: true });
  const userLabel = h('span', {}, 'User');
  const passwordLabel = h('span', {}, 'Password');
  mode.addEventListener('change', () => {
    userLabel.textContent = mode.value === 'key' ? 'Key id (or leave empty and paste the rsk_ token)' : 'User';
    passwordLabel.textContent = mode.value === 'key' ? 'Secret or rsk_ token' : 'Password';
    user.required = mode.value !== 'key';
  });
  const out = h('div');
  const form = h('form', { class: 'card login', id: 'login' },
    h('h2', {}, 'Sign in'),
    h('p', { class: 'muted' }, 'This cluster has authentication on. Credentials stay in this tab only.'),
    h('label', { class: 'field' }, h('span', {}, 'With'), mode),
    h('label', { class: 'field' }, userLabel, user),
    h('label', { class: 'field' }, passwordLabel, password),
    h('button', { type: 'submit', id: 'login-submit' }, 'Sign in'),
    out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const secret = password.value;
    const credentials = mode.value === 'key' && !user.value && secret.startsWith('rsk_')
      ? api.bearer(secret)
      : api.basicCredentials(user.value, secret);
    try {
      await api.call('/v3/clusters', { auth: credentials });
      api.signIn(credentials);
      started(mode.value === 'key' ? `key ${user.value || secret.split('_')[1] || ''}` : user.value);
    } catch (e) {
      notice(out, 'error', e.status === 401 ? 'Wrong credentials.' : errorText(e));
    }
  });
  clear(view).append(form);
  view.dataset.page = 'login';
  if (message) notice(out, 'error', message);
  user.focus();
}

function started(who) {
  document.getElementById('nav-security').hidden = !authOn;
  const logout = document.getElementById('logout');
  logout.hidden = !authOn;
  document.getElementById('who').textContent = authOn && who ? `Signed in: ${who}` : '';
  if (who) sessionStorage.setItem('rowstream.who', who);
  show();
}

async function start() {
  api.onUnauthenticated(() => {
    authOn = true;
    api.signOut();
    if (view.dataset.page !== 'login') showLogin('Your session ended or was refused: sign in again.');
  });
  document.getElementById('logout').addEventListener('click', () => {
    api.signOut();
    sessionStorage.removeItem('rowstream.who');
    showLogin();
  });
  window.addEventListener('hashchange', () => {
    if (api.authorization() || !authOn) show();
  });
  document.addEventListener('visibilitychange', refresh);
  setInterval(refresh, POLL_MS);
  authOn = Boolean(api.authorization());
  try {
    await api.call('/v3/clusters', { auth: api.authorization() });
  } catch (e) {
    if (e.status === 401) {
      authOn = true;
      api.signOut();
      showLogin();
      return;
    }
    showStatus(errorText(e));
  }
  started(sessionStorage.getItem('rowstream.who'));
}

start();
