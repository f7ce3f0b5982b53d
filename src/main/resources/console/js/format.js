// How the console writes money and time: rupiah with thousands separators (Indonesian style:
// Rp 1.250.000), times in Western Indonesia Time (WIB, the providers' and Bank Indonesia's clock)
// with UTC beside them.

const RUPIAH = new Intl.NumberFormat('id-ID', {style: 'currency', currency: 'IDR', maximumFractionDigits: 0,
  minimumFractionDigits: 0});
const COUNT = new Intl.NumberFormat('id-ID');
const PARTS = {year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  hourCycle: 'h23'};
const WIB = new Intl.DateTimeFormat('en-CA', {...PARTS, timeZone: 'Asia/Jakarta'});
const UTC = new Intl.DateTimeFormat('en-CA', {...PARTS, timeZone: 'UTC'});
const WIB_DAY = new Intl.DateTimeFormat('en-CA', {year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Jakarta'});
const WIB_OFFSET_MS = 7 * 3600 * 1000; // WIB is UTC+7 all year (no daylight saving)

/** Rp 1.250.000 (a number or a decimal text such as Durianpay's "20000.00"). */
export function rupiah(amount) {
  if (amount === null || amount === undefined || amount === '') {
    return '—';
  }
  const value = typeof amount === 'number' ? amount : Number(amount);
  return Number.isFinite(value) ? RUPIAH.format(value).replace(/\u00a0/g, ' ') : String(amount);
}

/** 1.234 */
export function count(value) {
  return value === null || value === undefined ? '—' : COUNT.format(value);
}

/** 97,5 % (a fraction 0..1), or — when there is none. */
export function percent(fraction) {
  return fraction === null || fraction === undefined ? '—'
    : `${(Math.floor(fraction * 1000) / 10).toLocaleString('id-ID')} %`;
}

function stamp(format, date) {
  const part = Object.fromEntries(format.formatToParts(date).map(p => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}

/** {wib: "2026-12-01 14:03:22 WIB", utc: "07:03:22 UTC"} of an ISO instant. */
export function times(iso) {
  if (!iso) {
    return {wib: '—', utc: ''};
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return {wib: String(iso), utc: ''};
  }
  const utc = stamp(UTC, date);
  const wib = stamp(WIB, date);
  return {wib: `${wib} WIB`, utc: `${wib.substring(0, 10) === utc.substring(0, 10) ? utc.substring(11) : utc} UTC`};
}

/** "2026-12-01 14:03:22 WIB · 07:03:22 UTC" */
export function when(iso) {
  const t = times(iso);
  return t.utc ? `${t.wib} · ${t.utc}` : t.wib;
}

/** The start of today in WIB, as a Date. */
export function startOfTodayWib(now = new Date()) {
  const day = WIB_DAY.format(now); // 2026-12-01
  return new Date(Date.parse(`${day}T00:00:00Z`) - WIB_OFFSET_MS);
}

/** HH:MM in WIB (chart axes). */
export function clockWib(date) {
  return stamp(WIB, date).substring(11, 16);
}

/** A datetime-local value (WIB wall clock) → ISO instant, or null. */
export function wibInputToInstant(value) {
  if (!value) {
    return null;
  }
  const utcMillis = Date.parse(`${value.length === 16 ? value + ':00' : value}Z`) - WIB_OFFSET_MS;
  return Number.isNaN(utcMillis) ? null : new Date(utcMillis).toISOString();
}

/** An ISO instant → datetime-local value in WIB. */
export function instantToWibInput(iso) {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : stamp(WIB, date).replace(' ', 'T').substring(0, 16);
}
