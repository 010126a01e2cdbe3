/**
 * Catalogue resources for tests: a resource with the usual defaults (published, unconditional, no
 * superior approval), so that a test spells out only what it is about.
 */
import type { DataItem, ItemType, Resource, Sensitivity } from './resource';

export function dataItem(
  name: string,
  title: string,
  type: ItemType,
  sensitivity: Sensitivity,
  subjectKey: DataItem['subjectKey'] = null,
): DataItem {
  return { name, title, type, description: '', sensitivity, subjectKey };
}

export function testResource(
  resource: Pick<Resource, 'code' | 'name' | 'items' | 'accessModes'> & Partial<Resource>,
): Resource {
  return {
    providerCode: resource.code.split('.')[0] as string,
    category: '',
    summary: '',
    format: '数据库',
    sharingType: 'unconditional',
    sharingConditions: null,
    legalBasis: null,
    requiresSuperiorApproval: false,
    updateCycle: '实时',
    publishedAt: '2026-01-15',
    relatedResources: [],
    ...resource,
  };
}

/** An enterprise resource as the 亩均 departments publish theirs: yearly, shared for computation only. */
export function enterpriseResource(resource: Pick<Resource, 'code' | 'name' | 'items'> & Partial<Resource>): Resource {
  return testResource({
    sharingType: 'conditional',
    sharingConditions: '仅计算',
    accessModes: ['compute', 'aggregate'],
    updateCycle: '每年',
    ...resource,
  });
}
