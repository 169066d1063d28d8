// Video: uploaded short videos as first-class assets, their transcoding jobs (HLS renditions,
// poster) and captions. ffmpeg.ts runs Debian's ffmpeg/ffprobe with argument arrays (no shell).
export * from './errors.js';
export * from './events.js';
export * from './model.js';
export * from './ffmpeg.js';
export { listVideos, videoById, videosByIds, videoShownOnFace, videosOfStories, type StoryVideo } from './repo.js';
export * from './service.js';
