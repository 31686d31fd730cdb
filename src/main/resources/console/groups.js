// Consumer groups: the list (state, type, generation, members, lag) and one group's detail
// (members and their assignments, lag per partition, a lag chart from this browser's own samples,
// and resetting its offsets).
import * as api from './api.js';
import { h, clear, table, card, field, button, badge, notice, errorText, number, time, select, replace, facts as factList } from './dom.js';
import { lineChart, legend } from './chart.js';

/** What the chart shows, ending now. */
export const CHART_WINDOW_MS = 15 * 60_000;
/** How long samples are kept: twice the chart's window. */
const KEEP_MS = 2 * CHART_WINDOW_MS;

/** Lag samples by group: [{t, total, partitions: {"topic-p": lag} | null}]. */
const samples = new Map();
let sampler = null;

function record(group, point) {
  const points = (samples.get(group) || []).filter((p) => p.t >= point.t - KEEP_MS);
  points.push(point);
  samples.set(group, points);
}

/** Samples every group's total lag in the background from the first visit on, at the poll interval. */
function startSampling(poll) {
  if (sampler) return;
  const run = async () => {
    try {
      const groups = (await api.v3('/consumer-groups')).data;
      await Promise.all(groups.map(async (g) => {
        const s = await api.v3(`/consumer-groups/${api.enc(g.consumer_group_id)}/lag-summary`).catch(() => null);
        if (s) record(g.consumer_group_id, { t: Date.now(), total: s.total_lag, partitions: null });
      }));
    } catch {
      // the page shown reports failures; the sampler tries again next time
    }
  };
  sampler = setInterval(run, poll);
}

function stateBadge(state) {
  const kind = state === 'STABLE' || state === 'Stable' ? 'leader' : state === 'EMPTY' || state === 'Empty' ? '' : 'follower';
  return badge(state, kind);
}

export function groupsPage({ view, poll }) {
  startSampling(poll);
  const list = h('div', { id: 'groups-list' });
  view.append(h('h1', {}, 'Consumer groups'), card(null, list));
  return {
    async refresh() {
      const groups = (await api.v3('/consumer-groups')).data;
      const rows = await Promise.all(groups.map(async (g) => {
        const name = api.enc(g.consumer_group_id);
        const [members, summary] = await Promise.all([
          api.v3(`/consumer-groups/${name}/consumers`).then((r) => r.data.length).catch(() => null),
          api.v3(`/consumer-groups/${name}/lag-summary`).catch(() => null),
        ]);
        if (summary) record(g.consumer_group_id, { t: Date.now(), total: summary.total_lag, partitions: null });
        return { ...g, members, lag: summary ? summary.total_lag : null };
      }));
      rows.sort((a, b) => a.consumer_group_id.localeCompare(b.consumer_group_id));
      replace(list, table('groups', [
        { title: 'Group', cell: (g) => h('a', { href: `#/groups/${api.enc(g.consumer_group_id)}` }, g.consumer_group_id) },
        { title: 'State', cell: (g) => stateBadge(g.state) },
        { title: 'Type', cell: (g) => g.type },
        { title: 'Generation', class: 'num', cell: (g) => number(g.generation_id) },
        { title: 'Members', class: 'num', cell: (g) => number(g.members) },
        { title: 'Total lag', class: 'num', cell: (g) => h('span', { class: 'lag' }, number(g.lag)) },
      ], rows, { key: (g) => g.consumer_group_id, empty: 'No consumer groups yet.' }));
    },
  };
}

function localInput(ms) {
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60000).toISOString().slice(0, 19);
}

