// The message browser: a partition's records from an offset, from a time or the latest ones, each
// key and value shown as JSON, text or hex; export of the records shown as JSON.
import * as api from './api.js';
import { h, clear, table, card, field, button, notice, errorText, number, time, select, replace } from './dom.js';
import { partitionsOf } from './topics.js';

const MAX_BYTES = 1024 * 1024;
const MAX_READS = 20;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text when they are UTF-8, else null. */
function text(bytes) {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** How bytes look in a format: 'json' (pretty when they parse, else text), 'text' or 'hex'. */
export function show(bytes, format) {
  if (bytes === null) return null;
  if (format === 'hex') return hex(bytes);
  const t = text(bytes);
  if (t === null) return hex(bytes);
  if (format === 'json') {
    try {
      return JSON.stringify(JSON.parse(t), null, 2);
    } catch {
      return t;
    }
  }
  return t;
}

/** The value exported for bytes in a format: parsed JSON where it parses, else the shown text. */
function exported(bytes, format) {
  if (bytes === null) return null;
  if (format === 'json') {
    const t = text(bytes);
    try {
      return JSON.parse(t);
    } catch {
      return show(bytes, format);
    }
  }
  return show(bytes, format);
}

function decode(record) {
  return {
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: record.key === null ? null : api.base64ToBytes(record.key),
    value: record.value === null ? null : api.base64ToBytes(record.value),
    headers: (record.headers || []).map((x) => ({ name: x.name, value: x.value === null ? null : api.base64ToBytes(x.value) })),
  };
}

/** Reads records of a partition from an offset (or a time) until count or the log end. */
async function read(topic, partition, start, count, end) {
  const records = [];
  let query = start;
  for (let i = 0; i < MAX_READS && records.length < count; i++) {
    const batch = await api.call(`/topics/${api.enc(topic)}/partitions/${partition}/records?${query}&max_bytes=${MAX_BYTES}`, { accept: api.BINARY });
    if (batch.length === 0) break;
    records.push(...batch);
    const next = batch[batch.length - 1].offset + 1;
    if (next >= end) break;
    query = `offset=${next}`;
  }
  return records.slice(0, count).map(decode);
}

function localInput(ms) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 19);
}

