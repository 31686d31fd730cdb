// Topics: the list (partitions, size, retention, message rate) and one topic's detail (partitions,
// replicas, segments, configs; add partitions; delete).
import * as api from './api.js';
import { h, clear, table, card, field, button, badge, notice, errorText, bytes, number, time, duration, replace } from './dom.js';

/** Samples of each topic's summed log end offsets, [timeMs, offsets], for the message rate. */
const endOffsets = new Map();
const RATE_WINDOW_MS = 60_000;

function sample(topic, total, now) {
  const points = (endOffsets.get(topic) || []).filter(([t]) => t >= now - 5 * RATE_WINDOW_MS);
  points.push([now, total]);
  endOffsets.set(topic, points);
}

/** Records per second over the last minute of samples; null until there are two. */
export function rate(topic) {
  const points = endOffsets.get(topic) || [];
  const last = points[points.length - 1];
  if (!last) return null;
  const first = points.find(([t]) => t >= last[0] - RATE_WINDOW_MS);
  if (last[0] === first[0]) return null;
  return ((last[1] - first[1]) * 1000) / (last[0] - first[0]);
}

function rateText(r) {
  return r === null ? '—' : `${r < 10 ? r.toFixed(1) : Math.round(r).toLocaleString('en-US')}/s`;
}

export async function partitionsOf(topic) {
  return (await api.v3(`/topics/${api.enc(topic)}/partitions`)).data;
}

export function topicsPage({ view, go }) {
  const list = h('div', { id: 'topics-list' });
  const out = h('div');
  const name = h('input', { name: 'topic_name', id: 'new-topic-name', placeholder: 'orders', required: true, pattern: '[a-zA-Z0-9._\\-]+' });
  const count = h('input', { name: 'partitions_count', id: 'new-topic-partitions', type: 'number', min: 1, value: '3', required: true });
  const create = h('form', { class: 'inline-form', id: 'create-topic' },
    field('Name', name), field('Partitions', count), h('button', { type: 'submit' }, 'Create topic'), out);
  create.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api.v3('/topics', { method: 'POST', body: { topic_name: name.value, partitions_count: Number(count.value) } });
      go(`#/topics/${api.enc(name.value)}`);
    } catch (e) {
      notice(out, 'error', errorText(e));
    }
  });
  view.append(h('h1', {}, 'Topics'), card(null, list), card('New topic', create));

  return {
    async refresh() {
      const [topics, configs] = await Promise.all([
        api.v3('/topics'),
        api.v3('/topics/-/configs').catch(() => ({ data: [] })),
      ]);
      const retention = new Map(configs.data.filter((c) => c.name === 'retention.ms').map((c) => [c.topic_name, c.value]));
      const now = Date.now();
      const rows = await Promise.all(topics.data.map(async (t) => {
        const parts = await partitionsOf(t.topic_name).catch(() => []);
        const end = parts.reduce((s, p) => s + (p.log_end_offset || 0), 0);
        const start = parts.reduce((s, p) => s + (p.log_start_offset || 0), 0);
        sample(t.topic_name, end, now);
        return {
          name: t.topic_name,
          partitions: t.partitions_count,
          replication: t.replication_factor,
          records: end - start,
          size: parts.reduce((s, p) => s + (p.size_bytes || 0), 0),
          retention: retention.get(t.topic_name),
          rate: rate(t.topic_name),
        };
      }));
      rows.sort((a, b) => a.name.localeCompare(b.name));
      replace(list, table('topics', [
        { title: 'Topic', cell: (r) => h('a', { href: `#/topics/${api.enc(r.name)}` }, r.name) },
        { title: 'Partitions', class: 'num', cell: (r) => number(r.partitions) },
        { title: 'Records', class: 'num', cell: (r) => number(r.records) },
        { title: 'Size', class: 'num', cell: (r) => bytes(r.size) },
        { title: 'Retention', class: 'num', cell: (r) => (r.retention === undefined ? '—' : duration(r.retention)) },
        { title: 'Rate', class: 'num', cell: (r) => h('span', { class: 'rate' }, rateText(r.rate)) },
      ], rows, { key: (r) => r.name, empty: 'No topics yet: create one below.' }));
    },
  };
}

function replicaBadges(replicas) {
  return replicas.map((r) => {
    const state = r.is_leader ? 'leader' : r.is_in_sync ? 'follower' : 'offline';
    return badge(`${r.broker_id} ${state}`, state);
  });
}

