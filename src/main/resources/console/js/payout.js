// A payout's page: what it is, its history as a timeline (oldest first), and the actions its
// state allows and the signed-in key's roles permit. Refreshes while the payout is not final.

import {get, segment} from './api.js';
import {actionBox, actionButton, busy, noteBody, noteField, payoutAction} from './actions.js';
import {badge, el, fill} from './dom.js';
import {rupiah, times, when} from './format.js';
import {every} from './live.js';
import {can} from './session.js';
import {isFinal} from './statuses.js';
import {flags} from './table.js';

const HOLDS = {
  'provider-paused': 'held: its provider is paused; it is sent when the provider is resumed',
  'insufficient-funds': 'held: the provider\'s balance was too low; it is sent after a top-up and resume',
  'bank-window': 'held: waiting for Bank Indonesia\'s window for this rail',
};

export async function renderOne(view, encoded, alive) {
  const reference = decodeURIComponent(encoded);
  const head = el('div', {class: 'page-head'}, el('a', {href: '#/payouts'}, '← Payouts'),
    el('h1', {class: 'mono', id: 'payout-reference'}, reference));
  const facts = el('section', {class: 'card', id: 'payout-facts'}, el('p', {class: 'muted'}, 'Loading…'));
  const actions = el('section', {class: 'card', id: 'payout-actions'}, el('h2', {}, 'Actions'));
  const history = el('section', {class: 'card', id: 'history'}, el('h2', {}, 'History'));
  fill(view, head, el('div', {class: 'grid payout'}, el('div', {class: 'stack'}, facts, actions), history));

  let shownState = '';
  const refresh = async () => {
    const [outcome, log] = await Promise.all([
      get(`/api/payouts/${segment(reference)}`),
      get(`/api/payouts/${segment(reference)}/history`),
    ]);
    if (!alive()) {
      return;
    }
    showFacts(facts, outcome, log.entries);
    showHistory(history, log.entries);
    // the action forms are rebuilt only when the state changes, so a half-written note survives a refresh
    const state = `${outcome.status}|${outcome.hold || ''}|${!!outcome.reviewRequired}|${sent(log.entries)}`;
    if (state !== shownState) {
      shownState = state;
      showActions(actions, outcome, log.entries, () => {
        shownState = '';
        return refresh();
      });
    }
    return isFinal(outcome.status) && !outcome.reviewRequired;
  };
  try {
    await refresh();
  } catch (failure) {
    fill(facts, el('p', {class: 'notice', 'data-kind': 'error', id: 'payout-error'}, failure.message));
    fill(actions);
    fill(history);
    return undefined;
  }
  return every(3000, refresh);
}

function showFacts(card, outcome, entries) {
  const created = entries.length ? entries[0].at : null;
  const row = (label, value) => [el('dt', {}, label), el('dd', {}, value ?? '—')];
  const time = iso => {
    const t = times(iso);
    return [t.wib, t.utc ? el('span', {class: 'muted small'}, ` · ${t.utc}`) : null];
  };
  fill(card,
    el('div', {class: 'row'}, el('span', {id: 'payout-status'}, badge(outcome.status)), flags(outcome),
      el('span', {class: 'amount-big', id: 'payout-amount'}, rupiah(outcome.amount))),
    outcome.hold ? el('p', {class: 'notice', 'data-kind': 'info'}, HOLDS[outcome.hold] || `held: ${outcome.hold}`) : null,
    el('dl', {class: 'facts'},
      row('Provider', outcome.provider),
      row('Method', outcome.method),
      row('Account name', outcome.accountName),
      row('Provider reference', outcome.providerReference),
      row('Provider answer', outcome.responseCode ? `${outcome.responseCode} ${outcome.responseDesc || ''}` : null),
      row('Reason', outcome.reason),
      outcome.conflict ? row('Conflict', outcome.conflict) : null,
      outcome.token ? row('Cash-out token', outcome.token) : null,
      row('Created', created ? time(created) : null),
      row('Updated', time(outcome.updatedAt))));
}

const CAUSES = {
  intake: 'received', worker: 'gateway', 'status-inquiry': 'status inquiry', callback: 'provider callback',
  operator: 'operator', approval: 'approval',
};

