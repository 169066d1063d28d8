// Video: uploaded short videos as first-class assets, their transcoding jobs (HLS renditions,
// poster) and captions. Running ffmpeg/ffprobe is infrastructure: @yiduan/video-tools.
export * from './errors.js';
export * from './events.js';
export * from './model.js';
export { listVideos, videoById, videosByIds, videoShownOnFace, videosOfStories, type StoryVideo } from './repo.js';
export * from './service.js';
