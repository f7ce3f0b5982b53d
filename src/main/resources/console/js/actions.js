// The operator's actions (cancel, resolve, recheck, approve, reject, for a payout or a batch):
// each is one POST with the signed-in key, and its result, good or bad, is told in the notice.

import {call, explain, segment} from './api.js';
import {el} from './dom.js';
import {notify} from './notice.js';
import {count} from './format.js';

/** What each action is called and what it did, for the notice. */
const DONE = {
  cancel: 'cancelled: nothing will be sent',
  resolve: 'resolved',
  recheck: 'will be asked of the provider now; its answer shows in the history',
  approve: 'approved: it goes to the provider now',
  reject: 'rejected: nothing will be sent',
};
const BATCH_DONE = {
  cancel: 'cancelled: its payouts not sent yet will not be',
  approve: 'approved: its waiting payouts go to the provider now',
  reject: 'rejected: its waiting payouts will not be sent',
};

/**
 * POSTs an action and tells its result; answers the gateway's result ({status, ok, data}).
 * `what` names the object for the notice ("Payout r1", "Batch payroll.csv").
 */
export async function act(path, action, body, what, done = DONE) {
  let result;
  try {
    result = await call('POST', path, {body});
  } catch (failure) {
    notify('error', `${what}: ${failure.message}`);
    return {ok: false, status: 0, data: null};
  }
  if (result.ok) {
    const status = result.data && typeof result.data.status === 'string' && result.data.reference
      ? ` It is ${result.data.status} now.` : '';
    notify('success', `${what} ${done[action] || action}.${status}${summary(result.data)}`);
  } else {
    notify('error', `${what}: ${explain(result)}`);
  }
  return result;
}

/** A payout's action: POST /api/payouts/{reference}/{action}. */
export function payoutAction(reference, action, body) {
  return act(`/api/payouts/${segment(reference)}/${action}`, action, body, `Payout ${reference}`);
}

/** A batch's action: POST /api/batches/{id}/{action}. */
export function batchAction(id, action, body) {
  return act(`/api/batches/${segment(id)}/${action}`, action, body, `Batch ${id}`, BATCH_DONE);
}

/** A batch answer in words: {"batch", "changed": n, "references": [...]} → " 12 payouts changed." */
function summary(data) {
  if (!data || typeof data !== 'object' || typeof data.changed !== 'number') {
    return '';
  }
  return ` ${count(data.changed)} ${data.changed === 1 ? 'payout' : 'payouts'} changed.`;
}

/** An action's box: a title, a line of help, optional fields and its button. */
export function actionBox(id, title, help, fields, button) {
  return el('div', {class: 'action', id}, el('strong', {}, title), el('span', {class: 'help'}, help), fields, button);
}

/** An optional note field (cancel, approve, reject). */
export function noteField(id, label = 'Note (optional)') {
  return el('label', {}, label, el('input', {id, type: 'text', maxlength: 500, autocomplete: 'off'}));
}

/** A note as a body: {"note": ...} or undefined when none was written. */
export function noteBody(input) {
  const note = input.value.trim();
  return note ? {note} : undefined;
}

/** A button that runs an action (disabled until the gateway answered), then shows the page again. */
export function actionButton(attributes, label, action, refresh) {
  const button = el('button', {type: 'button', ...attributes}, label);
  button.addEventListener('click', busy(button, async () => {
    await action();
    await refresh();
  }));
  return button;
}

/** Runs an action with its button disabled until the gateway answered. */
export function busy(button, task) {
  return async event => {
    if (event) {
      event.preventDefault();
    }
    button.disabled = true;
    try {
      await task();
    } finally {
      button.disabled = false;
    }
  };
}
