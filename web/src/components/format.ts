// Date and number formatting shared by the pages (local time, Chinese-style yyyy-mm-dd).
export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  // Plain dates (YYYY-MM-DD) must not shift across time zones.
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return fmtDateTime(iso).slice(0, 10);
}
