#!/usr/bin/env node
/**
 * Entry point of the `sealed-session` binary. Everything testable lives in `run.ts`; this file
 * only wires the process to it.
 */
import { processIo } from './io.js';
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), processIo());
