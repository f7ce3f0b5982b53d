// The signed-in key lives in this browser tab's sessionStorage only: it is gone when the tab is
// closed, is never written to localStorage or a cookie, and is sent only in the X-API-Key header.

const KEY = 'camel-payouts.console.key';
const WHO = 'camel-payouts.console.who';

export function key() {
  return sessionStorage.getItem(KEY);
}

/** {name, roles} of the signed-in key, or null. */
export function who() {
  try {
    return JSON.parse(sessionStorage.getItem(WHO) || 'null');
  } catch (notJson) {
    return null;
  }
}

export function signIn(apiKey, identity) {
  sessionStorage.setItem(KEY, apiKey);
  sessionStorage.setItem(WHO, JSON.stringify(identity));
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(WHO);
}

/** Whether the signed-in key has the role (submit, read, operate, approve). */
export function can(role) {
  const identity = who();
  return !!identity && Array.isArray(identity.roles) && identity.roles.includes(role);
}
