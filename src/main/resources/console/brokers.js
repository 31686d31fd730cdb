// Brokers: every node, its state and lease, which one is controller, and how many partitions each
// leads and holds.
import * as api from './api.js';
import { h, table, card, badge, number, time, lastSegment, replace, facts as factList } from './dom.js';

export function brokersPage({ view }) {
  const facts = h('div', { id: 'cluster-facts' });
  const list = h('div', { id: 'brokers-list' });
  view.append(h('h1', {}, 'Brokers'), facts, card(null, list));
  return {
    async refresh() {
      const [clusterInfo, brokers] = await Promise.all([api.v3(''), api.v3('/brokers')]);
      const controller = lastSegment(clusterInfo.controller);
      const rows = await Promise.all(brokers.data.map(async (b) => {
        const replicas = (await api.v3(`/brokers/${b.broker_id}/partition-replicas`).catch(() => ({ data: [] }))).data;
        return { ...b, leads: replicas.filter((r) => r.is_leader).length, replicas: replicas.length };
      }));
      replace(facts, factList([
        ['Cluster', h('code', {}, clusterInfo.cluster_id)],
        ['Controller', controller === null ? 'none' : `broker ${controller}`, 'controller'],
        ['Brokers', `${rows.filter((b) => b.state === 'LIVE').length} live of ${rows.length}`, 'brokers-live'],
      ]));
      replace(list, table('brokers', [
        { title: 'Broker', class: 'num', cell: (b) => String(b.broker_id) },
        { title: 'Address', cell: (b) => (b.host ? `${b.host}:${b.port}` : '—') },
        { title: 'State', cell: (b) => [badge(b.state, b.state === 'LIVE' ? 'leader' : 'offline'), String(b.broker_id) === controller ? badge('controller', 'follower') : null] },
        { title: 'Started', cell: (b) => time(b.started_at) },
        { title: 'Lease expires', cell: (b) => time(b.lease_expires_at) },
        { title: 'Leads', class: 'num', cell: (b) => h('span', { class: 'leads' }, number(b.leads)) },
        { title: 'Replicas', class: 'num', cell: (b) => number(b.replicas) },
      ], rows, { key: (b) => b.broker_id }));
    },
  };
}
