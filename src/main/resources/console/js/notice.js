// The banner under the header that tells the result of every action, or what went wrong.

import {el, fill} from './dom.js';

let shownAt = 0;

/** kind: success, error or info. */
export function notify(kind, text) {
  const notice = document.getElementById('notice');
  notice.dataset.kind = kind;
  fill(notice, el('span', {class: 'text', id: 'notice-text'}, text),
    el('button', {type: 'button', class: 'quiet', onclick: () => clearNotice()}, 'Dismiss'));
  notice.hidden = false;
  shownAt = Date.now();
}

/** On leaving a page: a notice stays only when the action that wrote it just led here. */
export function clearStaleNotice() {
  if (Date.now() - shownAt > 1500) {
    clearNotice();
  }
}

export function clearNotice() {
  const notice = document.getElementById('notice');
  notice.hidden = true;
  notice.replaceChildren();
  delete notice.dataset.kind;
}
