/**
 * The API key the dashboard sends, when the gateway asks for one (config `auth`): kept in this
 * tab's `sessionStorage` only (never localStorage, never the URL), sent by `ask()` as
 * `Authorization: Bearer <key>` on every request, and dropped on "Sign out" or when refused.
 *
 * The sign-in form shows once an answer says UNAUTHENTICATED: `needed` when no key was sent,
 * `refused` when the key sent was not accepted. Without `auth` configured nothing asks, and the
 * form never shows.
 */
import { useEffect, useState } from 'preact/hooks';

const STORAGE_KEY = 'backupql.apiKey';

export type SignIn = 'none' | 'needed' | 'refused';

export interface AuthState {
  /** The key requests carry, or null. */
  key: string | null;
  /** Whether the sign-in form is due, and why. */
  signIn: SignIn;
}

let state: AuthState = { key: readStored(), signIn: 'none' };
const listeners = new Set<() => void>();

function readStored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY) || null;
  } catch {
    // Storage disabled: the key lives as long as the page.
    return null;
  }
}

function store(key: string | null): void {
  try {
    if (key === null) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Storage disabled: the key lives as long as the page.
  }
}

function update(next: AuthState): void {
  if (next.key === state.key && next.signIn === state.signIn) return;
  state = next;
  for (const listener of listeners) listener();
}

/** The key to send now, or null. */
export function currentKey(): string | null {
  return state.key;
}

/**
 * An answer said UNAUTHENTICATED to a request sent with `sent`. An answer to an older key (one
 * replaced since the request left) changes nothing.
 */
export function unauthenticated(sent: string | null): void {
  if (sent !== state.key) return;
  if (sent !== null) store(null);
  update({ key: null, signIn: sent === null ? 'needed' : 'refused' });
}

export function signIn(key: string): void {
  store(key);
  update({ key, signIn: 'none' });
}

export function signOut(): void {
  store(null);
  update({ key: null, signIn: 'needed' });
}

/** The credential state; re-renders when it changes. */
export function useAuth(): AuthState {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    const listener = () => setCurrent(state);
    listeners.add(listener);
    // A change between the first render and this effect.
    listener();
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return current;
}
