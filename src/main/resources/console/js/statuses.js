// The payouts' statuses in the order the console lists them, and their colours in charts.

export const ORDER = ['SUCCEEDED', 'PENDING', 'AWAITING_APPROVAL', 'FAILED', 'REJECTED', 'CANCELLED'];
export const FINAL = ['SUCCEEDED', 'FAILED', 'REJECTED', 'CANCELLED'];
export const COLOURS = {SUCCEEDED: '#3aa76d', PENDING: '#e0a526', AWAITING_APPROVAL: '#8b6fd6', FAILED: '#e05b4c',
  REJECTED: '#98a2b3', CANCELLED: '#475467'};

/** The statuses given, in the console's order (any the console does not know, last). */
export function ordered(statuses) {
  return [...ORDER.filter(s => statuses.includes(s)), ...statuses.filter(s => !ORDER.includes(s)).sort()];
}

export function isFinal(status) {
  return FINAL.includes(status);
}

export function colour(status) {
  return COLOURS[status] || '#667085';
}
