// What `nexus debug` runs in its own process for the page (the studio's Node entry, built to
// lib/ by `tsc -p tsconfig.lib.json`): a config's plugins are Node modules the page cannot
// import, so the process that loaded them describes the build and builds and checks traces.
export { BadCheckRequest, type CheckAnswer, callCheck } from './check-api.js';
export { CheckService } from './check-service.js';
export { describeBuild, type ServedBuild } from './served-build.js';
