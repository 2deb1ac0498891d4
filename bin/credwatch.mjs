#!/usr/bin/env node
// Entry point for `npm run sweep` and `npx credwatch`: runs the TypeScript CLI through tsx's loader,
// so a fresh clone needs `npm ci` and nothing else.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../shared/cli.ts");
process.exitCode = await main(process.argv.slice(2));
