// DOM building without innerHTML: every text from the API goes in as text, never as markup.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value' || k === 'checked' || k === 'selected') {
      el[k] = v;
      if (v !== false) el.setAttribute(k, v === true ? '' : String(v));
    }
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** A table: columns [{title, cell(row) → node|text, class}], rows, each row's data-key from key(row). */
export function table(name, columns, rows, { key, empty = 'Nothing yet.' } = {}) {
  const body = h('tbody', {},
    rows.length === 0
      ? h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, empty))
      : rows.map((row) => h('tr', { dataset: key ? { key: String(key(row)) } : {} },
        columns.map((c) => h('td', { class: c.class, 'data-label': c.title }, c.cell(row))))));
  return h('div', { class: 'table-wrap' },
    h('table', { dataset: { table: name } },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.class, scope: 'col' }, c.title)))),
      body));
}

/**
 * Shows node in holder instead of what it holds, unless that looks the same already: a refresh
 * that changed nothing leaves the page (and what the user is about to click) alone.
 */
export function replace(holder, node) {
  if (holder.childElementCount === 1 && holder.firstElementChild.outerHTML === node.outerHTML) return;
  clear(holder).append(node);
}

export function card(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h2', {}, title) : null, ...children);
}

export function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', {}, label), input, hint ? h('small', { class: 'muted' }, hint) : null);
}

export function button(text, onclick, attrs = {}) {
  return h('button', { type: 'button', onclick, ...attrs }, text);
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind || ''}` }, text);
}

/** A message under a form: kind 'ok' or 'error'. */
export function notice(holder, kind, text) {
  clear(holder).append(h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text));
}

export function errorText(e) {
  return e.code ? `${e.message} (error ${e.code})` : e.message;
}

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function number(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US');
}

export function time(value) {
  if (value === null || value === undefined || value === '') return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const pad = (x, w = 2) => String(x).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
    + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  const n = Number(ms);
  if (n < 0) return 'forever';
  const units = [['d', 86400000], ['h', 3600000], ['min', 60000], ['s', 1000]];
  for (const [u, size] of units) if (n >= size && n % size === 0) return `${n / size} ${u}`;
  for (const [u, size] of units) if (n >= size) return `${(n / size).toFixed(1)} ${u}`;
  return `${n} ms`;
}

/** The last path segment of a v3 related link: the broker id of …/brokers/3. */
export function lastSegment(related) {
  if (!related || !related.related) return null;
  return decodeURIComponent(related.related.split('/').pop());
}

export function select(name, options, value, onchange) {
  return h('select', { name, onchange },
    options.map((o) => {
      const [v, label] = Array.isArray(o) ? o : [o, o];
      return h('option', { value: String(v), selected: String(v) === String(value) }, label);
    }));
}

/** Facts as a definition list: [[term, value, id?], …]. */
export function facts(pairs) {
  return h('dl', { class: 'facts' },
    pairs.map(([term, value, id]) => h('div', { class: 'fact' }, h('dt', {}, term), h('dd', { id }, value))));
}
