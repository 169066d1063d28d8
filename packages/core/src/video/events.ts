/** Outbox topics the video context emits (in the video's tenant). */
export const VIDEO_TOPICS = {
  /** a completed, probed upload became a queued transcoding job; payload: { videoId } */
  uploaded: 'video.uploaded',
  /** renditions published; payload: { videoId } */
  ready: 'video.ready',
  /** transcoding failed for good; payload: { videoId, error } */
  failed: 'video.failed',
} as const;

/** Cache channel (pub/sub across processes) on which the worker says a video changed: { tenantId, videoId }. */
export const VIDEO_CHANNEL = 'video:changed';

export interface VideoEventPayload {
  videoId: string;
  error?: string;
}
