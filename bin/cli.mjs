#!/usr/bin/env node
// Entry for `npx cli`: registers tsx so the TypeScript CLI runs from source.
import { register } from 'tsx/esm/api';
register();
await import('../cli/bin.ts');