export function topicPage({ view, arg: topic, go }) {
  const path = `/topics/${api.enc(topic)}`;
  const partitions = h('div', { id: 'partitions' });
  const segments = h('div', { id: 'segments' });
  const configs = h('div', { id: 'configs' });
  const actionsOut = h('div');
  let segmentPartition = 0;
  const segmentPick = h('select', { name: 'segment-partition', id: 'segment-partition' });
  segmentPick.addEventListener('change', () => {
    segmentPartition = Number(segmentPick.value);
    loadSegments();
  });

  const newCount = h('input', { type: 'number', min: 1, name: 'partitions_count', id: 'add-partitions-count' });
  const grow = h('form', { class: 'inline-form', id: 'add-partitions' },
    field('Partitions (new total)', newCount), h('button', { type: 'submit' }, 'Add partitions'));
  grow.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api.v3(`${path}/partitions`, { method: 'POST', body: { partitions_count: Number(newCount.value) } });
      notice(actionsOut, 'ok', `${topic} has ${newCount.value} partitions.`);
      await page.refresh();
    } catch (e) {
      notice(actionsOut, 'error', errorText(e));
    }
  });

  const confirmName = h('input', { name: 'confirm', id: 'delete-confirm', placeholder: topic, autocomplete: 'off' });
  const reallyDelete = button('Delete for good', async () => {
    try {
      await api.v3(path, { method: 'DELETE' });
      go('#/topics');
    } catch (e) {
      notice(actionsOut, 'error', errorText(e));
    }
  }, { class: 'danger', id: 'delete-topic-confirm', disabled: true });
  confirmName.addEventListener('input', () => {
    reallyDelete.disabled = confirmName.value !== topic;
  });
  const confirmPanel = h('div', { class: 'confirm', hidden: true, id: 'delete-panel' },
    h('p', {}, 'Deleting a topic deletes all its records. Type the topic name to confirm.'),
    confirmName, reallyDelete, button('Cancel', () => { confirmPanel.hidden = true; }));
  const deleteButton = button('Delete topic…', () => {
    confirmPanel.hidden = false;
    confirmName.focus();
  }, { class: 'danger', id: 'delete-topic' });

  view.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/topics' }, 'Topics'), ' / '),
    h('h1', {}, topic),
    h('div', { class: 'actions' },
      h('a', { class: 'button', href: `#/messages?topic=${api.enc(topic)}` }, 'Browse messages'),
      h('a', { class: 'button', href: `#/produce?topic=${api.enc(topic)}` }, 'Produce'),
      deleteButton),
    confirmPanel,
    card('Partitions', partitions, grow, actionsOut),
    card('Segments', field('Partition', segmentPick), segments),
    card('Configs', configs));

  async function loadSegments() {
    const list = await api.v3(`${path}/partitions/${segmentPartition}/segments`);
    replace(segments, table('segments', [
      { title: 'Base offset', class: 'num', cell: (s) => number(s.base_offset) },
      { title: 'Next offset', class: 'num', cell: (s) => number(s.next_offset) },
      { title: 'Records', class: 'num', cell: (s) => number(s.record_count) },
      { title: 'Size', class: 'num', cell: (s) => bytes(s.size_bytes) },
      { title: 'Oldest record', cell: (s) => time(s.min_timestamp) },
      { title: 'Newest record', cell: (s) => time(s.max_timestamp) },
      { title: 'State', cell: (s) => (s.active ? badge('active', 'leader') : `rolled ${time(s.rolled_at)}`) },
    ], list.data, { key: (s) => s.base_offset, empty: 'No segment yet: the partition has had no record.' }));
  }

  async function loadConfigs() {
    const list = await api.v3(`${path}/configs`);
    replace(configs, table('configs', [
      { title: 'Name', cell: (c) => h('code', {}, c.name) },
      { title: 'Value', cell: (c) => configEditor(c) },
      { title: 'Source', cell: (c) => (c.is_default ? h('span', { class: 'muted' }, 'default') : c.source) },
    ], list.data, { key: (c) => c.name }));
  }

  function configEditor(c) {
    const input = h('input', { name: c.name, value: c.value === null ? '' : c.value, 'aria-label': c.name, disabled: c.is_read_only });
    const out = h('span', { class: 'config-out' });
    const save = button('Save', async () => {
      try {
        await api.v3(`${path}/configs/${api.enc(c.name)}`, { method: 'PUT', body: { value: input.value } });
        await loadConfigs();
        notice(actionsOut, 'ok', `${c.name} = ${input.value}`);
      } catch (e) {
        notice(out, 'error', errorText(e));
      }
    }, { class: 'small', dataset: { config: c.name } });
    const reset = c.is_default ? null : button('Reset', async () => {
      try {
        await api.v3(`${path}/configs/${api.enc(c.name)}`, { method: 'DELETE' });
        await loadConfigs();
      } catch (e) {
        notice(out, 'error', errorText(e));
      }
    }, { class: 'small secondary' });
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') save.click();
    });
    return h('div', { class: 'config-edit' }, input, save, reset, out);
  }

  const page = {
    async refresh() {
      const parts = await partitionsOf(topic);
      const replicas = await Promise.all(parts.map((p) => api.v3(`${path}/partitions/${p.partition_id}/replicas`).then((r) => r.data).catch(() => [])));
      if (newCount.dataset.suggested !== 'yes') {
        newCount.value = String(parts.length + 1);
        newCount.dataset.suggested = 'yes';
      }
      if (segmentPick.options.length !== parts.length) {
        clear(segmentPick).append(...parts.map((p) => h('option', { value: p.partition_id, selected: p.partition_id === segmentPartition }, String(p.partition_id))));
      }
      replace(partitions, table('partitions', [
        { title: 'Partition', class: 'num', cell: (p) => String(p.partition_id) },
        { title: 'Leader', class: 'num', cell: (p) => (p.leader ? api.enc(p.leader.related.split('/').pop()) : 'none') },
        { title: 'Epoch', class: 'num', cell: (p) => String(p.leader_epoch) },
        { title: 'Replicas', cell: (p) => replicaBadges(replicas[parts.indexOf(p)]) },
        { title: 'Log start', class: 'num', cell: (p) => number(p.log_start_offset) },
        { title: 'Log end', class: 'num', cell: (p) => number(p.log_end_offset) },
        { title: 'Size', class: 'num', cell: (p) => bytes(p.size_bytes) },
        { title: 'Segments', class: 'num', cell: (p) => number(p.segments_count) },
      ], parts, { key: (p) => p.partition_id }));
      await loadSegments();
    },
  };
  loadConfigs().catch((e) => notice(configs, 'error', errorText(e)));
  return page;
}
