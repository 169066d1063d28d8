/**
 * Outbox topics the audience context emits, with their payloads. The worker's cache
 * invalidation consumes the two "changed" topics; `message.received` may also be written in a
 * citizen's scope (the outbox policy of the audience migration names it and `comments.changed`).
 */
export const AUDIENCE_TOPICS = {
  /** approved comments of a face changed: its story pages must be rendered again */
  commentsChanged: 'comments.changed',
  /** a public reply to a message appeared or changed on a face's message board */
  publicRepliesChanged: 'messages.public_changed',
  /** a citizen's message arrived at a tenant (or one of its units) */
  messageReceived: 'message.received',
  /** a message was answered, on time or late */
  messageReplied: 'message.replied',
} as const;

export type AudienceTopic = (typeof AUDIENCE_TOPICS)[keyof typeof AUDIENCE_TOPICS];

export type CommentsChangedPayload = {
  tenantId: string;
  storyId: string;
};

export type PublicRepliesChangedPayload = {
  tenantId: string;
  messageId: string;
};

export type MessageReceivedPayload = {
  tenantId: string;
  messageId: string;
  unitId: string | null;
};

export type MessageRepliedPayload = {
  tenantId: string;
  messageId: string;
  onTime: boolean;
};

/** The payload each topic carries. */
export interface AudiencePayloads {
  'comments.changed': CommentsChangedPayload;
  'messages.public_changed': PublicRepliesChangedPayload;
  'message.received': MessageReceivedPayload;
  'message.replied': MessageRepliedPayload;
}

/**
 * Audit actions with a fixed name (the audit log is the governance context's; the names are
 * ours). Moderation and message transitions are named after the decision or status:
 * `comment.<approve|reject|hide>`, `message.<assigned|replied|closed>`.
 */
export const AUDIENCE_AUDIT = {
  officialReply: 'comment.official_reply',
  settingsChanged: 'audience.settings',
  membersExported: 'audience.members_export',
  agreementPublished: 'agreement.publish',
  agreementDrafted: 'agreement.draft',
} as const;
