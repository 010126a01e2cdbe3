// Departments under their registered English names in English mode. Most answers carry a department's
// Chinese name (providerName, consumerName…), so names are looked up by Chinese name as well as by code;
// a department with no English name registered keeps its Chinese one.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';

const EnglishNames = createContext<ReadonlyMap<string, string>>(new Map());

export function MemberNamesProvider({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const signedIn = me?.username;
  useEffect(() => {
    if (!signedIn) return;
    let current = true;
    api
      .members()
      .then(({ items }) => {
        if (!current) return;
        const entries = items.flatMap((m) =>
          m.nameEn
            ? [
                [m.code, m.nameEn],
                [m.name, m.nameEn],
              ]
            : [],
        ) as [string, string][];
        setNames(new Map(entries));
      })
      // Without the list the console shows the Chinese names, as it does for a department with no English one.
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [signedIn]);
  return <EnglishNames.Provider value={names}>{children}</EnglishNames.Provider>;
}

/** `(nameOrCode) => the name to show`: the English name in English mode when one is registered. */
export function useMemberName(): (nameOrCode: string) => string {
  const names = useContext(EnglishNames);
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  return useCallback((nameOrCode: string) => (en ? (names.get(nameOrCode) ?? nameOrCode) : nameOrCode), [names, en]);
}
