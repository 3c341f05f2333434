#!/usr/bin/env node
/** Entry point of the `sealed-session` binary; everything testable lives in `run.ts`. */
import { processIo } from './io.js';
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), processIo());
