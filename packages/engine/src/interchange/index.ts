/** Editorial interchange (CMX 3600 EDL, OpenTimelineIO): pure readers and writers. */
export * from './edl.ts';
export * from './otio.ts';
export * from './write.ts';
