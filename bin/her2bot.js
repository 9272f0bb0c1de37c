#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (`npm run build`, which `npm install` runs). During development
// `npm run dev` (the server) and the tests run the TypeScript sources through tsx instead.
try {
  await import('../dist/src/cli/bin.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/src/cli/bin.js')) throw err;
  process.stderr.write(
    'her2bot is not built: run `npm run build` (npm install runs it), or run the sources: npx tsx src/cli/bin.ts <command>.\n',
  );
  process.exitCode = 1;
}
