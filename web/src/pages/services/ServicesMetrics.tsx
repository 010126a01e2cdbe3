// The counter's figures for the city overview: applications, instant decisions, documents the applicants
// did not have to bring, trips saved, and residents served without applying (免申即享).
import { Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { servicesApi } from '../../api/services';
import { useLoad } from '../../components/useLoad';

/** `refreshKey`: a change reloads the figures (after a sweep or a retry on the counter page). */
export function ServicesMetrics({ refreshKey = 0 }: { refreshKey?: number }) {
  const { t } = useTranslation();
  const metrics = useLoad(() => servicesApi.metrics(), [refreshKey]);
  const m = metrics.data;
  if (metrics.error) return null;
  const withoutApplication = (m?.benefitsWithoutApplication ?? []).reduce((sum, row) => sum + row.eligible, 0);
  const kpis: [string, number, string?][] = [
    ['applications', m?.applications ?? 0],
    ['instantDecisions', m?.instantDecisions ?? 0, '#389e0d'],
    ['documentsSaved', m?.documentsSaved ?? 0, '#1677ff'],
    ['tripsSaved', m?.tripsSaved ?? 0, '#1677ff'],
    ['pending', m?.pending ?? 0, '#fa8c16'],
    ['withoutApplication', withoutApplication, '#c41d7f'],
  ];
  return (
    <Card title={t('services.metrics.title')} size="small" data-testid="services-metrics">
      <Row gutter={[16, 8]}>
        {kpis.map(([key, value, color]) => (
          <Col key={key} xs={12} md={8} xl={4}>
            <Statistic
              title={t(`services.metrics.${key}`)}
              value={value}
              loading={metrics.loading && !m}
              styles={{ content: color ? { color } : {} }}
              data-testid={`services-metric-${key}`}
            />
          </Col>
        ))}
      </Row>
    </Card>
  );
}
