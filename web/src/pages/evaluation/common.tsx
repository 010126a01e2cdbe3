// Shared pieces of the 亩均论英雄 pages: class colours and tags, who may do what, names of codes, and the
// ledger entry viewer that shows the log entry which recorded the exchange behind a figure.
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Button, Descriptions, Drawer, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from 'i18next';
import {
  districtName as districtNameIn,
  groupLabelsEn,
  industryName as industryNameIn,
  reasonLabels,
  reasonLabelsEn,
} from '../../../../src/apps/evaluation/service/labels';
import type { Me } from '../../api/client';
import { api, ledgerApi } from '../../api/client';
import { evaluationApi } from '../../api/evaluation';
import type { EvaluationClass } from '../../api/evaluation';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLoad } from '../../components/useLoad';

// Read at render time: the pages re-render when the language changes.
const english = () => i18n.language === 'en';

export function districtName(code: string): string {
  return districtNameIn(code, english() ? 'en' : 'zh');
}

export function industryName(codeOrDivision: string): string {
  return industryNameIn(codeOrDivision, english() ? 'en' : 'zh');
}

/** A group (规上/规下) in the console's language. */
export function groupName(label: string): string {
  return english() ? (groupLabelsEn[label] ?? label) : label;
}

/** A not-graded reason by its name (the methodology's own exclusions are named where they are listed). */
export function reasonName(code: string): string {
  return english() ? (reasonLabelsEn[code] ?? 'Other reason') : (reasonLabels[code] ?? '其他不参评原因');
}

/** A unit as the methodology writes it (万元/亩), in the console's language. */
export function unitLabel(t: (key: string, options: { defaultValue: string }) => string, unit: string): string {
  return unit === '' ? '' : t(`evaluation.units.${unit}`, { defaultValue: unit });
}

/**
 * A methodology's names in the console's language: its title, indicators, exclusions and policies under
 * the English names the methodology registers (a shipped one is read once per page in English mode);
 * anything without an English name keeps the name it was evaluated under.
 */
export function useMethodologyNames(id: string | undefined) {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { data } = useLoad(() => (en && id ? evaluationApi.config(id) : Promise.resolve(null)), [en, id]);
  return useMemo(() => {
    const indicators = new Map(data?.groups.flatMap((g) => g.indicators.map((i) => [i.id, i.nameEn])) ?? []);
    const english = (items: readonly { label: string; labelEn?: string | undefined }[] = []) =>
      new Map(items.flatMap((item) => (item.labelEn ? [[item.label, item.labelEn] as const] : [])));
    const policies = english(data?.policies);
    const exclusions = english(data?.exclusions);
    return {
      title: (title: string) => (en ? (data?.titleEn ?? title) : title),
      indicator: (indicatorId: string, name: string) => (en ? (indicators.get(indicatorId) ?? name) : name),
      policy: (label: string) => (en ? (policies.get(label) ?? label) : label),
      /** An exclusion's label; null in English when none is registered (the reason's name says enough). */
      exclusion: (label: string) => (en ? (exclusions.get(label) ?? null) : label),
    };
  }, [data, en]);
}

export const CLASSES: EvaluationClass[] = ['A', 'B', 'C', 'D'];

export const CLASS_HEX: Record<EvaluationClass, string> = {
  A: '#389e0d',
  B: '#1677ff',
  C: '#fa8c16',
  D: '#cf1322',
};

const CLASS_TAG: Record<EvaluationClass, string> = { A: 'green', B: 'blue', C: 'orange', D: 'red' };

export const OWNER = 'jingxin';

export function canRun(me: Me): boolean {
  return me.memberCode === OWNER && (me.roles.includes('data_officer') || me.roles.includes('admin'));
}

/** 经信局 and the auditor see everything; a provider department sees the ranking and its own figures. */
export function seesAll(me: Me): boolean {
  return me.memberCode === OWNER || me.memberRole === 'auditor' || me.roles.includes('auditor');
}

export function canSeeEvaluation(me: Me): boolean {
  return seesAll(me) || (me.memberRole === 'provider' && me.roles.includes('data_officer'));
}

export function ClassTag({ cls, withLabel = true }: { cls: EvaluationClass | null; withLabel?: boolean }) {
  const { t } = useTranslation();
  if (!cls) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tag color={CLASS_TAG[cls]} data-testid="class-tag" data-class={cls}>
      {withLabel ? `${cls} ${t(`evaluation.classLabel.${cls}`)}` : cls}
    </Tag>
  );
}

