// The console's pages. Adding a page = create the page file + add one line here; the router and the
// left menu are both generated from this list.
import {
  AuditOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  FileProtectOutlined,
  FormOutlined,
  HddOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  SolutionOutlined,
} from '@ant-design/icons';
import { TrophyOutlined } from '@ant-design/icons';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';
import type { Me } from '../api/client';

export interface PageDef {
  /** Route path below the layout, without the leading slash. */
  path: string;
  /** Menu label; pages without one (detail pages) are routed but not listed. */
  label?: { zh: string; en: string };
  icon?: ReactNode;
  /** Which menu entry to highlight; defaults to the first path segment. */
  menuKey?: string;
  visible: (me: Me) => boolean;
  component: LazyExoticComponent<ComponentType>;
}

const everyone = () => true;
const consumer = (me: Me) => me.memberRole === 'consumer' && me.roles.includes('data_officer');
const reviewer = (me: Me) =>
  me.memberRole === 'provider' && (me.roles.includes('reviewer') || me.roles.includes('leader'));
const department = (me: Me) => me.memberRole === 'provider' || me.memberRole === 'consumer';
const counterOrOversight = (me: Me) =>
  me.memberCode === 'zhengwu' || me.memberRole === 'operator' || me.memberRole === 'auditor';

const evaluationReader = (me: Me) =>
  me.memberCode === 'jingxin' ||
  me.memberRole === 'auditor' ||
  (me.memberRole === 'provider' && me.roles.includes('data_officer'));

type Loader = () => Promise<{ default: ComponentType }>;

function page(
  path: string,
  label: [string, string] | null,
  icon: ReactNode,
  visible: (me: Me) => boolean,
  load: Loader,
): PageDef {
  return { path, label: label ? { zh: label[0], en: label[1] } : undefined, icon, visible, component: lazy(load) };
}

// One line per page: path, menu label (null = not in the menu), icon, who sees it, the page module.
export const PAGES: PageDef[] = [
  page('overview', ['城市总览', 'City overview'], <DashboardOutlined />, everyone, () => import('./OverviewPage')),
  page('catalog', ['资源目录', 'Catalog'], <DatabaseOutlined />, everyone, () => import('./CatalogPage')),
  page('catalog/:code', null, null, everyone, () => import('./ResourceDetailPage')),
  page('applications', ['我的申请', 'My applications'], <FormOutlined />, consumer, () => import('./ApplicationsPage')),
  page('review', ['待我审批', 'To review'], <AuditOutlined />, reviewer, () => import('./ReviewPage')),
  page('agreements', ['共享协议', 'Agreements'], <FileProtectOutlined />, everyone, () => import('./AgreementsPage')),
  page('node', ['本单位前置机', 'Our node'], <HddOutlined />, department, () => import('./node/NodePage')),
  page(
    'ledger',
    ['审计账本', 'Audit ledger'],
    <SafetyCertificateOutlined />,
    everyone,
    () => import('./ledger/LedgerPage'),
  ),
  // 一网通办 (政务服务办): self-service (also public at /self-service), the counter, the item definitions.
  page(
    'one-stop',
    ['一网通办·自助办理', 'One-stop: apply'],
    <SolutionOutlined />,
    everyone,
    () => import('./services/SelfServicePage'),
  ),
  page(
    'counter',
    ['一网通办·窗口', 'One-stop: counter'],
    <ShopOutlined />,
    counterOrOversight,
    () => import('./services/CounterPage'),
  ),
  page(
    'service-items',
    ['办事事项', 'Service items'],
    <ProfileOutlined />,
    everyone,
    () => import('./services/ItemsPage'),
  ),
  // 亩均论英雄 (经信局): the evaluation dashboard and an enterprise's page; providers see their own figures.
  page(
    'evaluation',
    ['亩均论英雄', 'Per-mu evaluation'],
    <TrophyOutlined />,
    evaluationReader,
    () => import('./evaluation/EvaluationPage'),
  ),
  page('evaluation/:id/:uscc', null, null, evaluationReader, () => import('./evaluation/EnterprisePage')),
];

export function menuKeyOf(page: PageDef): string {
  return page.menuKey ?? page.path.split('/')[0] ?? page.path;
}
