// Member list for filters and code→name lookups; fetched once per page mount.
import { useMemo } from 'react';
import { api, type Member } from '../api/client';
import { useMemberName } from './memberNames';
import { useLoad } from './useLoad';

export function useMembers() {
  const { data } = useLoad(() => api.members().then((r) => r.items), []);
  const shown = useMemberName();
  return useMemo(() => {
    const list: Member[] = data ?? [];
    const names = new Map(list.map((m) => [m.code, m.name]));
    return { list, nameOf: (code: string) => shown(names.get(code) ?? code) };
  }, [data, shown]);
}
