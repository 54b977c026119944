#!/usr/bin/env node
// The `rushes-engine` command: runs the built CLI (dist/cli.js), building it first on a fresh clone.
import { URL } from 'node:url';
import { runBuilt } from '../../../scripts/lib/run-built.js';

await runBuilt(new URL('../dist/cli.js', import.meta.url), '@rushes/engine');
