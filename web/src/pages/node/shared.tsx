// What the node page's panels share: polling, refresh intervals, the node's codes and masking rules in
// words, and small formatting helpers.
import { Space, Tag, Tooltip } from 'antd';
import type { TFunction } from 'i18next';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { type AccessMode, ApiError, type AuditDecision, type ComparisonOp, type NodeOverview } from '../../api/client';
import { errorMessage } from '../../components/errors';
import { paren, joinList } from '../../i18n/punctuation';

export const REQUESTS_EVERY_MS = 5_000;

export const OVERVIEW_EVERY_MS = 15_000;

/** The node refuses service when it has not confirmed agreement states with the hub for this long. */
export const STALE_AFTER_MS = 10 * 60_000;

export const TRY_MODES: AccessMode[] = ['verify', 'record'];

export const OPS: ComparisonOp[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte'];

export const OP_SIGNS: Record<ComparisonOp, string> = { eq: '=', ne: '≠', lt: '<', lte: '≤', gt: '>', gte: '≥' };

export type NodeAgreementEntry = NodeOverview['agreements'][number];

export type RequestFilter = 'all' | AuditDecision;

/** The current time, ticking, so relative times and the staleness warning stay true while the page is open. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** A translated explanation of a node problem code, or null when the console does not know the code. */
export function nodeCodeText(t: TFunction, code: string | null | undefined): string | null {
  if (!code) return null;
  const key = `node.errors.${code}`;
  const text = t(key);
  return text === key ? null : text;
}

/** The friendly message for a failed node call; the server's detail is added when it says more. */
export function nodeErrorMessage(t: TFunction, e: unknown): string {
  if (e instanceof ApiError) {
    const friendly = nodeCodeText(t, e.code);
    if (friendly) {
      const specific = e.detail && !e.detail.includes(' / ') && !e.detail.includes(friendly);
      return specific ? `${friendly}${paren(e.detail)}` : friendly;
    }
  }
  return errorMessage(t, e);
}

export function maskingLabel(t: TFunction, rule: string): string {
  const colon = rule.indexOf(':');
  const kind = colon < 0 ? rule.trim() : rule.slice(0, colon).trim();
  const arg = colon < 0 ? '' : rule.slice(colon + 1).trim();
  switch (kind) {
    case 'keep_prefix':
    case 'truncate_decimal':
      return t(`node.rules.${kind}`, { n: arg });
    case 'range':
      return t('node.rules.range', { bounds: arg.replace(/^\[|\]$/g, '').replaceAll(',', ', ') });
    case 'none':
    case 'hide':
    case 'id_number':
    case 'name':
    case 'phone':
    case 'date_to_year':
    case 'date_to_month':
      return t(`node.rules.${kind}`);
    default:
      return rule;
  }
}

export function today(): string {
  return dayjs().format('YYYY-MM-DD');
}

export function newCaseId(): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  const suffix = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  return `CASE-${dayjs().format('YYYYMMDD')}-${suffix}`;
}

export function splitSubjects(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,，;；、]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return String(value);
}

/** Compact tag list: the first `max` tags, the rest behind a "+N" with a tooltip. */
export function TagList({ values, max = 4, color }: { values: string[]; max?: number; color?: string }) {
  if (values.length === 0) return <>—</>;
  const shown = values.slice(0, max);
  const rest = values.slice(max);
  return (
    <Space size={[4, 4]} wrap>
      {shown.map((v) => (
        <Tag key={v} color={color} style={{ marginInlineEnd: 0 }}>
          {v}
        </Tag>
      ))}
      {rest.length > 0 && (
        <Tooltip title={joinList(rest)}>
          <Tag style={{ marginInlineEnd: 0 }}>+{rest.length}</Tag>
        </Tooltip>
      )}
    </Space>
  );
}
