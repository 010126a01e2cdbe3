// 一网通办 self-service: the applicant logs in as themselves (name + ID number, checked against the household
// register through the exchange, with a limit on attempts), sees which department will be asked which
// yes/no question and consents (OOTS-style preview), and gets the decision at once — the electronic
// certificate with its QR code, or every reason for a refusal, or, when a department cannot be reached, a
// plain notice that the application is kept and retried. Nobody else can apply for them, or learn anything
// about them by trying.
import { CheckCircleFilled, ClockCircleFilled, CloseCircleFilled, SafetyCertificateOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Steps,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { subjectApi } from '../../api/ledger';
import {
  type Application,
  type Certificate,
  type IdNumberErrorCode,
  idNumberProblem,
  type Preview,
  reasonTitle,
  servicesApi,
} from '../../api/services';
import { ErrorAlert } from '../../components/ErrorAlert';
import { fmtDateTime } from '../../components/format';
import { useLoad } from '../../components/useLoad';
import { colon, paren } from '../../i18n/punctuation';

const ID_MESSAGES: Record<IdNumberErrorCode, string> = {
  BAD_LENGTH: 'services.idInvalid',
  BAD_FORMAT: 'services.idInvalid',
  BAD_DATE: 'services.idBadDate',
  FUTURE_DATE: 'services.idBadDate',
  BAD_CHECKSUM: 'services.idBadChecksum',
};

interface Identity {
  item: string;
  idNumber: string;
  name: string;
}

export function CertificateCard({ certificate }: { certificate: Certificate }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (
    <Card
      data-testid="certificate"
      className="certificate-card"
      title={
        <Space>
          <SafetyCertificateOutlined style={{ color: '#c41d7f' }} />
          <span>{en ? (certificate.titleEn ?? certificate.title) : certificate.title}</span>
          <Tag color="magenta">{t('services.certificate.electronic')}</Tag>
        </Space>
      }
      style={{ maxWidth: 720, borderColor: '#ffadd2' }}
    >
      <Row gutter={24} align="middle">
        <Col flex="auto">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('services.certificate.number')}>
              <span data-testid="certificate-number">{certificate.number}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('services.certificate.holder')}>{certificate.holderName}</Descriptions.Item>
            <Descriptions.Item label={t('services.certificate.birthDate')}>{certificate.birthDate}</Descriptions.Item>
            <Descriptions.Item label={t('services.certificate.issueDate')}>{certificate.issueDate}</Descriptions.Item>
            {certificate.validUntil && (
              <Descriptions.Item label={t('services.certificate.validUntil')}>
                {certificate.validUntil}
              </Descriptions.Item>
            )}
            {certificate.tier && (
              <Descriptions.Item label={t('services.certificate.tier')}>{certificate.tier}</Descriptions.Item>
            )}
            <Descriptions.Item label={t('services.certificate.issuer')}>{certificate.issuer}</Descriptions.Item>
          </Descriptions>
        </Col>
        {certificate.qr && (
          <Col flex="200px" style={{ textAlign: 'center' }}>
            <img
              src={certificate.qr.png}
              alt={t('services.certificate.qr')}
              width={180}
              height={180}
              data-testid="certificate-qr"
            />
            <div>
              <Typography.Text type="secondary">{t('services.certificate.qr')}</Typography.Text>
            </div>
            <Space size={4}>
              <a href={certificate.qr.png} download={`${certificate.number}.png`}>
                PNG
              </a>
              <a
                href={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(certificate.qr.svg)}`}
                download={`${certificate.number}.svg`}
              >
                SVG
              </a>
            </Space>
          </Col>
        )}
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {t('services.certificate.signed', { issuer: certificate.issuer, keyId: certificate.keyId })}
      </Typography.Paragraph>
      <Typography.Paragraph copyable={{ text: certificate.payload }} type="secondary" style={{ marginBottom: 0 }}>
        <Typography.Text code style={{ wordBreak: 'break-all', fontSize: 11 }}>
          {certificate.payload.slice(0, 64)}…
        </Typography.Text>
      </Typography.Paragraph>
    </Card>
  );
}

export function ApplicationOutcome({ application, onRefresh }: { application: Application; onRefresh?: () => void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const itemName = en ? (application.item.nameEn ?? application.item.name) : application.item.name;
  const number = (
    <Typography.Text copyable data-testid="application-id">
      {application.id}
    </Typography.Text>
  );
  if (application.status === 'pending_verification') {
    return (
      <Result
        data-testid="outcome"
        data-status="pending_verification"
        icon={<ClockCircleFilled style={{ color: '#fa8c16' }} />}
        title={`${t('services.status.pending_verification')} · ${itemName}`}
        subTitle={
          <Space orientation="vertical">
            <span>{en ? application.messageEn : application.message}</span>
            <span>
              {t('services.applicationNo')}
              {colon()}
              {number}
            </span>
          </Space>
        }
        extra={onRefresh && <Button onClick={onRefresh}>{t('services.checkAgain')}</Button>}
      />
    );
  }
  if (application.status === 'approved') {
    const benefit = application.benefit;
    return (
      <div data-testid="outcome" data-status="approved">
        <Result
          status="success"
          icon={<CheckCircleFilled />}
          title={`${t('services.status.approved')} · ${itemName}`}
          subTitle={
            <span>
              {t('services.applicationNo')}
              {colon()}
              {number} · {t('services.decidedAt')} {fmtDateTime(application.decidedAt)}
            </span>
          }
        />
        {benefit && (
          <Card size="small" style={{ maxWidth: 720, margin: '0 auto 16px' }} data-testid="benefit">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('services.benefit.tier')}>
                {en ? (benefit.tier.nameEn ?? benefit.tier.name) : benefit.tier.name}
              </Descriptions.Item>
              {benefit.supplements.map((s) => (
                <Descriptions.Item key={s.id} label={t('services.benefit.supplement')}>
                  {en ? (s.nameEn ?? s.name) : s.name}
                  {paren(t('services.benefit.yuan', { amount: s.monthly }))}
                </Descriptions.Item>
              ))}
              {benefit.monthlyAmount !== null && (
                <Descriptions.Item label={t('services.benefit.monthly')}>
                  <Typography.Text strong>
                    {t('services.benefit.yuan', { amount: benefit.monthlyAmount })}
                  </Typography.Text>
                </Descriptions.Item>
              )}
            </Descriptions>
            {application.item.noApplication && (
              <Alert type="info" showIcon title={t('services.benefit.noApplication')} style={{ marginTop: 8 }} />
            )}
          </Card>
        )}
        {application.certificate && (
          <div style={{ display: 'flex', justifyContent: 'center' }}>
            <CertificateCard certificate={application.certificate} />
          </div>
        )}
      </div>
    );
  }
  return (
    <div data-testid="outcome" data-status="rejected">
      <Result
        status="error"
        icon={<CloseCircleFilled />}
        title={`${t('services.status.rejected')} · ${itemName}`}
        subTitle={
          <span>
            {t('services.applicationNo')}
            {colon()}
            {number}
          </span>
        }
      />
      <Card title={t('services.reasons')} size="small" style={{ maxWidth: 720, margin: '0 auto' }}>
        <div data-testid="reasons">
          {application.reasons.map((reason) => (
            <div key={reason.code} data-code={reason.code} style={{ marginBottom: 8 }}>
              <Tag color="red">{reasonTitle(reason, en)}</Tag>
              <Typography.Text>
                {en ? (reason.explanationEn ?? reason.explanation) : reason.explanation}
              </Typography.Text>
            </div>
          ))}
        </div>
      </Card>
    </div>
  );
}

function PreviewPanel({ preview }: { preview: Preview }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const item = preview.item;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="preview">
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('services.item')}>{en ? (item.nameEn ?? item.name) : item.name}</Descriptions.Item>
        <Descriptions.Item label={t('services.issuer')}>
          {en ? (item.issuer.nameEn ?? item.issuer.name) : item.issuer.name}
        </Descriptions.Item>
        <Descriptions.Item label={t('services.legalBasis')}>{item.legalBasis}</Descriptions.Item>
        <Descriptions.Item label={t('services.promised')}>
          {item.promisedWorkingDays === 0
            ? t('services.instant')
            : t('services.days', { days: item.promisedWorkingDays })}
          <Typography.Text type="secondary">
            {' '}
            {paren(t('services.before', { days: item.before.promisedWorkingDays, trips: item.before.trips }))}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Text strong>{t('services.previewIntro')}</Typography.Text>
      <Table
        size="small"
        rowKey={(row) => `${row.resource}|${row.question}`}
        pagination={false}
        dataSource={preview.checks}
        data-testid="preview-checks"
        columns={[
          { title: t('services.department'), dataIndex: 'department', width: 180 },
          { title: t('services.resource'), dataIndex: 'resourceName', width: 160 },
          {
            title: t('services.question'),
            dataIndex: 'question',
            render: (_: string, row) => (en ? (row.questionEn ?? row.question) : row.question),
          },
          {
            title: t('services.mode'),
            dataIndex: 'mode',
            width: 120,
            render: (mode: string) => (
              <Tag color="blue">{mode === 'verify' ? t('services.modeVerify') : t('services.modeCompute')}</Tag>
            ),
          },
        ]}
      />
      {preview.ownData.length > 0 && (
        <div>
          <Typography.Text type="secondary">
            {t('services.ownData')}
            {colon()}
          </Typography.Text>
          {preview.ownData.map((own) => (
            <Tag key={own.question}>{en ? (own.questionEn ?? own.question) : own.question}</Tag>
          ))}
        </div>
      )}
      <div>
        <Typography.Text type="secondary">
          {t('services.documentsNotNeeded')}
          {colon()}
        </Typography.Text>
        {preview.documentsNotNeeded.map((doc, i) => (
          <Tag key={doc} color="green">
            {en ? (preview.documentsNotNeededEn?.[i] ?? doc) : doc}
          </Tag>
        ))}
      </div>
      <div>
        <Typography.Text type="secondary">
          {t('services.applicantSees')}
          {colon()}
        </Typography.Text>
        <ul style={{ margin: '4px 0 0' }}>
          {(en ? (preview.applicantSeesEn ?? preview.applicantSees) : preview.applicantSees).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </div>
    </Space>
  );
}

export function SelfServiceFlow() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const items = useLoad(() => servicesApi.items(), []);
  const [step, setStep] = useState(0);
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [application, setApplication] = useState<Application | null>(null);
  const [receipt, setReceipt] = useState<string | undefined>(undefined);
  const [residentToken, setResidentToken] = useState<string | null>(null);
  const [form] = Form.useForm<Identity>();

  const toPreview = async (values: Identity) => {
    setBusy(true);
    setError(null);
    try {
      const idNumber = values.idNumber.trim().toUpperCase();
      const name = values.name.trim();
      // The applicant's own login: the register confirms the pair (the only way to apply without a clerk).
      const login = await subjectApi.loginResident(idNumber, name);
      setResidentToken(login.token);
      setPreview(await servicesApi.preview(values.item));
      setIdentity({ ...values, idNumber, name });
      setConsent(false);
      setStep(1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (!identity || !residentToken) return;
    setBusy(true);
    setError(null);
    try {
      if (!residentToken) return;
      const answer = await servicesApi.applyAsResident({ ...identity, consent: true }, residentToken);
      setApplication(answer);
      setReceipt(answer.receipt);
      setStep(2);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const refresh = async () => {
    if (!application) return;
    try {
      setApplication(await servicesApi.application(application.id, receipt));
    } catch (e) {
      setError(e);
    }
  };

  const restart = () => {
    setStep(0);
    setApplication(null);
    setPreview(null);
    setError(null);
  };

  return (
    <Card data-testid="self-service">
      <Steps
        current={step}
        status={step === 2 ? 'finish' : 'process'}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('services.steps.identify') },
          { title: t('services.steps.preview') },
          { title: t('services.steps.result') },
        ]}
      />
      <ErrorAlert error={error ?? items.error} />
      {step === 0 && (
        <Spin spinning={items.loading}>
          <Alert type="info" showIcon title={t('services.simulatedLogin')} style={{ marginBottom: 16 }} />
          <Form<Identity>
            form={form}
            layout="vertical"
            style={{ maxWidth: 520 }}
            onFinish={toPreview}
            initialValues={{ item: 'elderly-card' }}
          >
            <Form.Item name="item" label={t('services.item')} rules={[{ required: true }]}>
              <Select
                data-testid="item-select"
                // A 免申即享 item is granted without anybody applying: listed, but not to be chosen.
                options={(items.data?.items ?? []).map((item) => ({
                  value: item.id,
                  disabled: item.noApplication,
                  label: `${en ? (item.nameEn ?? item.name) : item.name}${item.noApplication ? ` · ${t('services.noApplicationNeeded')}` : ''}`,
                }))}
                notFoundContent={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
              />
            </Form.Item>
            <Form.Item
              name="name"
              label={t('services.name')}
              rules={[{ required: true, whitespace: true, message: t('services.nameRequired') }]}
            >
              <Input data-testid="applicant-name" maxLength={32} autoComplete="off" />
            </Form.Item>
            <Form.Item
              name="idNumber"
              label={t('services.idNumber')}
              rules={[
                { required: true, message: t('services.idRequired') },
                {
                  // The register's own check before anything is sent: a mistyped digit is caught on this step.
                  validator: async (_, value?: string) => {
                    const problem = value ? idNumberProblem(value) : null;
                    if (problem) throw new Error(t(ID_MESSAGES[problem]));
                  },
                },
              ]}
            >
              <Input data-testid="applicant-id" maxLength={18} autoComplete="off" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="to-preview">
              {t('services.next')}
            </Button>
          </Form>
        </Spin>
      )}
      {step === 1 && preview && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <PreviewPanel preview={preview} />
          <Alert
            type="warning"
            title={
              <Checkbox checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="consent">
                {en ? preview.consentEn : preview.consent}
              </Checkbox>
            }
          />
          <Space>
            <Button onClick={() => setStep(0)}>{t('services.back')}</Button>
            <Button type="primary" disabled={!consent} loading={busy} onClick={submit} data-testid="submit">
              {t('services.submit')}
            </Button>
          </Space>
        </Space>
      )}
      {step === 2 && application && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <ApplicationOutcome application={application} onRefresh={refresh} />
          <div style={{ textAlign: 'center' }}>
            <Button onClick={restart} data-testid="again">
              {t('services.again')}
            </Button>
          </div>
        </Space>
      )}
    </Card>
  );
}
