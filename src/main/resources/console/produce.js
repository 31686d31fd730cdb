// Produce a test record: topic, partition (or by key), key, value, headers.
import * as api from './api.js';
import { h, clear, card, field, button, notice, errorText, select, replace } from './dom.js';

export function producePage({ view, query }) {
  let topic = query.get('topic') || '';
  const topicHolder = h('span');
  const partition = h('input', { name: 'partition', id: 'produce-partition', type: 'number', min: 0, placeholder: 'by key' });
  const keyType = select('key_type', [['STRING', 'Text'], ['JSON', 'JSON'], ['BINARY', 'Base64']], 'STRING');
  const valueType = select('value_type', [['JSON', 'JSON'], ['STRING', 'Text'], ['BINARY', 'Base64']], 'JSON');
  keyType.id = 'produce-key-type';
  valueType.id = 'produce-value-type';
  const key = h('input', { name: 'key', id: 'produce-key', placeholder: 'none' });
  const value = h('textarea', { name: 'value', id: 'produce-value', rows: 5 }, '{"hello": "world"}');
  const headers = h('div', { id: 'produce-headers', class: 'rows' });
  const out = h('div', { id: 'produce-result' });

  function addHeader() {
    const row = h('div', { class: 'header-row' },
      h('input', { name: 'header-name', placeholder: 'name', 'aria-label': 'header name' }),
      h('input', { name: 'header-value', placeholder: 'value (text)', 'aria-label': 'header value' }),
      button('Remove', () => row.remove(), { class: 'small secondary' }));
    headers.append(row);
  }

  function data(type, text) {
    if (type === 'JSON') return JSON.parse(text);
    return text;
  }

  const form = h('form', { id: 'produce' },
    h('div', { class: 'inline-form top' }, field('Topic', topicHolder), field('Partition', partition, 'empty: chosen by key'),
      field('Key as', keyType), field('Key', key, 'empty: no key'), field('Value as', valueType)),
    field('Value', value),
    h('h3', {}, 'Headers'), headers, button('Add header', addHeader, { class: 'secondary small', id: 'produce-add-header' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'produce-send' }, 'Send')),
    out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const record = {};
    try {
      if (partition.value !== '') record.partition_id = Number(partition.value);
      if (key.value !== '') record.key = { type: keyType.value, data: data(keyType.value, key.value) };
      record.value = { type: valueType.value, data: data(valueType.value, value.value) };
    } catch (e) {
      notice(out, 'error', `Not JSON: ${e.message}`);
      return;
    }
    record.headers = Array.from(headers.children).map((row) => {
      const [name, v] = row.querySelectorAll('input');
      return { name: name.value, value: api.bytesToBase64(new TextEncoder().encode(v.value)) };
    }).filter((x) => x.name);
    const pick = topicHolder.querySelector('select');
    try {
      const answer = await api.v3(`/topics/${api.enc(pick.value)}/records`, { method: 'POST', body: record });
      if (answer.error_code && answer.error_code !== 200) throw Object.assign(new Error(answer.message), { code: answer.error_code });
      clear(out).append(h('p', { class: 'notice ok' },
        `Sent to ${pick.value}-${answer.partition_id} at offset ${answer.offset}. `,
        h('a', { href: `#/messages?topic=${api.enc(pick.value)}&partition=${answer.partition_id}&offset=${answer.offset}&count=1`, id: 'produce-see' }, 'See it')));
    } catch (e) {
      notice(out, 'error', errorText(e));
    }
  });
  view.append(h('h1', {}, 'Produce a record'), card(null, form));

  (async () => {
    const topics = (await api.v3('/topics')).data.map((t) => t.topic_name).sort();
    if (!topic && topics.length) topic = topics[0];
    const pick = select('topic', topics, topic);
    pick.id = 'produce-topic';
    replace(topicHolder, pick);
  })().catch((e) => notice(out, 'error', errorText(e)));
  return {};
}
