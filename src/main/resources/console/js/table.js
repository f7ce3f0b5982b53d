// The payouts table (search, a batch's rows, the review queue) and its CSV form.

import {badge, el} from './dom.js';
import {rupiah, times} from './format.js';

/** The link to a payout's page. */
export function payoutHref(reference) {
  return `#/payouts/${encodeURIComponent(reference)}`;
}

/** A time in WIB with UTC under it. */
export function timeCell(iso) {
  const t = times(iso);
  return el('td', {class: 'time'}, t.wib, t.utc ? el('div', {class: 'muted small'}, t.utc) : null);
}

/** Badges beside the status: held, flagged for review, conflict. */
export function flags(outcome) {
  return [
    outcome.hold ? badge(`held: ${outcome.hold}`, 'flag') : null,
    outcome.reviewRequired ? badge('review', 'flag') : null,
    outcome.conflict ? badge(outcome.conflict, 'conflict') : null,
  ];
}

/** A table of outcomes; `extra(outcome)` may add a last cell (e.g. an action). */
export function payoutTable(items, {empty = 'No payouts match.', extra, extraTitle = ''} = {}) {
  if (!items.length) {
    return el('p', {class: 'empty'}, empty);
  }
  return el('div', {class: 'table-wrap'}, el('table', {class: 'payouts'},
    el('thead', {}, el('tr', {},
      el('th', {}, 'Reference'), el('th', {}, 'Status'), el('th', {}, 'Provider'), el('th', {}, 'Method'),
      el('th', {class: 'num'}, 'Amount'), el('th', {}, 'Account name'), el('th', {}, 'Code'),
      el('th', {}, 'Updated'), extra ? el('th', {}, extraTitle) : null)),
    el('tbody', {}, items.map(outcome => el('tr', {dataset: {reference: outcome.reference, status: outcome.status}},
      el('td', {}, el('a', {href: payoutHref(outcome.reference), class: 'mono'}, outcome.reference)),
      el('td', {}, badge(outcome.status), ' ', flags(outcome)),
      el('td', {}, outcome.provider || '—'),
      el('td', {}, outcome.method || '—'),
      el('td', {class: 'num'}, rupiah(outcome.amount)),
      el('td', {}, outcome.accountName || '—'),
      el('td', {title: outcome.responseDesc || outcome.reason || ''}, outcome.responseCode || '—',
        outcome.reason ? el('div', {class: 'muted small reason'}, outcome.reason) : null),
      timeCell(outcome.updatedAt),
      extra ? el('td', {}, extra(outcome)) : null)))));
}

const CSV_COLUMNS = ['reference', 'status', 'hold', 'provider', 'method', 'amount', 'accountName', 'providerReference',
  'responseCode', 'responseDesc', 'reason', 'reviewRequired', 'conflict', 'updatedAt'];

/** Outcomes as CSV (RFC 4180; a text cell a spreadsheet would run as a formula is prefixed with '). */
export function csv(items) {
  const cell = value => {
    let text = value === null || value === undefined ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) { // a number such as Duitku's -510 stays as it is
      text = `'${text}`;
    }
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [CSV_COLUMNS.join(','), ...items.map(item => CSV_COLUMNS.map(column => cell(item[column])).join(','))]
    .join('\r\n') + '\r\n';
}
