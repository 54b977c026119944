/** Sidecar formats (ALE, CSV, CDL): pure readers and writers, importable without the engine. */
export * from './ale.ts';
export * from './cdl.ts';
export * from './csv.ts';
