// Batches: every dropped file (and group of instructions with a batch id) with its progress, its
// counts and amounts by status; a batch's page with its rows, the batch's actions and its results
// file. Both refresh every 3 seconds, so a file can be watched to 100%.

import {download, get, segment} from './api.js';
import {actionBox, actionButton, batchAction, busy, noteBody, noteField} from './actions.js';
import {badge, el, fill} from './dom.js';
import {count, rupiah, times} from './format.js';
import {every} from './live.js';
import {notify} from './notice.js';
import {can} from './session.js';
import {ordered} from './statuses.js';
import {payoutTable, timeCell} from './table.js';

const ROWS_PER_PAGE = 100;

function batchHref(id) {
  return `#/batches/${encodeURIComponent(id)}`;
}

/** The bar: each final status its share of the rows, and the percentage final. */
export function progressBar(batch) {
  const rows = batch.rows || 0;
  const final = ordered(Object.keys(batch.counts || {})).filter(s => s !== 'PENDING' && s !== 'AWAITING_APPROVAL');
  return el('div', {class: 'progress-cell'},
    el('div', {class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
      'aria-valuenow': Math.floor((batch.progress || 0) * 100)},
    rows ? final.map(status => el('span', {class: status, title: `${status}: ${batch.counts[status]}`,
      style: `width: ${(100 * batch.counts[status]) / rows}%`})) : null),
    el('span', {class: 'progress-label', dataset: {progress: Math.floor((batch.progress || 0) * 100)}},
      `${Math.floor((batch.progress || 0) * 100)} % · ${count(batch.final)} of ${count(rows)} final`));
}

/** Back to the first page (when not on it) and on to the next (when there is one). */
function pager(cursor, nextCursor, go, [first, next], nextId) {
  return el('div', {class: 'pager'},
    cursor ? el('button', {type: 'button', onclick: () => go(null)}, first) : null,
    nextCursor ? el('button', {type: 'button', id: nextId, onclick: () => go(nextCursor)}, next) : null);
}

function total(amounts) {
  return Object.entries(amounts || {}).reduce((sum, [, amount]) => sum + amount, 0);
}

export async function render(view, _argument, alive) {
  const list = el('section', {class: 'card', id: 'batches'}, el('p', {class: 'muted'}, 'Loading…'));
  fill(view, el('div', {class: 'page-head'}, el('h1', {}, 'Batches'),
    el('span', {class: 'muted small'}, 'dropped files and instructions with a batch id · newest first · refreshed every 3 s')),
  list);
  let cursor = null;
  const refresh = async () => {
    let page;
    try {
      page = await get(`/api/batches?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    } catch (failure) {
      fill(list, el('p', {class: 'notice', 'data-kind': 'error'}, failure.message));
      return;
    }
    if (!alive()) {
      return;
    }
    fill(list, page.items.length ? el('div', {class: 'table-wrap'}, el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'Batch'), el('th', {}, 'Came in by'), el('th', {}, 'Progress'),
        el('th', {}, 'By status'), el('th', {class: 'num'}, 'Amount'), el('th', {}, 'Started'), el('th', {}, 'Finished'))),
      el('tbody', {}, page.items.map(batch => el('tr', {dataset: {batch: batch.id}},
        el('td', {}, el('a', {href: batchHref(batch.id), class: 'mono'}, batch.id)),
        el('td', {}, batch.intake),
        el('td', {}, progressBar(batch)),
        el('td', {}, ordered(Object.keys(batch.counts)).filter(s => batch.counts[s])
          .map(s => el('span', {class: 'count-badge'}, badge(s), ` ${count(batch.counts[s])}`))),
        el('td', {class: 'num'}, rupiah(total(batch.amounts))),
        timeCell(batch.startedAt),
        batch.finishedAt ? timeCell(batch.finishedAt) : el('td', {class: 'muted'}, 'running'))))))
      : el('p', {class: 'empty'}, 'No batches yet: drop a payroll file into the inbox, or give instructions a batch id.'),
    pager(cursor, page.nextCursor, target => {
      cursor = target;
      refresh();
    }, ['« Newest', 'Older ›'], 'next-page'));
  };
  return every(3000, refresh);
}

export async function renderOne(view, encoded, alive) {
  const id = decodeURIComponent(encoded);
  const summary = el('section', {class: 'card', id: 'batch-summary'}, el('p', {class: 'muted'}, 'Loading…'));
  const actions = el('section', {class: 'card', id: 'batch-actions'}, el('h2', {}, 'Actions'));
  const rows = el('section', {class: 'card', id: 'batch-rows'}, el('h2', {}, 'Rows'));
  fill(view, el('div', {class: 'page-head'}, el('a', {href: '#/batches'}, '← Batches'),
    el('h1', {class: 'mono', id: 'batch-id'}, id)),
  el('div', {class: 'grid overview'}, summary, actions), rows);
  let rowsCursor = null;
  let actionsShown = '';
  const refresh = async () => {
    let batch;
    let page;
    try {
      [batch, page] = await Promise.all([
        get(`/api/batches/${segment(id)}`),
        get(`/api/payouts?batch=${encodeURIComponent(id)}&limit=${ROWS_PER_PAGE}${rowsCursor ? `&cursor=${encodeURIComponent(rowsCursor)}` : ''}`),
      ]);
    } catch (failure) {
      fill(summary, el('p', {class: 'notice', 'data-kind': 'error', id: 'batch-error'}, failure.message));
      return;
    }
    if (!alive()) {
      return;
    }
    showSummary(summary, batch);
    const state = JSON.stringify([batch.counts.AWAITING_APPROVAL || 0, batch.final === batch.rows]);
    if (state !== actionsShown) {
      actionsShown = state;
      showActions(actions, batch, () => {
        actionsShown = '';
        return refresh();
      });
    }
    fill(rows, el('h2', {}, 'Rows ', el('span', {class: 'muted small'},
      'the batch\'s payouts, newest first; a refused file row is in the results file only')),
    payoutTable(page.items, {empty: 'No payouts in this batch (refused rows are in its results file).'}),
    pager(rowsCursor, page.nextCursor, target => {
      rowsCursor = target;
      refresh();
    }, ['« First rows', 'More rows ›'], 'rows-next'));
  };
  return every(3000, refresh);
}

function showSummary(card, batch) {
  const statuses = ordered(Object.keys(batch.counts));
  const started = times(batch.startedAt);
  const finished = batch.finishedAt ? times(batch.finishedAt) : null;
  fill(card,
    el('h2', {}, 'Progress'),
    progressBar(batch),
    funds(batch.funds),
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'Status'), el('th', {class: 'num'}, 'Rows'), el('th', {class: 'num'}, 'Amount'))),
      el('tbody', {}, statuses.map(status => el('tr', {dataset: {status}},
        el('td', {}, el('a', {href: `#/payouts?batch=${encodeURIComponent(batch.id)}&status=${status}`}, badge(status))),
        el('td', {class: 'num'}, count(batch.counts[status])),
        el('td', {class: 'num'}, rupiah(batch.amounts[status])))),
      el('tr', {class: 'total'}, el('td', {}, 'Total'), el('td', {class: 'num'}, count(batch.rows)),
        el('td', {class: 'num'}, rupiah(total(batch.amounts)))))),
    rowsWithoutAmount(batch),
    el('p', {class: 'small muted'}, `Came in by ${batch.intake} · started ${started.wib} (${started.utc})`,
      finished ? ` · finished ${finished.wib} (${finished.utc})` : ' · not finished'));
}

