import { DomainError } from '../errors.js';

/**
 * Why a video was refused or failed, with the HTTP status the upload answers and the Chinese
 * text the console shows on the video. A refused upload leaves no row; a failed transcode
 * leaves the row 'failed' with the message and nothing published.
 */
export const VIDEO_REJECTIONS = {
  VIDEO_EMPTY: { status: 400, message: '文件为空' },
  VIDEO_TOO_LARGE: { status: 413, message: '视频文件超过本单位的大小上限' },
  VIDEO_TOO_LONG: { status: 422, message: '视频时长超过本单位的上限' },
  VIDEO_TYPE_INVALID: { status: 415, message: '不是可识别的视频文件' },
  VIDEO_CORRUPT: { status: 422, message: '视频文件已损坏，无法读取' },
  VIDEO_TRANSCODE_FAILED: { status: 422, message: '视频转码失败' },
} as const;

export type VideoRejection = keyof typeof VIDEO_REJECTIONS;

export class VideoRejectedError extends DomainError {
  override readonly status: number;
  constructor(
    readonly reason: VideoRejection,
    detail?: string,
  ) {
    const message = detail ? `${VIDEO_REJECTIONS[reason].message}：${detail}` : VIDEO_REJECTIONS[reason].message;
    super('BAD_USER_INPUT', message, [{ path: 'file', message }]);
    this.status = VIDEO_REJECTIONS[reason].status;
  }
}

export function isVideoRejected(err: unknown): err is VideoRejectedError {
  return err instanceof VideoRejectedError;
}
