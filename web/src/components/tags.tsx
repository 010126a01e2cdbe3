// Coloured tags for the controlled vocabularies, so a status looks the same on every page.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AccessMode, AgreementStatus, Sensitivity, SharingType } from '../api/client';

export const STATUS_COLORS: Record<AgreementStatus, string> = {
  pending: 'processing',
  pending_superior: 'purple',
  active: 'success',
  rejected: 'error',
  suspended: 'warning',
  revoked: 'magenta',
  expired: 'default',
  withdrawn: 'default',
};

// Hex equivalents for the charts, kept next to the tag colours so both stay in step.
export const STATUS_HEX: Record<AgreementStatus, string> = {
  pending: '#1677ff',
  pending_superior: '#722ed1',
  active: '#52c41a',
  rejected: '#ff4d4f',
  suspended: '#faad14',
  revoked: '#eb2f96',
  expired: '#bfbfbf',
  withdrawn: '#8c8c8c',
};

export const SHARING_COLORS: Record<SharingType, string> = {
  unconditional: 'green',
  conditional: 'orange',
  not_shared: 'red',
};

export const SHARING_HEX: Record<SharingType, string> = {
  unconditional: '#52c41a',
  conditional: '#fa8c16',
  not_shared: '#ff4d4f',
};

const SENSITIVITY_COLORS: Record<Sensitivity, string> = { 1: 'green', 2: 'blue', 3: 'orange', 4: 'red' };

export function StatusTag({ status }: { status: AgreementStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-status={status}>
      {t(`status.${status}`)}
    </Tag>
  );
}

export function SharingTag({ type }: { type: SharingType }) {
  const { t } = useTranslation();
  return <Tag color={SHARING_COLORS[type]}>{t(`sharingType.${type}`)}</Tag>;
}

export function ModeTags({ modes }: { modes: AccessMode[] }) {
  const { t } = useTranslation();
  return (
    <>
      {modes.map((m) => (
        <Tag key={m} color="geekblue">
          {t(`mode.${m}`)}
        </Tag>
      ))}
    </>
  );
}

export function SensitivityTag({ level }: { level: Sensitivity }) {
  const { t } = useTranslation();
  return <Tag color={SENSITIVITY_COLORS[level]}>{t(`sensitivity.${level}`)}</Tag>;
}
