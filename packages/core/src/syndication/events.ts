/** Outbox topics of syndication. */
export const SYNDICATION_TOPICS = {
  fanOut: 'syndication.fan_out',
  facesChanged: 'faces.changed',
  /** offers arrived in or left these tenants' inboxes (written by the worker, after fan-out or a retraction) */
  inboxChanged: 'inbox.changed',
} as const;

export type SyndicationTopic = (typeof SYNDICATION_TOPICS)[keyof typeof SYNDICATION_TOPICS];

/** Payloads, by topic. */
export interface FanOutPayload {
  tenantId: string;
  jobId: string;
}
export interface FacesChangedPayload {
  tenantIds: string[];
  reason: string;
  /** the story whose placements changed, when one did: the worker re-renders its page and sections (warm pages) */
  storyId?: string;
}
export interface InboxChangedPayload {
  tenantIds: string[];
}

/** Cache channel the worker publishes each touched inbox's size on; every API process forwards it to subscribers. */
export const INBOX_CHANNEL = 'syndication-inbox';
/** What travels on INBOX_CHANNEL. */
export interface InboxMessage {
  tenantId: string;
  count: number;
}
