import type { OutboxStatus } from '@yiduan/db';

/**
 * Side effects leave through the outbox, written in the same transaction as
 * the change: if the change commits, the event exists; if not, neither does.
 * Each producing context names its topics and payloads in its own events.ts.
 */
export interface OutboxMessage {
  tenantId: string | null;
  topic: string;
  payload?: Record<string, unknown>;
  /** deliver no earlier than this (scheduled work) */
  availableAt?: Date;
}

/** Counts of outbox events by status. */
export type OutboxStats = Record<OutboxStatus, number>;

/** What a failed attempt writes back: the next attempt's number, and whether the event is dead. */
export interface EventAttempt {
  attempts: number;
  lastError: string;
  dead: boolean;
  /** wait before the next attempt (ignored when dead) */
  delayMs: number;
}

/** A deferral's wait bounds: a quarter of the event's age, kept between first and cap. */
export interface EventDeferral {
  lastError: string;
  firstMs: number;
  capMs: number;
}
