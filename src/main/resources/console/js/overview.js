// Overview: counts and amounts by status for today (WIB) and the last 7 days, the success rate,
// payouts per minute by outcome, the review queue, the providers' balances and pauses. Figures
// refresh every 5 seconds, balances every minute (each is a call to the provider).

import {call, explain, get} from './api.js';
import {badge, el, fill} from './dom.js';
import {count, percent, rupiah, startOfTodayWib, when} from './format.js';
import {every} from './live.js';
import {notify} from './notice.js';
import {can} from './session.js';
import {ordered} from './statuses.js';
import {outcomesChart} from './chart.js';

const RANGES = {'1h': 60, '6h': 360, '24h': 1440};

export async function render(view, _argument, alive) {
  const tiles = el('section', {class: 'tiles', id: 'tiles'});
  const today = el('section', {class: 'card', id: 'today'}, el('h2', {}, 'Today'));
  const week = el('section', {class: 'card', id: 'week'}, el('h2', {}, 'Last 7 days'));
  const chartBox = el('div', {class: 'chart', id: 'chart'});
  let range = '1h';
  const rangeButtons = el('span', {class: 'segmented'}, Object.keys(RANGES).map(name =>
    el('button', {type: 'button', class: name === range ? 'on' : '', dataset: {range: name}, onclick: () => {
      range = name;
      for (const b of rangeButtons.children) {
        b.classList.toggle('on', b.dataset.range === name);
      }
      refreshFigures();
    }}, name)));
  const chartCard = el('section', {class: 'card'},
    el('div', {class: 'page-head'}, el('h2', {}, 'Payouts per minute by outcome'),
      el('span', {class: 'muted small'}, 'by when they came in, in their status now (WIB)'),
      el('span', {class: 'right'}, rangeButtons)),
    chartBox);
  const providersCard = el('section', {class: 'card', id: 'providers'}, el('h2', {}, 'Providers'));
  const updated = el('span', {class: 'muted small', id: 'updated'}, '');
  fill(view,
    el('div', {class: 'page-head'}, el('h1', {}, 'Overview'), updated),
    tiles,
    el('div', {class: 'grid overview'}, chartCard, providersCard),
    el('div', {class: 'grid two'}, today, week));
  const chart = outcomesChart(chartBox);

  async function refreshFigures() {
    const now = new Date();
    const dayStart = startOfTodayWib(now);
    const weekStart = new Date(dayStart.getTime() - 6 * 86_400_000);
    const chartStart = new Date(now.getTime() - (RANGES[range] - 1) * 60_000);
    let day; let days; let minutes;
    try {
      [day, days, minutes] = await Promise.all([
        get(`/api/stats?from=${dayStart.toISOString()}`),
        get(`/api/stats?from=${weekStart.toISOString()}`),
        get(`/api/stats?from=${chartStart.toISOString()}&bucket=minute`),
      ]);
    } catch (failure) {
      if (alive()) {
        fill(updated, failure.message);
      }
      return;
    }
    if (!alive()) {
      return;
    }
    showTiles(tiles, day, days);
    figures(today, 'Today', `since ${when(dayStart.toISOString()).split(' · ')[0]}`, day);
    figures(week, 'Last 7 days', `since ${when(weekStart.toISOString()).split(' · ')[0]}`, days);
    chart.update(minutes);
    fill(updated, `Updated ${when(now.toISOString())} · refreshed every 5 s`);
  }

  const stopFigures = every(5000, refreshFigures);
  const stopProviders = every(60_000, () => providers(providersCard, alive));
  return () => {
    stopFigures();
    stopProviders();
    chart.destroy();
  };
}

