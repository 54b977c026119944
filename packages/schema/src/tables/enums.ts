import { pgEnum } from 'drizzle-orm/pg-core';

/** A member's role in one production, from most to least privileged. */
export const memberRole = pgEnum('member_role', ['owner', 'coordinator', 'editor', 'vendor']);

export const productionState = pgEnum('production_state', ['pending', 'ready']);

export const rollKind = pgEnum('roll_kind', ['camera', 'sound']);

/** Shared by rolls and clips: derived from their tasks. */
export const processingState = pgEnum('processing_state', [
  'pending',
  'processing',
  'ready',
  'failed',
  'partial',
]);

export const renditionKind = pgEnum('rendition_kind', [
  'original',
  'proxy',
  'poster',
  'thumbnail',
  'strip',
  'waveform',
]);

export const renditionState = pgEnum('rendition_state', ['pending', 'ready', 'failed']);

export const taskState = pgEnum('task_state', ['queued', 'running', 'succeeded', 'failed', 'canceled']);

export const manifestFormat = pgEnum('manifest_format', ['ascmhl-v1', 'ascmhl-v2']);
