// The API page: Swagger UI (from its webjar) renders the gateway's OpenAPI document, fetched with
// the key signed in to the console; "Try it out" sends that key too (X-API-Key header).

import {key, who} from './session.js';
import {el, fill} from './dom.js';

const identity = who();
const box = document.getElementById('swagger');
if (!key() || !identity) {
  fill(box, el('p', {class: 'notice', 'data-kind': 'info', id: 'api-sign-in'}, 'Sign in first: ',
    el('a', {href: '/console/#/overview'}, 'open the console'), ' and come back to this page.'));
} else {
  fill(document.getElementById('who'), 'Signed in as ', el('b', {}, identity.name));
  const start = () => window.SwaggerUIBundle({
    url: '/api/openapi.yaml',
    domNode: box,
    deepLinking: false,
    tryItOutEnabled: false,
    defaultModelsExpandDepth: 0,
    docExpansion: 'list',
    validatorUrl: null,
    requestInterceptor: request => {
      // "Try it out" goes to this gateway whatever server the document names (the page may
      // connect to its own origin only), with the signed-in key
      const url = new URL(request.url, location.href);
      if (url.origin !== location.origin) {
        request.url = `${location.origin}${url.pathname}${url.search}`;
      }
      request.headers['X-API-Key'] = key();
      return request;
    },
  });
  if (window.SwaggerUIBundle) {
    start();
  } else {
    window.addEventListener('load', start);
  }
}
