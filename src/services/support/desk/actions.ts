import type { Database, Tx } from '../../../infra/db/database.js';
import type { Clock } from '../../../lib/clock.js';
import type { Logger } from '../../../lib/logger.js';
import { audit, RepeatedRequestError, type AuditValues } from '../../audit.js';
import { CardError } from '../../cards/errors.js';
import type { CardChange, CardsService, CardSummary } from '../../cards/service.js';
import { kickMail } from '../../mail/runner.js';
import type { Members, Sessions } from '../../members/index.js';
import { slackActor, type ActionResult, type DeskActionKind, type DeskActor } from './types.js';

/** What the desk's actions need: the database and the services whose changes they make. */
export interface DeskActionDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  cards: Pick<CardsService, 'freezeIn' | 'unfreezeIn' | 'resetPinLockIn'>;
  sessions: Pick<Sessions, 'clearLoginFailures' | 'loginFailures'>;
  members: Pick<Members, 'resendVerificationIn'>;
}

/** What one action changed, for its audit row. */
interface Change {
  memberId: string | null;
  target: string;
  changed: boolean;
  before: AuditValues;
  after: AuditValues;
  last4?: string;
}

/** The audit action of each desk action (the same names the CLI and the services use). */
const AUDIT_ACTION: Record<DeskActionKind, string> = {
  'unlock-login': 'member.login-unlocked',
  'reset-pin-lock': 'card.pin-unlock',
  'resend-activation': 'member.activation-resent',
  freeze: 'card.freeze',
  unfreeze: 'card.unfreeze',
};

/** A card's state in an audit row (last 4 only). */
function cardState(c: CardSummary): AuditValues {
  return { last4: c.last4, status: c.status, frozenBy: c.frozenBy, pinLocked: c.pinLocked };
}

/**
 * The actions a support user takes at the desk that need no second person: unlock a log-in, reset
 * a PIN lock, resend the activation e-mail, freeze and unfreeze a card. Each runs in one
 * transaction with its audit row (who, what, target, before/after, the Slack request id); that
 * row's unique request id makes a repeated request roll back and answer `repeated`.
 */
export class DeskActions {
  constructor(private readonly d: DeskActionDeps) {}

  /** Runs one action for `actor` on a member (`unlock-login`, `resend-activation`) or a card (the rest). */
  async run(actor: DeskActor, kind: DeskActionKind, targetId: string, reason?: string): Promise<ActionResult> {
    try {
      const result = await this.d.db.tx(async (tx) => {
        const c = await this.change(tx, kind, targetId);
        if (!c) return null;
        await audit(tx, {
          actor: slackActor(actor.userId),
          actorName: actor.name,
          action: AUDIT_ACTION[kind],
          target: c.target,
          ...(c.memberId ? { memberId: c.memberId } : {}),
          before: c.before,
          after: c.after,
          requestId: actor.requestId,
          details: { via: 'slack', changed: c.changed, ...(reason !== undefined ? { reason: reason.slice(0, 500) } : {}) },
        });
        return c;
      });
      if (!result) return { outcome: 'not-found' };
      if (kind === 'resend-activation' && result.changed) kickMail();
      this.d.log.info({ action: kind, target: targetId, actor: slackActor(actor.userId), changed: result.changed }, 'support desk action');
      return { outcome: result.changed ? 'done' : 'unchanged', memberId: result.memberId, ...(result.last4 ? { last4: result.last4 } : {}) };
    } catch (err) {
      if (err instanceof RepeatedRequestError) return { outcome: 'repeated', memberId: await this.memberOf(kind, targetId) };
      if (err instanceof CardError && err.code === 'CARD.NOT_FOUND') return { outcome: 'not-found' };
      if (err instanceof CardError) return { outcome: 'refused', memberId: await this.memberOf(kind, targetId), why: err.message };
      throw err;
    }
  }

  /**
   * Records a refused attempt (a stranger, or support asking for an admin's action): the audit log
   * keeps who tried what. A repeat of the same request is recorded once.
   */
  async refused(actor: DeskActor, what: string, why: string): Promise<void> {
    try {
      await this.d.db.tx((tx) => audit(tx, { actor: slackActor(actor.userId), actorName: actor.name, action: 'desk.refused', target: what.slice(0, 200), requestId: actor.requestId, details: { via: 'slack', why } }));
    } catch (err) {
      if (!(err instanceof RepeatedRequestError)) throw err;
    }
    this.d.log.warn({ actor: slackActor(actor.userId), what: what.slice(0, 200), why }, 'support desk refused a request');
  }

  /** Makes the change inside `tx`; null when the target does not exist. */
  private async change(tx: Tx, kind: DeskActionKind, targetId: string): Promise<Change | null> {
    switch (kind) {
      case 'unlock-login': {
        const m = await tx.member.findUnique({ where: { id: targetId }, select: { id: true, lockedUntil: true, usernameKey: true } });
        if (!m) return null;
        const failedLogins = await this.d.sessions.loginFailures(m.usernameKey, tx);
        await this.d.sessions.clearLoginFailures(tx, m.id);
        const locked = m.lockedUntil !== null && m.lockedUntil > this.d.clock.now();
        return {
          memberId: m.id,
          target: m.id,
          changed: locked || failedLogins > 0,
          before: { lockedUntil: locked ? m.lockedUntil!.toISOString() : null, failedLogins },
          after: { lockedUntil: null, failedLogins: 0 },
        };
      }
      case 'resend-activation': {
        const m = await tx.member.findUnique({ where: { id: targetId }, select: { id: true, status: true } });
        if (!m) return null;
        const sent = await this.d.members.resendVerificationIn(tx, m.id);
        return { memberId: m.id, target: m.id, changed: sent, before: { status: m.status }, after: { status: m.status, verificationSent: sent } };
      }
      case 'reset-pin-lock':
        return cardChange(await this.d.cards.resetPinLockIn(tx, targetId));
      case 'freeze':
        return cardChange(await this.d.cards.freezeIn(tx, targetId, 'support'));
      case 'unfreeze':
        return cardChange(await this.d.cards.unfreezeIn(tx, targetId, 'support'));
    }
  }

  private async memberOf(kind: DeskActionKind, targetId: string): Promise<string | null> {
    if (kind === 'unlock-login' || kind === 'resend-activation') return targetId;
    return (await this.d.db.prisma.card.findUnique({ where: { id: targetId }, select: { memberId: true } }))?.memberId ?? null;
  }
}

function cardChange(r: CardChange): Change {
  return { memberId: r.card.memberId, target: r.card.id, changed: r.changed, before: cardState(r.before), after: cardState(r.card), last4: r.card.last4 };
}
