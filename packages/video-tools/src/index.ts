// ffprobe and ffmpeg for the video context (issue #17): infrastructure that spawns processes,
// kept out of packages/core. Argument arrays only, never a shell.
export * from './ffmpeg.js';
