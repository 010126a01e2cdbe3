import { describe, expect, it } from 'vitest';
import type { Member } from '../../core/members/member';
import { fixedClock } from '../../core/ports/clock';
import type { HubDirectory } from '../../core/ports/node-ports';
import type { NodeStore } from '../../core/ports/node-store';
import { HubView } from './hub-view';

function member(code: string, nodeUrl: string | null): Member {
  return {
    code,
    name: code,
    nameEn: null,
    role: 'provider',
    contact: { person: '', phone: '', email: '' },
    publicKeys: [],
    nodeUrl,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

/** The hub's member list as it changes, counting how often the node reads it. */
function directory(initial: Member[]) {
  const state = { members: initial, reads: 0 };
  const hub: HubDirectory = {
    agreements: async () => [],
    agreement: async () => undefined,
    members: async () => {
      state.reads += 1;
      return state.members;
    },
    resources: async () => [],
    ledgerCursor: async () => ({ lastSeq: 0, head: '' }) as never,
    shipAccessRecords: async () => ({ lastSeq: 0, head: '' }) as never,
  };
  return { hub, state };
}

const store = { replaceAgreements: async () => undefined } as unknown as NodeStore;

describe('the node’s view of the hub', () => {
  it('finds a provider’s node that was installed after the last sync, without waiting for the next one', async () => {
    const { hub, state } = directory([member('renshe', null)]);
    const clock = fixedClock('2026-12-06T08:00:00.000Z');
    const view = new HubView('zhengwu', { directory: hub, store, clock });
    await view.sync();
    expect(view.member('renshe')?.nodeUrl).toBeNull();
    state.members = [member('renshe', 'https://10.0.0.6:9443')];
    expect(await view.nodeUrl('renshe')).toBe('https://10.0.0.6:9443');
  });

  it('asks the hub about a member without a node at most once every few seconds', async () => {
    const { hub, state } = directory([member('renshe', null)]);
    const clock = fixedClock('2026-12-06T08:00:00.000Z');
    const view = new HubView('zhengwu', { directory: hub, store, clock });
    await view.sync();
    const afterSync = state.reads;
    expect(await view.nodeUrl('renshe')).toBeUndefined();
    expect(await view.nodeUrl('renshe')).toBeUndefined();
    expect(state.reads).toBe(afterSync + 1);
    clock.advanceMs(5_000);
    state.members = [member('renshe', 'https://10.0.0.6:9443')];
    expect(await view.nodeUrl('renshe')).toBe('https://10.0.0.6:9443');
    // A known address is not looked up again.
    expect(await view.nodeUrl('renshe')).toBe('https://10.0.0.6:9443');
    expect(state.reads).toBe(afterSync + 2);
  });
});