export function fmtNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtMoney(value: string | null | undefined): string {
  if (!value) return '—';
  const [whole, frac] = value.split('.');
  return `${Number(whole).toLocaleString('zh-CN')}.${frac ?? '00'}`;
}

interface LoggedEntry {
  index: number;
  leafHash: string;
  treeSize: number;
  data: Record<string, unknown>;
}

/** "#123" next to a figure: opens the audit log entry that recorded the exchange which supplied it. */
export function LedgerEntryButton({ index, requestId }: { index: number | null; requestId: string | null }) {
  const { t } = useTranslation();
  const [entry, setEntry] = useState<LoggedEntry | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  if (index === null) {
    return (
      <Tooltip title={t('evaluation.ledgerPending')}>
        <Typography.Text type="secondary" copyable={requestId ? { text: requestId } : false} style={{ fontSize: 12 }}>
          {requestId ? `${requestId.slice(0, 8)}…` : '—'}
        </Typography.Text>
      </Tooltip>
    );
  }
  const open = async () => {
    setLoading(true);
    setError(null);
    try {
      const raw = await ledgerApi.entry(index);
      const text =
        raw.encoding === 'utf-8'
          ? raw.data
          : new TextDecoder().decode(Uint8Array.from(atob(raw.data), (c) => c.charCodeAt(0)));
      const parsed = JSON.parse(text) as Record<string, unknown>;
      // An access entry carries the provider node's sealed record; the purpose is its agreement's.
      const record = (parsed.record ?? parsed) as Record<string, unknown>;
      const agreementId = typeof record.agreementId === 'string' ? record.agreementId : null;
      const purpose = agreementId
        ? await api.agreement(agreementId).then(
            (agreement) => agreement.purpose,
            () => null,
          )
        : null;
      setEntry({
        index,
        leafHash: raw.leafHash,
        treeSize: raw.treeSize,
        data: { ...record, providerCode: record.node ?? record.providerCode, purpose },
      });
    } catch (e) {
      setError(e);
      setEntry({ index, leafHash: '', treeSize: 0, data: {} });
    } finally {
      setLoading(false);
    }
  };
  const d = entry?.data ?? {};
  const subjects = Array.isArray(d.subjects) ? d.subjects.length : 0;
  return (
    <>
      <Button
        size="small"
        type="link"
        icon={<SafetyCertificateOutlined />}
        loading={loading}
        onClick={() => void open()}
        data-testid="ledger-entry"
      >
        #{index}
      </Button>
      <Drawer open={!!entry} onClose={() => setEntry(null)} size={560} title={t('evaluation.ledgerEntry', { index })}>
        <ErrorAlert error={error} />
        {entry && !error && (
          <Descriptions
            column={1}
            size="small"
            bordered
            data-testid="ledger-entry-detail"
            items={[
              { key: 'time', label: t('evaluation.ledger.at'), children: String(d.at ?? '') },
              { key: 'consumer', label: t('evaluation.ledger.consumer'), children: String(d.consumerCode ?? '') },
              { key: 'provider', label: t('evaluation.ledger.provider'), children: String(d.providerCode ?? '') },
              { key: 'resource', label: t('evaluation.ledger.resource'), children: String(d.resourceCode ?? '') },
              { key: 'mode', label: t('evaluation.ledger.mode'), children: t(`mode.${String(d.mode ?? 'compute')}`) },
              { key: 'purpose', label: t('evaluation.ledger.purpose'), children: String(d.purpose ?? '') },
              {
                key: 'case',
                label: t('evaluation.ledger.case'),
                children: d.caseId ? t('evaluation.ledger.keyed') : '—',
              },
              { key: 'request', label: t('evaluation.ledger.requestId'), children: String(d.requestId ?? '') },
              { key: 'subjects', label: t('evaluation.ledger.subjects'), children: subjects },
              {
                key: 'leaf',
                label: t('evaluation.ledger.leafHash'),
                children: (
                  <Typography.Text code style={{ fontSize: 11 }}>
                    {entry.leafHash}
                  </Typography.Text>
                ),
              },
              { key: 'size', label: t('evaluation.ledger.treeSize'), children: entry.treeSize },
            ]}
          />
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t('evaluation.ledger.note')}
        </Typography.Paragraph>
      </Drawer>
    </>
  );
}
