export * from './enums.ts';
export * from './productions.ts';
export * from './people.ts';
export * from './media.ts';
export * from './audit.ts';
export * from './imports.ts';
export * from './rate-limits.ts';
