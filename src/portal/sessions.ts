/**
 * Server-side portal sessions: the browser holds only a random id (the cookie); the tokens
 * and the patient stay here. Kept in this process's memory with expiry: a restart or a
 * second gateway process signs patients out (fine for one process; several behind a load
 * balancer need sticky sessions).
 */
import { randomBytes } from 'node:crypto';
import type { Principal } from '../domain/principal';

export interface SignedIn {
  principal: Principal & { patientId: string };
  /** Who signed in, when not the patient (a representative, RFC 8693 `act`). */
  representative?: { subject: string; name?: string };
  patientName?: string;
  idToken?: string;
  accessToken: string;
}

export interface PendingSignIn {
  state: string;
  codeVerifier: string;
  nonce: string;
}

export interface PortalSession {
  id: string;
  expiresAt: number;
  /** Hard end (the access token's expiry): activity does not extend past it. */
  endsAt: number;
  pending?: PendingSignIn;
  user?: SignedIn;
  /** Views (page loads) of the trail: id -> the instant the view's queries end at. */
  views: Map<string, string>;
}

const MAX_VIEWS = 50;
/** Anyone may start a sign-in (each opens a session): a bound keeps that from filling the memory. */
const MAX_SESSIONS = 100_000;

export class SessionStore {
  private readonly sessions = new Map<string, PortalSession>();
  private swept = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session, or undefined while the store is full. */
  create(endsAt = Number.POSITIVE_INFINITY): PortalSession | undefined {
    this.sweep();
    if (this.sessions.size >= MAX_SESSIONS) return undefined;
    const session: PortalSession = { id: randomBytes(32).toString('base64url'), expiresAt: 0, endsAt, views: new Map() };
    this.touch(session);
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of this id (its idle time restarted), or undefined. */
  get(id: string | undefined): PortalSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    this.touch(session);
    return session;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  addView(session: PortalSession, viewId: string, until: string): void {
    if (session.views.size >= MAX_VIEWS) session.views.delete(session.views.keys().next().value!);
    session.views.set(viewId, until);
  }

  private touch(session: PortalSession): void {
    session.expiresAt = Math.min(this.now() + this.idleMs, session.endsAt);
  }

  private sweep(): void {
    const now = this.now();
    // A full pass at most once a second: sign-in storms must not make every create() walk the map.
    if (now - this.swept < 1000) return;
    this.swept = now;
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
  }
}
