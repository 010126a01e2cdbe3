// Who is logged in. The token lives in sessionStorage (per tab, gone when the tab closes); the user
// profile is re-read from /auth/me on reload so the menu always reflects the server's view of roles.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, getToken, type Me, setToken, setUnauthorizedHandler } from '../api/client';

interface AuthState {
  me: Me | null;
  ready: boolean;
  login(username: string, password: string): Promise<Me>;
  /** Chooses a new password; the server ends every other session and this one continues under a new token. */
  changePassword(currentPassword: string, newPassword: string): Promise<Me>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    setUnauthorizedHandler(() => setMe(null));
    if (!getToken()) {
      setReady(true);
      return;
    }
    api
      .me()
      .then(setMe)
      .catch(() => setToken(null))
      .finally(() => setReady(true));
    return () => setUnauthorizedHandler(null);
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const res = await api.login(username, password);
    setToken(res.token);
    // /auth/me is the contract for the profile; the login's `user` is only a fallback.
    const profile = await api.me().catch(() => res.user);
    setMe(profile);
    return profile;
  }, []);

  const changePassword = useCallback(async (currentPassword: string, newPassword: string) => {
    const res = await api.changePassword(currentPassword, newPassword);
    setToken(res.token);
    setMe(res.user);
    return res.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Logging out must always succeed locally, even when the session already expired server-side.
    }
    setToken(null);
    setMe(null);
  }, []);

  const value = useMemo(
    () => ({ me, ready, login, changePassword, logout }),
    [me, ready, login, changePassword, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe needs a logged-in user');
  return me;
}
