// Payouts: the search (every filter of GET /api/payouts, in the address so a search can be
// bookmarked), a page at a time by the answer's cursor, and the CSV export of the whole filter.

import {get, save} from './api.js';
import {el, fill} from './dom.js';
import {count, instantToWibInput, wibInputToInstant} from './format.js';
import {notify} from './notice.js';
import {ORDER} from './statuses.js';
import {csv, payoutTable} from './table.js';

const EXPORT_MAX = 50_000;
const FILTERS = ['status', 'provider', 'method', 'reviewRequired', 'intake', 'batch', 'createdFrom', 'createdTo',
  'amountMin', 'amountMax', 'referencePrefix', 'limit'];
/** The cursors of the pages before this one, per search: "Previous page" goes back through them. */
const trail = new Map();

function select(name, label, options, any = 'any') {
  return el('label', {}, label, el('select', {name, id: `filter-${name}`},
    el('option', {value: ''}, any), options.map(option => el('option', {value: option}, option))));
}

function input(name, label, attributes = {}) {
  return el('label', {}, label, el('input', {name, id: `filter-${name}`, autocomplete: 'off', ...attributes}));
}

export async function render(view, query) {
  const params = new URLSearchParams(query);
  const cursor = params.get('cursor');
  params.delete('cursor');
  const search = params.toString();
  const form = el('form', {class: 'filters card tight', id: 'filters'},
    select('status', 'Status', ORDER),
    select('provider', 'Provider', ['duitku', 'durianpay']),
    select('method', 'Method', ['ONLINE', 'BIFAST', 'LLG', 'RTGS', 'H2H', 'CASHOUT']),
    select('reviewRequired', 'Review required', ['true', 'false']),
    select('intake', 'Came in by', ['api', 'file', 'jms', 'block']),
    input('batch', 'Batch', {placeholder: 'file name or batch id'}),
    input('createdFrom', 'Created from (WIB)', {type: 'datetime-local'}),
    input('createdTo', 'Created before (WIB)', {type: 'datetime-local'}),
    input('amountMin', 'Amount from (Rp)', {type: 'number', min: 0, step: 1}),
    input('amountMax', 'Amount to (Rp)', {type: 'number', min: 0, step: 1}),
    input('referencePrefix', 'Reference starts with'),
    select('limit', 'Per page', ['25', '100', '200', '500'], '50'),
    el('div', {class: 'buttons'},
      el('button', {type: 'button', id: 'clear-filters', onclick: () => {
        location.hash = '#/payouts';
      }}, 'Clear'),
      el('button', {type: 'button', id: 'export-csv', onclick: event => exportCsv(event.target, search)}, 'Export CSV'),
      el('button', {type: 'submit', class: 'primary', id: 'search'}, 'Search')));
  for (const name of FILTERS) {
    const field = form.elements[name];
    const value = params.get(name);
    if (field && value !== null) {
      field.value = name.startsWith('created') ? instantToWibInput(value) : value;
    }
  }
  form.addEventListener('submit', event => {
    event.preventDefault();
    const chosen = new URLSearchParams();
    for (const name of FILTERS) {
      const value = form.elements[name].value.trim();
      if (value) {
        chosen.set(name, name.startsWith('created') ? wibInputToInstant(value) : value);
      }
    }
    const next = `#/payouts${chosen.toString() ? `?${chosen}` : ''}`;
    if (location.hash === next) {
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } else {
      location.hash = next;
    }
  });
  const results = el('section', {class: 'card', id: 'results'}, el('p', {class: 'muted'}, 'Searching…'));
  fill(view, el('div', {class: 'page-head'}, el('h1', {}, 'Payouts'),
    el('span', {class: 'muted small'}, 'newest first · times in WIB (UTC below) · amounts in rupiah')),
  form, results);

  const api = new URLSearchParams(params);
  if (cursor) {
    api.set('cursor', cursor);
  }
  let page;
  try {
    page = await get(`/api/payouts${api.toString() ? `?${api}` : ''}`);
  } catch (failure) {
    fill(results, el('p', {class: 'notice', 'data-kind': 'error', id: 'search-error'}, failure.message));
    return;
  }
  const before = trail.get(search) || [];
  const position = cursor ? before.indexOf(cursor) : -1;
  const previous = cursor ? (position > 0 ? before[position - 1] : null) : undefined;
  const pageNumber = cursor ? position + 2 : 1;
  const pageLink = target => `#/payouts?${new URLSearchParams([...params.entries(), ...(target ? [['cursor', target]] : [])])}`;
  fill(results,
    el('div', {class: 'row'}, el('span', {class: 'muted', id: 'page-info'},
      `Page ${pageNumber} · ${count(page.items.length)} payouts${page.nextCursor ? ' · more on the next page' : ''}`)),
    payoutTable(page.items),
    el('div', {class: 'pager'},
      pageNumber > 1 ? el('a', {class: 'button', id: 'first-page', href: pageLink(null)}, '« Newest') : null,
      previous !== undefined && pageNumber > 1 ? el('a', {class: 'button', id: 'previous-page', href: pageLink(previous)}, '‹ Newer') : null,
      page.nextCursor ? el('a', {class: 'button', id: 'next-page', href: pageLink(page.nextCursor), onclick: () => {
        const kept = before.slice(0, cursor ? position + 1 : 0);
        kept.push(page.nextCursor);
        trail.set(search, kept);
      }}, 'Older ›') : null));
}

/** Every page of the current filter (500 at a time), saved as one CSV file. */
async function exportCsv(button, search) {
  button.disabled = true;
  const params = new URLSearchParams(search);
  params.set('limit', '500');
  const items = [];
  try {
    let cursor = null;
    do {
      if (cursor) {
        params.set('cursor', cursor);
      }
      const page = await get(`/api/payouts?${params}`);
      items.push(...page.items);
      cursor = page.nextCursor;
      fill(button, `Exporting… ${count(items.length)}`);
    } while (cursor && items.length < EXPORT_MAX);
    const name = `payouts-${new Date().toISOString().replace(/[-:]/g, '').substring(0, 13)}Z.csv`;
    save(csv(items), name);
    notify('success', `Exported ${count(items.length)} payouts to ${name}${cursor ? ` (the first ${count(EXPORT_MAX)}; narrow the filter for the rest)` : ''}.`);
  } catch (failure) {
    notify('error', `Export failed: ${failure.message}`);
  } finally {
    button.disabled = false;
    fill(button, 'Export CSV');
  }
}
