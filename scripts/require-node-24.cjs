// Runs before `npm start` and `npm run sandbox` (prestart/presandbox) so that an older Node says
// what it needs instead of failing on a syntax error or a .ts file. CommonJS with only syntax that
// Node 6 already parses (no ?., ??, import, await): any Node on a machine reaches the message.
// `npm ci` is guarded by "engines" with engine-strict in .npmrc.
'use strict';

const REQUIRED_MAJOR = 24;

/** The message for a Node version that cannot run Access Desk, or null. */
function problem(version) {
  const major = parseInt(String(version).replace(/^v/, '').split('.')[0], 10);
  if (major === REQUIRED_MAJOR) return null;
  return (
    `Access Desk needs Node.js ${REQUIRED_MAJOR} (LTS); this is Node ${version}.\n` +
    `Install Node ${REQUIRED_MAJOR} (https://nodejs.org, or \`nvm install ${REQUIRED_MAJOR}\`), then run the command again.`
  );
}

const message = require.main === module ? problem(process.versions.node) : null;
if (message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

module.exports = { problem, REQUIRED_MAJOR };
