/** The catalog (政务信息资源目录): resources with the national core metadata, and the rules they obey. */
import { HutongError } from '../errors';

export const sharingTypes = ['unconditional', 'conditional', 'not_shared'] as const;
export type SharingType = (typeof sharingTypes)[number];

export const accessModes = ['verify', 'record', 'aggregate', 'compute'] as const;
export type AccessMode = (typeof accessModes)[number];

export const itemTypes = ['string', 'integer', 'decimal', 'date', 'month', 'year', 'enum', 'boolean'] as const;
export type ItemType = (typeof itemTypes)[number];

export const subjectKinds = ['citizen', 'enterprise'] as const;
export type SubjectKind = (typeof subjectKinds)[number];

export const updateCycles = ['实时', '每日', '每周', '每月', '每季度', '每年'] as const;
export type UpdateCycle = (typeof updateCycles)[number];

export const resourceFormats = ['数据库', '电子文件', '接口'] as const;
export type ResourceFormat = (typeof resourceFormats)[number];

export type Sensitivity = 1 | 2 | 3 | 4;

export interface DataItem {
  name: string;
  title: string;
  type: ItemType;
  description: string;
  sensitivity: Sensitivity;
  subjectKey: SubjectKind | null;
  values?: string[] | undefined;
}

export interface ResourceDraft {
  code: string;
  name: string;
  category: string;
  summary: string;
  format: ResourceFormat;
  items: DataItem[];
  sharingType: SharingType;
  sharingConditions: string | null;
  legalBasis: string | null;
  accessModes: AccessMode[];
  requiresSuperiorApproval: boolean;
  updateCycle: UpdateCycle;
  publishedAt: string;
  relatedResources: string[];
}

export interface Resource extends ResourceDraft {
  providerCode: string;
}

export const resourceCodePattern = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

/** Checks the metadata rules that the schema alone cannot express; returns the draft bound to its provider. */
export function validateResource(providerCode: string, draft: ResourceDraft): Resource {
  if (!draft.code.startsWith(`${providerCode}.`)) {
    throw new HutongError('VALIDATION_FAILED', `资源代码须以提供方代码开头 / code must start with "${providerCode}."`, [
      { path: 'code', message: `must start with ${providerCode}.` },
    ]);
  }
  const seen = new Set<string>();
  for (const [index, item] of draft.items.entries()) {
    if (seen.has(item.name)) {
      throw new HutongError('DUPLICATE_ITEM', `信息项重复: ${item.name}`, [
        { path: `items.${index}.name`, message: 'duplicate' },
      ]);
    }
    seen.add(item.name);
    if (item.type === 'enum' && (!item.values || item.values.length === 0)) {
      throw new HutongError('VALIDATION_FAILED', `枚举型信息项须列出取值: ${item.name}`, [
        { path: `items.${index}.values`, message: 'required for enum' },
      ]);
    }
  }
  if (draft.sharingType === 'not_shared' && !draft.legalBasis?.trim()) {
    throw new HutongError('LEGAL_BASIS_REQUIRED');
  }
  if (draft.sharingType === 'conditional' && !draft.sharingConditions?.trim()) {
    throw new HutongError('CONDITIONS_REQUIRED');
  }
  if (draft.sharingType !== 'not_shared' && draft.accessModes.length === 0) {
    throw new HutongError('VALIDATION_FAILED', '共享资源须至少允许一种访问方式', [
      { path: 'accessModes', message: 'at least one' },
    ]);
  }
  return { ...draft, providerCode, accessModes: [...new Set(draft.accessModes)] };
}

export interface ResourceFilter {
  provider?: string | undefined;
  sharingType?: SharingType | undefined;
  mode?: AccessMode | undefined;
  q?: string | undefined;
}