function showHistory(card, entries) {
  fill(card, el('h2', {}, 'History ', el('span', {class: 'muted small'}, `${entries.length} changes, oldest first`)),
    el('ol', {class: 'timeline', id: 'timeline'}, entries.map(entry => el('li', {
      class: `to-${entry.to || ''} ${entry.conflict ? 'conflict' : ''}`.trim(),
      dataset: {cause: entry.cause || '', to: entry.to || ''}},
    el('div', {class: 'when'}, when(entry.at)),
    el('div', {class: 'what'},
      entry.from && entry.from !== entry.to ? [badge(entry.from), ' → '] : null, badge(entry.to),
      ' ', CAUSES[entry.cause] || entry.cause || '', entry.by ? el('span', {class: 'muted'}, ` by ${entry.by}`) : null),
    entry.detail && entry.detail !== CAUSES[entry.cause] ? el('div', {}, entry.detail) : null,
    entry.code || entry.description ? el('div', {class: 'small'},
      el('code', {}, entry.code || ''), ' ', entry.description || '') : null,
    entry.conflict ? el('div', {class: 'small'}, badge(entry.conflict, 'conflict'),
      ' the provider contradicted the final status: a person must look') : null,
    entry.note ? el('div', {class: 'note'}, entry.note) : null))));
}

/** Whether the transfer (or cash out) was sent: then cancelling is too late (the gateway decides in the end; an inquiry moves no money). */
function sent(entries) {
  return entries.some(entry => entry.cause === 'status-inquiry' || entry.cause === 'callback'
    || (entry.cause === 'worker' && /\bsent\b/i.test(entry.detail || '')));
}

function showActions(card, outcome, entries, refresh) {
  const boxes = [];
  const status = outcome.status;
  const operate = can('operate');
  const approve = can('approve');
  const waiting = status === 'AWAITING_APPROVAL';
  if (waiting && approve) {
    const note = noteField('approve-note');
    const body = () => noteBody(note.querySelector('input'));
    const approveButton = actionButton({class: 'approve', id: 'approve'}, 'Approve',
      () => payoutAction(outcome.reference, 'approve', body()), refresh);
    const rejectButton = actionButton({class: 'danger', id: 'reject'}, 'Reject',
      () => payoutAction(outcome.reference, 'reject', body()), refresh);
    boxes.push(actionBox('action-approve', 'Approve or reject',
      'A second person\'s decision: the key that submitted the payout may not approve it. Rejected is final; nothing is sent.',
      note, el('div', {class: 'row'}, approveButton, rejectButton)));
  }
  if (operate && (waiting || (status === 'PENDING' && (outcome.hold || !sent(entries))))) {
    const note = noteField('cancel-note');
    const button = actionButton({class: 'danger', id: 'cancel'}, 'Cancel payout',
      () => payoutAction(outcome.reference, 'cancel', noteBody(note.querySelector('input'))), refresh);
    boxes.push(actionBox('action-cancel', 'Cancel',
      'Only while nothing has been sent to the provider (queued, held, awaiting approval). CANCELLED is final.', note, button));
  }
  if (operate && status === 'PENDING' && outcome.reviewRequired) {
    const choice = el('select', {id: 'resolve-status'}, el('option', {value: 'SUCCEEDED'}, 'SUCCEEDED: the money arrived'),
      el('option', {value: 'FAILED'}, 'FAILED: the money did not move'));
    const note = el('textarea', {id: 'resolve-note', maxlength: 500, required: true,
      placeholder: 'What you checked, e.g. "Duitku support ticket 4711: credited on 2 Dec"'});
    const button = el('button', {type: 'submit', class: 'primary', id: 'resolve'}, 'Resolve');
    const form = el('form', {class: 'actions'}, el('label', {}, 'Outcome', choice), el('label', {}, 'Note (required)', note), button);
    form.addEventListener('submit', busy(button, async () => {
      await payoutAction(outcome.reference, 'resolve', {status: choice.value, note: note.value.trim()});
      await refresh();
    }));
    boxes.push(actionBox('action-resolve', 'Resolve',
      'The provider cannot settle this payout: decide it from your evidence. Recorded with your key\'s name and forwarded.', form));
  }
  if (operate && status === 'PENDING' && !outcome.hold) {
    const button = actionButton({id: 'recheck'}, 'Ask the provider now',
      () => payoutAction(outcome.reference, 'recheck'), refresh);
    boxes.push(actionBox('action-recheck', 'Recheck', 'A status inquiry now instead of at its next turn.', null, button));
  }
  fill(card, el('h2', {}, 'Actions'), boxes.length ? el('div', {class: 'actions'}, boxes)
    : el('p', {class: 'muted', id: 'no-actions'}, noActionReason(outcome, operate, approve)));
}

function noActionReason(outcome, operate, approve) {
  if (isFinal(outcome.status)) {
    return `${outcome.status} is final: there is nothing to do.`;
  }
  if (!operate && !approve) {
    return 'This key may only read (no operate or approve role).';
  }
  return 'Nothing this key may do in this state.';
}
