/** The demo city's members (清河市): ten providers, three consumers, the operator and the auditor. */
import type { MemberRole } from '../core/members/member';

export interface DemoMember {
  code: string;
  name: string;
  nameEn: string;
  role: MemberRole;
  person: string;
}

export const demoMembers: DemoMember[] = [
  {
    code: 'gongan',
    name: '清河市公安局',
    nameEn: 'Qinghe Municipal Public Security Bureau',
    role: 'provider',
    person: '王建国',
  },
  {
    code: 'minzheng',
    name: '清河市民政局',
    nameEn: 'Qinghe Municipal Civil Affairs Bureau',
    role: 'provider',
    person: '李秀英',
  },
  {
    code: 'renshe',
    name: '清河市人力资源和社会保障局',
    nameEn: 'Qinghe Municipal Human Resources and Social Security Bureau',
    role: 'provider',
    person: '张伟',
  },
  { code: 'shuiwu', name: '清河市税务局', nameEn: 'Qinghe Municipal Tax Bureau', role: 'provider', person: '刘洋' },
  {
    code: 'ziranziyuan',
    name: '清河市自然资源和规划局',
    nameEn: 'Qinghe Municipal Natural Resources and Planning Bureau',
    role: 'provider',
    person: '陈静',
  },
  {
    code: 'tongji',
    name: '清河市统计局',
    nameEn: 'Qinghe Municipal Statistics Bureau',
    role: 'provider',
    person: '杨帆',
  },
  {
    code: 'gongdian',
    name: '国网清河供电公司',
    nameEn: 'State Grid Qinghe Power Supply Company',
    role: 'provider',
    person: '赵磊',
  },
  {
    code: 'shengtai',
    name: '清河市生态环境局',
    nameEn: 'Qinghe Municipal Ecology and Environment Bureau',
    role: 'provider',
    person: '黄敏',
  },
  {
    code: 'yingji',
    name: '清河市应急管理局',
    nameEn: 'Qinghe Municipal Emergency Management Bureau',
    role: 'provider',
    person: '周强',
  },
  {
    code: 'shichang',
    name: '清河市市场监督管理局',
    nameEn: 'Qinghe Municipal Administration for Market Regulation',
    role: 'provider',
    person: '吴芳',
  },
  {
    code: 'jingxin',
    name: '清河市经济和信息化局',
    nameEn: 'Qinghe Municipal Economy and Information Technology Bureau',
    role: 'consumer',
    person: '徐斌',
  },
  {
    code: 'zhengwu',
    name: '清河市政务服务管理办公室',
    nameEn: 'Qinghe Municipal Government Services Administration Office',
    role: 'consumer',
    person: '孙丽',
  },
  {
    code: 'caizheng',
    name: '清河市财政局',
    nameEn: 'Qinghe Municipal Finance Bureau',
    role: 'consumer',
    person: '马超',
  },
  {
    code: 'dashuju',
    name: '清河市大数据发展管理局',
    nameEn: 'Qinghe Municipal Big Data Development Administration',
    role: 'operator',
    person: '朱琳',
  },
  { code: 'shenji', name: '清河市审计局', nameEn: 'Qinghe Municipal Audit Bureau', role: 'auditor', person: '胡军' },
];

export const demoPassword = 'qinghe-demo-2026';
