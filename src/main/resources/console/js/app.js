// The console's shell: sign-in, the header, and the pages by the address's #fragment
// (#/overview, #/payouts?status=..., #/payouts/<reference>, #/batches, #/batches/<id>, #/review).

import {call, explain, onUnauthorized} from './api.js';
import {el, fill} from './dom.js';
import {clearNotice, clearStaleNotice, notify} from './notice.js';
import {key, signIn, signOut, who} from './session.js';
import * as overview from './overview.js';
import * as payouts from './payouts.js';
import * as payout from './payout.js';
import * as batches from './batches.js';
import * as review from './review.js';

const PAGES = [
  {pattern: /^#\/overview$/, page: 'overview', view: overview},
  {pattern: /^#\/payouts(?:\?(.*))?$/, page: 'payouts', view: payouts},
  {pattern: /^#\/payouts\/([^?]+)$/, page: 'payouts', view: payout, detail: true},
  {pattern: /^#\/batches$/, page: 'batches', view: batches},
  {pattern: /^#\/batches\/([^?]+)$/, page: 'batches', view: batches, detail: true},
  {pattern: /^#\/review$/, page: 'review', view: review},
];

const main = document.getElementById('view');
let leave = () => {};
let shown = 0;

function showHeader() {
  const identity = who();
  document.getElementById('nav').hidden = !identity;
  document.getElementById('sign-out').hidden = !identity;
  const whoElement = document.getElementById('who');
  fill(whoElement, identity ? ['Signed in as ', el('b', {id: 'who-name'}, identity.name), ' · ',
    el('span', {id: 'who-roles'}, identity.roles.length ? identity.roles.join(', ') : 'no roles')] : []);
}

function signInPage(message) {
  leave();
  leave = () => {};
  showHeader();
  const input = el('input', {id: 'api-key', type: 'password', autocomplete: 'off', required: true,
    placeholder: 'X-API-Key', 'aria-label': 'API key'});
  const error = el('p', {id: 'sign-in-error', class: 'notice', 'data-kind': 'error', hidden: !message}, message || '');
  const button = el('button', {id: 'sign-in', type: 'submit', class: 'primary'}, 'Sign in');
  const form = el('form', {onsubmit: async event => {
    event.preventDefault();
    button.disabled = true;
    error.hidden = true;
    try {
      const result = await call('GET', '/api/whoami', {apiKey: input.value.trim()});
      if (result.ok && result.data) {
        signIn(input.value.trim(), result.data);
        clearNotice();
        if (!location.hash || location.hash === '#/') {
          location.hash = '#/overview';
        }
        route();
      } else {
        fill(error, explain(result));
        error.hidden = false;
      }
    } catch (failure) {
      fill(error, failure.message);
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  }}, el('label', {}, 'API key', input), button);
  fill(main, el('section', {class: 'card sign-in'},
    el('h1', {}, 'Sign in'),
    el('p', {class: 'muted'}, 'Sign in with an API key of this gateway (X-API-Key). The key stays in this browser tab ',
      'only (session storage) and is forgotten when the tab is closed. What you see and may do follows the key\'s ',
      'roles: read, operate, approve.'),
    form, error));
  input.focus();
}

async function route() {
  if (!key() || !who()) {
    signInPage();
    return;
  }
  showHeader();
  const hash = location.hash || '#/overview';
  const match = PAGES.map(p => ({p, m: hash.match(p.pattern)})).find(x => x.m);
  if (!match) {
    location.replace('#/overview');
    return;
  }
  leave();
  leave = () => {};
  const generation = ++shown;
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('active', link.dataset.page === match.p.page);
  }
  const argument = match.m[1] === undefined ? '' : match.m[1];
  const render = match.p.detail ? match.p.view.renderOne : match.p.view.render;
  try {
    const cleanup = await render(main, argument, () => generation === shown);
    if (generation === shown && typeof cleanup === 'function') {
      leave = cleanup;
    } else if (typeof cleanup === 'function') {
      cleanup();
    }
  } catch (failure) {
    if (generation === shown) {
      fill(main, el('section', {class: 'card'}, el('h1', {}, 'Something went wrong'),
        el('p', {class: 'error-text'}, failure.message)));
    }
  }
}

onUnauthorized(message => {
  signOut();
  signInPage(`Signed out: ${message}`);
});

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  clearNotice();
  notify('info', 'Signed out. The key was forgotten by this tab.');
  location.hash = '#/overview';
  signInPage();
});

window.addEventListener('hashchange', () => {
  clearStaleNotice();
  route();
});

route();
