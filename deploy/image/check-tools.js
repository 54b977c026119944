/* global process, console */
// `rushes-image check-tools`: starts the media engine as the worker does (ffmpeg, ffprobe,
// exiftool) and prints what it found; exits 1 with the missing tool named.
import { Engine } from '@rushes/engine';

try {
  const engine = await Engine.create({
    tools: { ffmpeg: process.env.FFMPEG_PATH, ffprobe: process.env.FFPROBE_PATH },
  });
  for (const tool of Object.values(engine.tools)) {
    console.log(`${tool.tool} ${tool.version} (${tool.origin}: ${tool.executable})`);
  }
  await engine.close();
} catch (error) {
  console.error(`rushes-image: ${error.message}`);
  process.exit(1);
}