/** Rows counted above that add no amount: refused, or repeating a payout another row holds (its money counts once). */
function rowsWithoutAmount(batch) {
  const refused = batch.refusedRows || 0;
  const repeated = batch.repeatedRows || 0;
  if (!refused && !repeated) {
    return null;
  }
  const words = [refused ? `${count(refused)} refused (no payout)` : null,
    repeated ? `${count(repeated)} repeating a payout another row holds (paid and counted once)` : null];
  return el('p', {class: 'small muted', id: 'rows-without-amount'},
    `Rows without an amount: ${words.filter(Boolean).join('; ')}.`);
}

/** The file's total against its provider's balance before its rows started ({provider, total, balance, shortfall}). */
function funds(compared) {
  if (!compared) {
    return null;
  }
  const words = `Before it started: total ${rupiah(compared.total)}, ${compared.provider}'s balance ${rupiah(compared.balance)}`;
  return compared.shortfall > 0
    ? el('p', {class: 'notice', 'data-kind': 'error', id: 'shortfall'},
      `${words}: short by ${rupiah(compared.shortfall)}. Rows wait, held, once the balance runs out; top up and resume the provider.`)
    : el('p', {class: 'small muted', id: 'funds'}, `${words}: covered.`);
}

function showActions(card, batch, refresh) {
  const boxes = [];
  const results = el('button', {type: 'button', id: 'download-results'}, 'Download results (CSV)');
  results.addEventListener('click', busy(results, async () => {
    const name = `${batch.id.replace(/\.(csv|json)$/i, '')}.results.csv`;
    try {
      await download(`/api/batches/${segment(batch.id)}/results`, name);
      notify('success', `Saved ${name}.`);
    } catch (failure) {
      notify('error', `Results of ${batch.id}: ${failure.message}`);
    }
  }));
  boxes.push(actionBox('action-results', 'Results file', 'Every row with its status now, as the outbox has it.', null, results));
  const waiting = batch.counts.AWAITING_APPROVAL || 0;
  if (waiting && can('approve')) {
    const note = noteField('batch-approve-note');
    const body = () => noteBody(note.querySelector('input'));
    const approve = actionButton({class: 'approve', id: 'batch-approve'}, `Approve ${count(waiting)} payouts`,
      () => batchAction(batch.id, 'approve', body()), refresh);
    const reject = actionButton({class: 'danger', id: 'batch-reject'}, 'Reject them',
      () => batchAction(batch.id, 'reject', body()), refresh);
    boxes.push(actionBox('action-batch-approve', 'Approve or reject the batch',
      `${count(waiting)} payouts of this batch (${rupiah(batch.amounts.AWAITING_APPROVAL)}) wait for a second person.`,
      note, el('div', {class: 'row'}, approve, reject)));
  }
  if (batch.final < batch.rows && can('operate')) {
    const note = noteField('batch-cancel-note');
    const cancel = actionButton({class: 'danger', id: 'batch-cancel'}, 'Cancel the rest', async () => {
      if (window.confirm(`Cancel every payout of ${batch.id} that has not been sent yet?`)) {
        await batchAction(batch.id, 'cancel', noteBody(note.querySelector('input')));
      }
    }, refresh);
    boxes.push(actionBox('action-batch-cancel', 'Cancel the batch',
      'Cancels every payout not yet sent (queued, held, awaiting approval); those already sent go on.', note, cancel));
  }
  fill(card, el('h2', {}, 'Actions'), el('div', {class: 'actions'}, boxes));
}
