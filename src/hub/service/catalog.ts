/** The hub's catalog (资源目录): searching it, and the providers publishing and updating their resources. */
import { type Principal, requireRole } from '../../core/auth/principal';
import { type Resource, type ResourceDraft, type ResourceFilter, validateResource } from '../../core/catalog/resource';
import { HutongError } from '../../core/errors';
import type { HubAuditEvent } from '../../core/ports/audit-log';
import type { Page, PageRequest } from '../../core/ports/hub-store';
import type { HubDependencies } from './hub-service';
import type { MemberRegistry } from './members';

export class Catalog {
  constructor(
    private readonly deps: HubDependencies,
    private readonly members: MemberRegistry,
  ) {}

  search(filter: ResourceFilter, page: PageRequest): Promise<Page<Resource>> {
    return this.deps.store.searchResources(filter, page);
  }

  async resource(code: string): Promise<Resource> {
    const resource = await this.deps.store.getResource(code);
    if (!resource) throw new HutongError('RESOURCE_NOT_FOUND', `资源 ${code} 不存在`);
    return resource;
  }

  async publish(actor: Principal | 'bootstrap', providerCode: string, draft: ResourceDraft): Promise<Resource> {
    await this.checkPublisher(actor, providerCode);
    const resource = validateResource(providerCode, draft);
    await this.deps.auditLog.commit(async (store) => {
      await store.insertResource(resource, this.deps.clock.now().toISOString());
      return { result: undefined, events: [this.catalogEvent('publish', resource)] };
    });
    return resource;
  }

  async update(actor: Principal, code: string, draft: ResourceDraft): Promise<Resource> {
    const existing = await this.resource(code);
    await this.checkPublisher(actor, existing.providerCode);
    if (draft.code !== code) {
      throw new HutongError('VALIDATION_FAILED', '资源代码不可修改', [{ path: 'code', message: 'immutable' }]);
    }
    const resource = validateResource(existing.providerCode, draft);
    await this.deps.auditLog.commit(async (store) => {
      await store.updateResource(resource, this.deps.clock.now().toISOString());
      return { result: undefined, events: [this.catalogEvent('update', resource)] };
    });
    return resource;
  }

  private catalogEvent(action: 'publish' | 'update', resource: Resource): HubAuditEvent {
    return {
      type: 'resource',
      action,
      at: this.deps.clock.now().toISOString(),
      actor: resource.providerCode,
      resourceCode: resource.code,
      sharingType: resource.sharingType,
      accessModes: resource.accessModes,
      items: resource.items.map((item) => item.name),
    };
  }

  private async checkPublisher(actor: Principal | 'bootstrap', providerCode: string): Promise<void> {
    const provider = await this.members.requireMember(providerCode);
    if (provider.role !== 'provider') throw new HutongError('FORBIDDEN_ROLE', `${providerCode} 不是数据提供方`);
    if (actor === 'bootstrap') return;
    requireRole(actor, 'data_officer');
    if (actor.memberCode !== providerCode) throw new HutongError('NOT_OWN_MEMBER', '只能编目本单位的资源');
  }
}
