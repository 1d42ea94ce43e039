/** How the dashboard writes sizes, durations, ages and times. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes in binary units with three significant digits: `1.46 GB`; `—` when unknown. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** A span of seconds in its two largest units: `42 s`, `7 min 3 s`, `2 h 5 min`, `3 d 4 h`. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** The same, shorter, for a chart's axis: `45 s`, `12 min`, `2.5 h`. */
export function formatSecondsShort(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${+(seconds / 60).toFixed(1)} min`;
  return `${+(seconds / 3600).toFixed(1)} h`;
}

/** finishedAt − startedAt, in seconds; `null` while it runs or when either end is unknown. */
export function durationSeconds(startedAt: string | null | undefined, finishedAt: string | null | undefined): number | null {
  if (!startedAt || !finishedAt) return null;
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : null;
}

export function formatDuration(startedAt: string | null | undefined, finishedAt: string | null | undefined): string {
  const seconds = durationSeconds(startedAt, finishedAt);
  return seconds === null ? '—' : formatSeconds(seconds);
}

/** How long ago an instant was, coarsely: `just now`, `12 min ago`, `3 h ago`, `5 d ago`. */
export function formatAge(iso: string, now: number): string {
  const seconds = (now - Date.parse(iso)) / 1000;
  if (!Number.isFinite(seconds)) return '—';
  // A minute ahead is the clocks' drift (a backup that just started, told live), not the future.
  if (seconds < -60) return 'in the future';
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** An instant as the reader's locale writes it, with the time zone: for `title`s. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  });
}

/** An instant, briefly, in the reader's locale: `Nov 2, 03:12`. */
export function formatShortTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** `window { since until }` in words: `last 7 days` (open end), else `since … until …`. */
export function formatWindow(window: { since?: string | null; until?: string | null }, now: number): string {
  const { since, until } = window;
  if (!since && !until) return 'all time';
  if (since && !until) {
    const days = (now - Date.parse(since)) / 86_400_000;
    if (Number.isFinite(days) && days > 0) {
      if (days >= 1) {
        const whole = Math.round(days);
        return whole === 1 ? 'last day' : `last ${whole} days`;
      }
      const hours = Math.max(1, Math.round(days * 24));
      return hours === 1 ? 'last hour' : `last ${hours} hours`;
    }
    return `since ${formatTime(since)}`;
  }
  if (!since) return `until ${formatTime(until!)}`;
  return `${formatTime(since)} – ${formatTime(until!)}`;
}