function total(counts) {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

function tile(id, value, label, kind, href) {
  const body = [el('div', {class: 'value', dataset: {figure: id}}, value), el('div', {class: 'label'}, label)];
  return href ? el('a', {class: `tile ${kind || ''}`, href}, body) : el('div', {class: `tile ${kind || ''}`}, body);
}

function showTiles(tiles, day, days) {
  const rateKind = rate => (rate !== null && rate < 0.95 ? 'bad' : '');
  fill(tiles,
    tile('paid-today', rupiah(day.amounts.SUCCEEDED), 'paid today'),
    tile('payouts-today', count(total(day.counts)), 'payouts today', '', '#/payouts'),
    tile('success-rate-today', percent(day.successRate), 'success rate today', rateKind(day.successRate)),
    tile('pending', count(day.counts.PENDING || 0), 'PENDING today', day.counts.PENDING ? 'wait' : '',
      '#/payouts?status=PENDING'),
    tile('paid-week', rupiah(days.amounts.SUCCEEDED), 'paid in 7 days'),
    tile('success-rate-week', percent(days.successRate), 'success rate, 7 days', rateKind(days.successRate)),
    tile('review-required', count(day.reviewRequired), 'need a person (review)', day.reviewRequired ? 'wait' : '', '#/review'),
    tile('conflicts', count(day.conflicts), 'conflicts', day.conflicts ? 'bad' : '', '#/review'));
}

function figures(card, title, since, stats) {
  const statuses = ordered(Object.keys(stats.counts));
  const all = total(stats.counts);
  const totalAmount = statuses.reduce((sum, s) => sum + (s === 'REJECTED' ? 0 : stats.amounts[s]), 0);
  fill(card,
    el('h2', {}, title, ' ', el('span', {class: 'muted small'}, since)),
    el('table', {class: 'compact'},
      el('thead', {}, el('tr', {}, el('th', {}, 'Status'), el('th', {class: 'num'}, 'Payouts'),
        el('th', {class: 'num'}, 'Amount'))),
      el('tbody', {}, statuses.map(status => el('tr', {dataset: {status}},
        el('td', {}, el('a', {href: `#/payouts?status=${status}&createdFrom=${encodeURIComponent(stats.from)}`},
          badge(status))),
        el('td', {class: 'num'}, count(stats.counts[status])),
        el('td', {class: 'num'}, rupiah(stats.amounts[status])))),
      el('tr', {class: 'total'}, el('td', {}, 'Total'), el('td', {class: 'num'}, count(all)),
        el('td', {class: 'num'}, rupiah(totalAmount))))),
    el('p', {class: 'small muted'}, `Success rate ${percent(stats.successRate)} (SUCCEEDED of SUCCEEDED and FAILED); `,
      'a REJECTED payout was never sent and adds no amount to the total.'));
}

async function providers(card, alive) {
  const listed = await call('GET', '/api/providers');
  const states = listed.ok ? providerStates(listed.data) : null;
  const names = states ? states.map(s => s.provider) : ['duitku', 'durianpay'];
  if (!alive()) {
    return;
  }
  // the pauses first (the ledger's, quick); each balance when its provider has answered
  const balances = names.map(() => el('span', {class: 'small balance'}, 'balance: asking the provider…'));
  fill(card, el('h2', {}, 'Providers'),
    names.map((name, i) => {
      const state = states ? states[i] : null;
      return el('div', {class: 'provider', dataset: {provider: name}},
        el('span', {class: 'name'}, name),
        state ? badge(state.paused ? 'paused' : 'running', state.paused ? 'paused' : 'running') : el('span'),
        balances[i],
        el('span', {class: 'small muted'}, state && state.paused
          ? `since ${when(state.since).split(' · ')[0]}${state.reason ? ` · ${state.reason}` : ''}${state.by ? ` · by ${state.by}` : ''}` : ''),
        state && can('operate') ? pauseButton(name, state, () => providers(card, alive)) : null);
    }),
    states ? null : el('p', {class: 'muted small'}, listed.status === 404
      ? 'Pausing is not served by this gateway (no GET /api/providers).' : `Pauses: ${explain(listed)}`));
  await Promise.all(names.map(async (name, i) => {
    let text;
    try {
      text = balanceText(await call('GET', `/api/balance?provider=${name}`));
    } catch (failure) {
      text = `balance: ${failure.message}`;
    }
    fill(balances[i], text);
  }));
}

/** GET /api/providers: a list, or {"items"|"providers": [...]}, each with provider (or name), paused, reason, since. */
function providerStates(data) {
  const list = Array.isArray(data) ? data : (data && (data.items || data.providers)) || [];
  return list.map(p => ({provider: p.provider || p.name, paused: !!p.paused, reason: p.reason, since: p.since}));
}

function balanceText(result) {
  if (!result.ok || !result.data) {
    return `balance: ${explain(result)}`;
  }
  const data = result.data;
  if (data.effectiveBalance !== undefined) {
    return `balance ${rupiah(data.balance)} · usable ${rupiah(data.effectiveBalance)}`;
  }
  if (Array.isArray(data.accountInfos) && data.accountInfos.length) {
    return `available ${rupiah(data.accountInfos[0].availableBalance.value)}`;
  }
  return 'balance: —';
}

function pauseButton(name, state, refresh) {
  const action = state.paused ? 'resume' : 'pause';
  return el('button', {type: 'button', class: state.paused ? 'primary' : 'danger', dataset: {action: `${action}-${name}`},
    onclick: async event => {
      event.target.disabled = true;
      const result = await call('POST', `/api/providers/${name}/${action}`, {body: {note: `from the console`}});
      if (result.ok) {
        notify('success', `${name} ${state.paused ? 'resumed: payouts waiting for it go on' : 'paused: nothing is sent to it until it is resumed'}.`);
      } else {
        notify('error', explain(result));
      }
      refresh();
    }}, state.paused ? 'Resume' : 'Pause');
}