export function messagesPage({ view, query }) {
  const state = {
    topic: query.get('topic') || '',
    partition: Number(query.get('partition') || 0),
    mode: query.get('offset') !== null ? 'offset' : query.get('time') !== null ? 'time' : 'latest',
    offset: query.get('offset') || '0',
    time: query.get('time') ? Number(query.get('time')) : Date.now() - 3600_000,
    count: Number(query.get('count') || 50),
    format: 'json',
    records: [],
  };
  const topicHolder = h('span');
  const partitionHolder = h('span');
  const modePick = select('mode', [['latest', 'Latest'], ['offset', 'From offset'], ['time', 'From time']], state.mode, () => {
    state.mode = modePick.value;
    modeFields();
  });
  modePick.id = 'browse-mode';
  const offsetInput = h('input', { name: 'offset', id: 'browse-offset', type: 'number', min: 0, value: state.offset });
  const timeInput = h('input', { name: 'time', id: 'browse-time', type: 'datetime-local', step: 1, value: localInput(state.time) });
  const countInput = h('input', { name: 'count', id: 'browse-count', type: 'number', min: 1, max: 10000, value: String(state.count) });
  const offsetField = field('Offset', offsetInput);
  const timeField = field('Time (this browser\u2019s zone)', timeInput);
  const out = h('div');
  const results = h('div', { id: 'records' });
  const summary = h('p', { class: 'muted', id: 'records-summary' });
  const formats = h('div', { class: 'toggle', role: 'group', 'aria-label': 'Show keys and values as' },
    ['json', 'text', 'hex'].map((f) => button(f === 'json' ? 'JSON' : f === 'text' ? 'Text' : 'Hex', () => {
      state.format = f;
      for (const b of formats.children) b.classList.toggle('active', b.dataset.format === f);
      render();
    }, { dataset: { format: f }, class: f === 'json' ? 'active' : '' })));
  const exportLink = h('a', { class: 'button secondary', id: 'export', download: 'records.json', 'aria-disabled': 'true' }, 'Export JSON');

  function modeFields() {
    offsetField.hidden = state.mode !== 'offset';
    timeField.hidden = state.mode !== 'time';
  }
  modeFields();

  const form = h('form', { class: 'inline-form', id: 'browse' },
    field('Topic', topicHolder), field('Partition', partitionHolder), field('Read', modePick),
    offsetField, timeField, field('Records', countInput), h('button', { type: 'submit', id: 'browse-load' }, 'Load'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load();
  });
  view.append(h('h1', {}, 'Messages'), card(null, form, out), card(null, h('div', { class: 'bar' }, formats, exportLink), summary, results));

  async function topicChoices() {
    const topics = (await api.v3('/topics')).data.map((t) => t.topic_name).sort();
    if (!state.topic && topics.length) state.topic = topics[0];
    const pick = select('topic', topics, state.topic, async () => {
      state.topic = pick.value;
      state.partition = 0;
      await partitionChoices();
    });
    pick.id = 'browse-topic';
    replace(topicHolder, pick);
    await partitionChoices();
  }

  async function partitionChoices() {
    const parts = state.topic ? await partitionsOf(state.topic) : [];
    const pick = select('partition', parts.map((p) => [p.partition_id, `${p.partition_id} (offsets ${p.log_start_offset}–${p.log_end_offset})`]), state.partition, () => {
      state.partition = Number(pick.value);
    });
    pick.id = 'browse-partition';
    replace(partitionHolder, pick);
    return parts;
  }

  async function load() {
    clear(out);
    clear(results);
    summary.textContent = 'Loading…';
    state.count = Math.max(1, Number(countInput.value) || 50);
    try {
      const parts = await partitionChoices();
      const p = parts.find((x) => x.partition_id === state.partition);
      if (!p) throw new Error(`${state.topic} has no partition ${state.partition}`);
      let start;
      if (state.mode === 'latest') start = `offset=${Math.max(p.log_start_offset, p.log_end_offset - state.count)}`;
      else if (state.mode === 'offset') start = `offset=${Math.max(p.log_start_offset, Number(offsetInput.value) || 0)}`;
      else start = `timestamp=${new Date(timeInput.value).getTime()}`;
      state.records = await read(state.topic, state.partition, start, state.count, p.log_end_offset);
      render();
    } catch (e) {
      notice(out, 'error', errorText(e));
    }
  }

  function cell(bytes) {
    const shown = show(bytes, state.format);
    return shown === null ? h('span', { class: 'muted' }, 'null') : h('pre', {}, shown);
  }

  function render() {
    summary.textContent = state.records.length === 0
      ? 'No records there.'
      : `${state.records.length} records of ${state.topic}-${state.partition}, offsets ${state.records[0].offset}–${state.records[state.records.length - 1].offset}.`;
    replace(results, table('records', [
      { title: 'Offset', class: 'num', cell: (r) => number(r.offset) },
      { title: 'Timestamp', cell: (r) => h('span', { title: String(r.timestamp) }, time(r.timestamp)) },
      { title: 'Key', cell: (r) => cell(r.key) },
      { title: 'Value', cell: (r) => cell(r.value) },
      { title: 'Headers', cell: (r) => r.headers.map((x) => h('div', { class: 'header' }, h('code', {}, x.name), ': ', show(x.value, state.format === 'hex' ? 'hex' : 'text') ?? 'null')) },
    ], state.records, { key: (r) => r.offset, empty: 'No records there.' }));
    const payload = state.records.map((r) => ({
      topic: state.topic,
      partition: r.partition,
      offset: r.offset,
      timestamp: r.timestamp,
      key: exported(r.key, state.format),
      value: exported(r.value, state.format),
      headers: r.headers.map((x) => ({ name: x.name, value: show(x.value, state.format === 'hex' ? 'hex' : 'text') })),
    }));
    if (exportLink.href.startsWith('blob:')) URL.revokeObjectURL(exportLink.href);
    exportLink.href = URL.createObjectURL(new Blob([JSON.stringify(payload, null, 2)], { type: 'application/json' }));
    exportLink.download = `${state.topic}-${state.partition}-${state.records.length ? state.records[0].offset : 0}.json`;
    exportLink.removeAttribute('aria-disabled');
  }

  topicChoices().then(() => {
    if (state.topic) load();
  }).catch((e) => notice(out, 'error', errorText(e)));
  return {};
}
