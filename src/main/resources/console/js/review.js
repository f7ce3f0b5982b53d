// Review: the payouts a person must decide. PENDING and flagged (the provider cannot settle them,
// or they have waited past the review time), each with its resolve form; conflicts (the
// provider's late evidence against a final status); and PENDING payouts older than an hour that
// are not flagged yet. Refreshed every 5 seconds (an open resolve form is kept).

import {get} from './api.js';
import {busy, payoutAction} from './actions.js';
import {el, fill} from './dom.js';
import {count} from './format.js';
import {every} from './live.js';
import {can} from './session.js';
import {payoutTable} from './table.js';

const OLD_AFTER_MS = 3600_000;

export async function render(view, _argument, alive) {
  const flagged = el('section', {class: 'card', id: 'review-pending'}, el('h2', {}, 'Needs a decision'));
  const conflicts = el('section', {class: 'card', id: 'review-conflicts'}, el('h2', {}, 'Conflicts'));
  const old = el('section', {class: 'card', id: 'review-old'}, el('h2', {}, 'PENDING for over an hour'));
  fill(view, el('div', {class: 'page-head'}, el('h1', {}, 'Review'),
    el('span', {class: 'muted small'}, 'what a person must look at · refreshed every 5 s')),
  el('div', {class: 'stack'}, flagged, conflicts, old));
  const open = new Set();
  let shown = '';

  const refresh = async () => {
    const before = new Date(Date.now() - OLD_AFTER_MS).toISOString();
    let pending;
    let all;
    let waiting;
    try {
      [pending, all, waiting] = await Promise.all([
        get('/api/payouts?status=PENDING&reviewRequired=true&limit=200'),
        get('/api/payouts?reviewRequired=true&limit=200'),
        get(`/api/payouts?status=PENDING&reviewRequired=false&createdTo=${encodeURIComponent(before)}&limit=50`),
      ]);
    } catch (failure) {
      fill(flagged, el('h2', {}, 'Needs a decision'), el('p', {class: 'notice', 'data-kind': 'error'}, failure.message));
      return;
    }
    if (!alive()) {
      return;
    }
    const seen = JSON.stringify([pending.items, all.items, waiting.items]);
    if (seen === shown || open.size) {
      return; // nothing changed, or a person is writing a note: keep the page still
    }
    shown = seen;
    const resolvable = can('operate');
    fill(flagged, el('h2', {}, 'Needs a decision ', el('span', {class: 'muted small', id: 'review-count'},
      `${count(pending.items.length)}${pending.nextCursor ? '+' : ''} PENDING, flagged for a person`)),
    el('p', {class: 'small muted'}, 'Resolve from what the provider\'s support or the bank statement says; the note is ',
      'recorded in the payout\'s history with your key\'s name.'),
    payoutTable(pending.items, {empty: 'Nothing waits for a decision.', extraTitle: 'Resolve',
      extra: resolvable ? outcome => resolveButton(outcome, open, () => {
        shown = '';
        return refresh();
      }) : undefined}));
    const conflicted = all.items.filter(outcome => outcome.conflict);
    fill(conflicts, el('h2', {}, 'Conflicts ', el('span', {class: 'muted small'},
      `${count(conflicted.length)} payouts the provider contradicted after they were final`)),
    payoutTable(conflicted, {empty: 'No conflicts.'}));
    fill(old, el('h2', {}, 'PENDING for over an hour ', el('span', {class: 'muted small'}, 'not flagged yet')),
      payoutTable(waiting.items, {empty: 'None.'}));
  };
  return every(5000, refresh);
}

/** "Resolve…": opens the payout's form in its row (status and a mandatory note). */
function resolveButton(outcome, open, refresh) {
  const cell = el('div', {class: 'resolve-cell'});
  const start = el('button', {type: 'button', class: 'primary', dataset: {resolve: outcome.reference}}, 'Resolve…');
  start.addEventListener('click', () => {
    open.add(outcome.reference);
    const choice = el('select', {name: 'status'}, el('option', {value: 'SUCCEEDED'}, 'SUCCEEDED'),
      el('option', {value: 'FAILED'}, 'FAILED'));
    const note = el('input', {name: 'note', type: 'text', required: true, maxlength: 500, placeholder: 'Note (required)'});
    const save = el('button', {type: 'submit', class: 'primary'}, 'Resolve');
    const close = el('button', {type: 'button', class: 'quiet', onclick: () => {
      open.delete(outcome.reference);
      fill(cell, start);
    }}, 'Close');
    const form = el('form', {class: 'row resolve-form', dataset: {reference: outcome.reference}}, choice, note, save, close);
    form.addEventListener('submit', busy(save, async () => {
      const result = await payoutAction(outcome.reference, 'resolve', {status: choice.value, note: note.value.trim()});
      if (result.ok) {
        open.delete(outcome.reference);
        await refresh();
      }
    }));
    fill(cell, form);
    note.focus();
  });
  return fill(cell, start);
}
