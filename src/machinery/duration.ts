/**
 * Human-readable ages as kubectl prints them in the AGE column (apimachinery util/duration):
 * `95s`, `3m20s`, `4h12m`, `2d3h`, `400d`, `3y20d`. Pure: time comes in as arguments, never from a clock.
 */

const second = 1000
const minute = 60 * second
const hour = 60 * minute

/** Go's int(d / unit): truncation toward zero. */
const per = (ms: number, unit: number) => Math.trunc(ms / unit)

/**
 * duration.HumanDuration: ~2-3 significant figures. Within 2 s in the future counts as now ("0s");
 * further in the future is "<invalid>".
 */
export function humanDuration(ms: number): string {
  const seconds = per(ms, second)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60 * 2) return `${seconds}s`
  const minutes = per(ms, minute)
  if (minutes < 10) {
    const s = seconds % 60
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`
  }
  if (minutes < 60 * 3) return `${minutes}m`
  const hours = per(ms, hour)
  if (hours < 8) {
    const m = minutes % 60
    return m === 0 ? `${hours}h` : `${hours}h${m}m`
  }
  if (hours < 48) return `${hours}h`
  const days = Math.trunc(hours / 24)
  if (hours < 24 * 8) {
    const h = hours % 24
    return h === 0 ? `${days}d` : `${days}d${h}h`
  }
  if (hours < 24 * 365 * 2) return `${days}d`
  const years = Math.trunc(days / 365)
  if (hours < 24 * 365 * 8) {
    const dy = days % 365
    return dy === 0 ? `${years}y` : `${years}y${dy}d`
  }
  return `${years}y`
}

/** duration.ShortHumanDuration: one unit only (`45s`, `12m`, `5h`, `30d`, `2y`). */
export function shortHumanDuration(ms: number): string {
  const seconds = per(ms, second)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60) return `${seconds}s`
  const minutes = per(ms, minute)
  if (minutes < 60) return `${minutes}m`
  const hours = per(ms, hour)
  if (hours < 24) return `${hours}h`
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`
  return `${Math.trunc(ms / hour / 24 / 365)}y`
}

/**
 * kubectl's translateTimestampSince: the age of an RFC 3339 timestamp at `now` (epoch ms), or
 * `<unknown>` when the timestamp is absent (or unparseable).
 */
export function translateTimestampSince(ts: string | undefined, now: number): string {
  if (!ts) return '<unknown>'
  const t = Date.parse(ts)
  if (Number.isNaN(t)) return '<unknown>'
  return humanDuration(now - t)
}