export function groupPage({ view, arg: group, poll, go }) {
  startSampling(poll);
  const path = `/consumer-groups/${api.enc(group)}`;
  const facts = h('div', { id: 'group-facts' });
  const members = h('div', { id: 'members' });
  const lags = h('div', { id: 'lags' });
  const chart = h('div', { id: 'lag-chart', class: 'chart-box' });
  let lastLags = [];
  let topics = [];

  // Reset offsets
  const strategy = select('strategy', [['earliest', 'Earliest'], ['latest', 'Latest'], ['timestamp', 'A time'], ['offsets', 'Offsets per partition']], 'earliest', () => resetFields());
  strategy.id = 'reset-strategy';
  const topicPick = h('span');
  const when = h('input', { type: 'datetime-local', step: 1, id: 'reset-time', name: 'timestamp', value: localInput(Date.now() - 3600_000) });
  const whenField = field('Time (this browser\u2019s zone)', when);
  const offsets = h('div', { id: 'reset-offsets' });
  const resetOut = h('div', { id: 'reset-result' });
  const form = h('form', { class: 'inline-form', id: 'reset' },
    field('Reset to', strategy), field('Topic', topicPick), whenField,
    button('Preview', () => reset(true), { id: 'reset-preview', class: 'secondary' }),
    h('button', { type: 'submit', id: 'reset-apply', class: 'danger' }, 'Reset offsets'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    reset(false);
  });

  function chosenTopic() {
    const pick = topicPick.querySelector('select');
    return pick && pick.value ? pick.value : null;
  }

  function resetFields() {
    whenField.hidden = strategy.value !== 'timestamp';
    offsets.hidden = strategy.value !== 'offsets';
    if (strategy.value === 'offsets') offsetInputs();
  }

  function offsetInputs() {
    const topic = chosenTopic();
    const rows = lastLags.filter((l) => !topic || l.topic_name === topic);
    clear(offsets).append(table('reset-offsets', [
      { title: 'Topic', cell: (l) => l.topic_name },
      { title: 'Partition', class: 'num', cell: (l) => String(l.partition_id) },
      { title: 'Committed', class: 'num', cell: (l) => number(l.current_offset) },
      { title: 'Log end', class: 'num', cell: (l) => number(l.log_end_offset) },
      { title: 'New offset', cell: (l) => h('input', { type: 'number', min: 0, value: String(l.current_offset), dataset: { topic: l.topic_name, partition: String(l.partition_id) }, 'aria-label': `new offset of ${l.topic_name}-${l.partition_id}` }) },
    ], rows, { key: (l) => `${l.topic_name}-${l.partition_id}`, empty: 'The group has committed no offset yet.' }));
  }

  async function reset(dryRun) {
    clear(resetOut);
    const body = { strategy: strategy.value };
    const topic = chosenTopic();
    if (topic) body.topic_name = topic;
    if (strategy.value === 'timestamp') body.timestamp = new Date(when.value).getTime();
    if (strategy.value === 'offsets') {
      body.offsets = Array.from(offsets.querySelectorAll('input')).map((i) => ({
        topic_name: i.dataset.topic, partition_id: Number(i.dataset.partition), offset: Number(i.value),
      }));
    }
    if (dryRun) body.dry_run = true;
    try {
      const answer = await api.v3(`${path}/offsets:reset`, { method: 'POST', body });
      clear(resetOut).append(
        h('p', { class: 'notice ok' }, dryRun ? 'Preview: nothing was changed. These offsets would be committed:' : 'Offsets reset:'),
        resultTable(answer));
      if (!dryRun) await page.refresh();
    } catch (e) {
      notice(resetOut, 'error', e.status === 409
        ? `Refused: ${e.message} Stop the group's consumers first; Kafka refuses it too.`
        : errorText(e));
    }
  }

  /** The offsets a reset stored (or would store): {data: [{topic_name, partition_id, offset}]}. */
  function resultTable(answer) {
    const rows = answer && Array.isArray(answer.data) ? answer.data : [];
    return table('reset-result', [
      { title: 'Topic', cell: (r) => r.topic_name },
      { title: 'Partition', class: 'num', cell: (r) => String(r.partition_id) },
      { title: 'Offset', class: 'num', cell: (r) => String(r.offset) },
    ], rows, { key: (r) => `${r.topic_name}-${r.partition_id}`, empty: 'No partition to reset.' });
  }

  const deleteOut = h('div', { id: 'delete-group-result' });
  const confirmName = h('input', { name: 'confirm', id: 'delete-group-confirm-name', placeholder: group, autocomplete: 'off' });
  const reallyDelete = button('Delete for good', async () => {
    clear(deleteOut);
    try {
      await api.v3(path, { method: 'DELETE' });
      go('#/groups');
    } catch (e) {
      notice(deleteOut, 'error', e.status === 409 ? `Refused: ${e.message}` : errorText(e));
    }
  }, { class: 'danger', id: 'delete-group-confirm', disabled: true });
  confirmName.addEventListener('input', () => {
    reallyDelete.disabled = confirmName.value !== group;
  });
  const confirmPanel = h('div', { class: 'confirm', hidden: true, id: 'delete-group-panel' },
    h('p', {}, 'Deleting a group deletes its committed offsets; a group with live members is refused. Type the group name to confirm.'),
    confirmName, reallyDelete, button('Cancel', () => { confirmPanel.hidden = true; }), deleteOut);

  view.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/groups' }, 'Consumer groups'), ' / '),
    h('h1', {}, group),
    h('div', { class: 'actions' }, button('Delete group…', () => {
      confirmPanel.hidden = false;
      confirmName.focus();
    }, { class: 'danger', id: 'delete-group' })),
    confirmPanel,
    facts,
    card('Lag over time', chart),
    card('Lag per partition', lags),
    card('Members', members),
    card('Reset offsets', h('p', { class: 'muted' }, 'Only while the group has no live members, as Kafka allows it. Preview shows the offsets without committing them.'), form, offsets, resetOut));
  resetFields();

  function drawChart() {
    const points = samples.get(group) || [];
    const keys = [...new Set(points.flatMap((p) => (p.partitions ? Object.keys(p.partitions) : [])))].sort();
    const series = [{ name: 'total', points: points.map((p) => [p.t, p.total]) }];
    if (keys.length <= 6) {
      for (const k of keys) series.push({ name: k, points: points.filter((p) => p.partitions && k in p.partitions).map((p) => [p.t, p.partitions[k]]) });
    }
    const first = points.length ? points[0].t : Date.now();
    replace(chart, h('div', {},
      lineChart(series, { windowMs: CHART_WINDOW_MS, label: `Lag of ${group} over the last 15 minutes` }),
      legend(series),
      h('small', { class: 'muted' }, `${points.length} samples since ${time(first)}, taken by this browser every ${poll / 1000} s; the last 15 minutes are shown.`)));
  }

  const page = {
    async refresh() {
      const [g, consumers, lagList] = await Promise.all([
        api.v3(path),
        api.v3(`${path}/consumers`),
        api.v3(`${path}/lags`),
      ]);
      lastLags = lagList.data;
      const partitions = {};
      let total = 0;
      for (const l of lastLags) {
        partitions[`${l.topic_name}-${l.partition_id}`] = l.lag;
        total += l.lag;
      }
      record(group, { t: Date.now(), total, partitions });
      replace(facts, factList([
        ['State', stateBadge(g.state), 'group-state'],
        ['Type', g.type],
        ['Generation', number(g.generation_id), 'group-generation'],
        ['Assignor', h('span', { title: g.partition_assignor || '' }, (g.partition_assignor || '—').split('.').pop())],
        ['Members', number(consumers.data.length), 'group-members'],
        ['Total lag', number(total), 'total-lag'],
      ]));
      replace(members, table('members', [
        { title: 'Member', cell: (m) => h('code', {}, m.consumer_id) },
        { title: 'Instance', cell: (m) => m.instance_id || '—' },
        { title: 'Assigned partitions', cell: (m) => (m.partitions.length ? m.partitions.map((p) => badge(`${p.topic_name}-${p.partition_id}`)) : h('span', { class: 'muted' }, 'none')) },
      ], consumers.data, { key: (m) => m.consumer_id, empty: 'No live members.' }));
      replace(lags, table('lags', [
        { title: 'Topic', cell: (l) => h('a', { href: `#/topics/${api.enc(l.topic_name)}` }, l.topic_name) },
        { title: 'Partition', class: 'num', cell: (l) => String(l.partition_id) },
        { title: 'Committed', class: 'num', cell: (l) => number(l.current_offset) },
        { title: 'Log end', class: 'num', cell: (l) => number(l.log_end_offset) },
        { title: 'Lag', class: 'num', cell: (l) => h('span', { class: 'lag' }, number(l.lag)) },
        { title: 'Member', cell: (l) => l.consumer_id || h('span', { class: 'muted' }, 'none') },
      ], lastLags, { key: (l) => `${l.topic_name}-${l.partition_id}`, empty: 'The group has committed no offset yet.' }));
      const names = [...new Set(lastLags.map((l) => l.topic_name))].sort();
      if (names.join() !== topics.join()) {
        topics = names;
        const pick = select('topic_name', [['', 'All its topics'], ...names], '', () => resetFields());
        pick.id = 'reset-topic';
        replace(topicPick, pick);
        if (strategy.value === 'offsets') offsetInputs();
      }
      drawChart();
    },
  };
  return page;
}
