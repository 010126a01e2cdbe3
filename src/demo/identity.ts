/**
 * How the demo city checks residents' and enterprises' logins to "我的数据使用记录", and which agency may
 * flag accesses covert. 政务服务办 (zhengwu) asks the registers through its node under agreements made for
 * this one purpose (seeded in seed.ts); 公安 is the one allow-listed covert consumer.
 */
import type { IdentityPolicy } from '../hub/service/data-usage-service';

export const IDENTITY_PURPOSE = '统一身份认证：居民、企业查询本人数据使用记录时核验身份';

export const demoIdentity: IdentityPolicy = {
  via: 'zhengwu',
  purpose: IDENTITY_PURPOSE,
  citizen: { resource: 'gongan.household', nameItem: 'name' },
  enterprise: {
    resource: 'shichang.enterprise',
    nameItem: 'name',
    representative: { nameItem: 'legal_rep_name', idNumberItem: 'legal_rep_id_number' },
  },
};

/** Agencies whose requests may be withheld from the subject until a disclosure date (侦查不公开). */
export const demoCovertConsumers = ['gongan'];

export const INVESTIGATION_PURPOSE = '公安机关侦查：涉案人员养老保险待遇领取情况核查';
