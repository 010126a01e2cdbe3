// Panel 1: the latest checkpoint, its log signature and cosignatures, and whether the policy is met.
import { CheckCircleFilled, CloseCircleFilled, SafetyCertificateOutlined } from '@ant-design/icons';
import { Card, Col, Descriptions, Row, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Checkpoint } from '../../ledger/merkle';
import { type Policy, type SignatureState, cosignersOf, satisfied } from './policy';
import { CardTitle, RefreshButton } from '../../components/card';

export function CheckpointCard({
  checkpoint,
  policy,
  signatures,
  nameOf,
  onReload,
}: {
  checkpoint: Checkpoint;
  policy: Policy;
  signatures: SignatureState;
  nameOf: (code: string) => string;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const cosigners = cosignersOf(checkpoint, policy);
  const checkedBy = new Map((signatures.check?.checks ?? []).map((c) => [c.name, c]));
  const keyNameOf = new Map(policy.witnesses.map((w) => [w.name, w.keyName]));
  const logCheck = signatures.check?.checks.find((c) => c.kind === 'log');
  const cosignatureChecks = (signatures.check?.checks ?? []).filter((c) => c.kind === 'cosignature');
  const cosigned = new Set(cosigners);
  const quorumGroup = policy.quorum ? policy.groups.get(policy.quorum) : undefined;
  const final = policy.quorum !== null && satisfied(policy, policy.quorum, cosigned);
  const k = quorumGroup?.k ?? (policy.quorum ? 1 : 0);
  const n = quorumGroup?.members.length ?? policy.witnesses.length;
  const count = quorumGroup
    ? quorumGroup.members.filter((m) => satisfied(policy, m, cosigned)).length
    : cosigners.length;

  return (
    <Card
      size="small"
      title={
        <CardTitle
          icon={<SafetyCertificateOutlined style={{ color: final ? '#52c41a' : '#fa8c16' }} />}
          title={t('ledger.checkpoint')}
          note={checkpoint.origin}
        />
      }
      extra={<RefreshButton onClick={onReload} />}
      data-testid="ledger-checkpoint"
    >
      <Row gutter={[24, 16]} align="middle">
        <Col xs={24} md={6}>
          <Statistic title={t('ledger.size')} value={checkpoint.size} data-testid="checkpoint-size" />
        </Col>
        <Col xs={24} md={18}>
          <Descriptions
            column={1}
            size="small"
            items={[
              {
                key: 'root',
                label: t('ledger.root'),
                children: (
                  <Typography.Text code copyable data-testid="checkpoint-root">
                    {checkpoint.root}
                  </Typography.Text>
                ),
              },
              {
                key: 'quorum',
                label: t('ledger.quorum'),
                children: (
                  <Space size={8} wrap>
                    {policy.quorum === null ? (
                      <Tag data-testid="quorum-tag" data-final="false">
                        {t('ledger.noQuorum')}
                      </Tag>
                    ) : (
                      <>
                        <Typography.Text>{t('ledger.quorumValue', { count, k, n })}</Typography.Text>
                        <Tag
                          color={final ? 'success' : 'warning'}
                          icon={final ? <CheckCircleFilled /> : undefined}
                          data-testid="quorum-tag"
                          data-final={String(final)}
                        >
                          {final ? t('ledger.final') : t('ledger.notFinal')}
                        </Tag>
                      </>
                    )}
                  </Space>
                ),
              },
              {
                key: 'cosigned',
                label: t('ledger.cosigned'),
                children:
                  cosigners.length === 0 ? (
                    '—'
                  ) : (
                    <Space size={[4, 4]} wrap data-testid="checkpoint-cosigners">
                      {cosigners.map((code) => {
                        const check = checkedBy.get(keyNameOf.get(code) ?? '');
                        return (
                          <Tooltip key={code} title={code}>
                            <Tag
                              color={check ? (check.ok ? 'green' : 'red') : 'default'}
                              icon={check ? check.ok ? <CheckCircleFilled /> : <CloseCircleFilled /> : undefined}
                              style={{ marginInlineEnd: 0 }}
                              data-verified={check ? String(check.ok) : 'unchecked'}
                            >
                              {nameOf(code)}
                            </Tag>
                          </Tooltip>
                        );
                      })}
                    </Space>
                  ),
              },
              {
                key: 'signatures',
                label: t('usage.explorer.signatures'),
                children: signatures.check?.ok ? (
                  <Tag color="success" icon={<CheckCircleFilled />} data-testid="checkpoint-signatures" data-ok="true">
                    {t('usage.explorer.signaturesOk', { count: cosignatureChecks.length })}
                  </Tag>
                ) : (
                  <Tooltip
                    title={
                      signatures.error ??
                      (logCheck
                        ? signatures.check?.checks.find((c) => !c.ok)?.detail
                        : t('usage.explorer.sigNotChecked'))
                    }
                  >
                    <Tag color="error" icon={<CloseCircleFilled />} data-testid="checkpoint-signatures" data-ok="false">
                      {t('usage.explorer.signaturesBad')}
                    </Tag>
                  </Tooltip>
                ),
              },
            ]}
          />
        </Col>
      </Row>
    </Card>
  );
}
