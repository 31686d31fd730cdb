// Security (with authentication on): ACL bindings, users and API keys.
import * as api from './api.js';
import { h, clear, table, card, field, button, notice, errorText, time, select, replace } from './dom.js';

const RESOURCE_TYPES = ['TOPIC', 'GROUP', 'CLUSTER'];
const PATTERN_TYPES = ['LITERAL', 'PREFIXED'];
const OPERATIONS = ['READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'ALL'];
const PERMISSIONS = ['ALLOW', 'DENY'];

function form(id, children, submit) {
  const f = h('form', { class: 'inline-form', id }, children);
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit();
  });
  return f;
}

export function securityPage({ view }) {
  const acls = h('div', { id: 'acls' });
  const users = h('div', { id: 'users' });
  const keys = h('div', { id: 'api-keys' });
  const aclOut = h('div');
  const userOut = h('div');
  const keyOut = h('div', { id: 'api-key-result' });

  const acl = {
    resource_type: select('resource_type', RESOURCE_TYPES, 'TOPIC'),
    resource_name: h('input', { name: 'resource_name', id: 'acl-resource', required: true, placeholder: 'orders or *' }),
    pattern_type: select('pattern_type', PATTERN_TYPES, 'LITERAL'),
    principal: h('input', { name: 'principal', id: 'acl-principal', required: true, placeholder: 'User:alice' }),
    operation: select('operation', OPERATIONS, 'READ'),
    permission: select('permission', PERMISSIONS, 'ALLOW'),
  };
  const aclForm = form('acl-create', [
    field('Resource', acl.resource_type), field('Name', acl.resource_name), field('Pattern', acl.pattern_type),
    field('Principal', acl.principal), field('Operation', acl.operation), field('Permission', acl.permission),
    h('button', { type: 'submit' }, 'Add ACL')], async () => {
    const body = Object.fromEntries(Object.entries(acl).map(([k, input]) => [k, input.value]));
    body.host = '*';
    try {
      await api.v3('/acls', { method: 'POST', body });
      notice(aclOut, 'ok', 'ACL added.');
      await page.refresh();
    } catch (e) {
      notice(aclOut, 'error', errorText(e));
    }
  });

  const userName = h('input', { name: 'name', id: 'user-name', required: true, autocomplete: 'off' });
  const userPassword = h('input', { name: 'password', id: 'user-password', type: 'password', required: true, autocomplete: 'new-password' });
  const userForm = form('user-create', [field('User', userName), field('Password', userPassword), h('button', { type: 'submit' }, 'Create or set password')], async () => {
    try {
      await api.v3('/users', { method: 'POST', body: { name: userName.value, password: userPassword.value } });
      notice(userOut, 'ok', `User ${userName.value} saved.`);
      userPassword.value = '';
      await page.refresh();
    } catch (e) {
      notice(userOut, 'error', errorText(e));
    }
  });

  const keyPrincipal = h('input', { name: 'principal', id: 'key-principal', required: true, placeholder: 'alice' });
  const keyDescription = h('input', { name: 'description', id: 'key-description', placeholder: 'what it is for' });
  const keyForm = form('api-key-create', [field('For user', keyPrincipal), field('Description', keyDescription), h('button', { type: 'submit' }, 'Create API key')], async () => {
    try {
      const key = await api.v3('/api-keys', { method: 'POST', body: { principal: keyPrincipal.value, description: keyDescription.value } });
      clear(keyOut).append(h('div', { class: 'notice ok' },
        h('p', {}, `Key ${key.key_id} for ${key.principal}. Its token is shown this once:`),
        h('code', { class: 'token', id: 'api-key-token' }, key.token)));
      await page.refresh();
    } catch (e) {
      notice(keyOut, 'error', errorText(e));
    }
  });

  view.append(h('h1', {}, 'Security'),
    card('ACLs', acls, aclForm, aclOut),
    card('Users', users, userForm, userOut),
    card('API keys', keys, keyForm, keyOut));

  async function remove(out, path, what) {
    try {
      await api.v3(path, { method: 'DELETE' });
      notice(out, 'ok', `${what} deleted.`);
      await page.refresh();
    } catch (e) {
      notice(out, 'error', errorText(e));
    }
  }

  const page = {
    async refresh() {
      const [aclList, userList, keyList] = await Promise.all([api.v3('/acls'), api.v3('/users'), api.v3('/api-keys')]);
      replace(acls, table('acls', [
        { title: 'Principal', cell: (a) => a.principal },
        { title: 'Permission', cell: (a) => a.permission },
        { title: 'Operation', cell: (a) => a.operation },
        { title: 'Resource', cell: (a) => `${a.resource_type} ${a.resource_name}${a.pattern_type === 'PREFIXED' ? '*' : ''}` },
        { title: 'Host', cell: (a) => a.host },
        { title: '', cell: (a) => button('Delete', () => {
          const q = new URLSearchParams({ resource_type: a.resource_type, resource_name: a.resource_name, pattern_type: a.pattern_type, principal: a.principal, host: a.host, operation: a.operation, permission: a.permission });
          remove(aclOut, `/acls?${q}`, 'ACL');
        }, { class: 'small secondary' }) },
      ], aclList.data, { key: (a) => `${a.principal} ${a.operation} ${a.resource_type}:${a.resource_name}`, empty: 'No ACLs: only super users may act.' }));
      replace(users, table('users', [
        { title: 'User', cell: (u) => u.name },
        { title: 'Principal', cell: (u) => h('code', {}, u.principal) },
        { title: 'Created', cell: (u) => time(u.created_at) },
        { title: '', cell: (u) => button('Delete', () => remove(userOut, `/users/${api.enc(u.name)}`, `User ${u.name}`), { class: 'small secondary' }) },
      ], userList.data, { key: (u) => u.name }));
      replace(keys, table('api-keys', [
        { title: 'Key id', cell: (k) => h('code', {}, k.key_id) },
        { title: 'Principal', cell: (k) => k.principal },
        { title: 'Description', cell: (k) => k.description || '—' },
        { title: 'Expires', cell: (k) => (k.expires_at ? time(k.expires_at) : 'never') },
        { title: 'Created', cell: (k) => time(k.created_at) },
        { title: '', cell: (k) => button('Delete', () => remove(keyOut, `/api-keys/${api.enc(k.key_id)}`, `API key ${k.key_id}`), { class: 'small secondary' }) },
      ], keyList.data, { key: (k) => k.key_id, empty: 'No API keys.' }));
    },
  };
  return page;
}
