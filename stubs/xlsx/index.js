'use strict';
// Danfo's readExcel/toExcel call into SheetJS. Flowline does not route Excel through Danfo,
// so every entry point says where to go instead of silently doing nothing.
function unsupported() {
  throw new Error('Excel I/O through Danfo is not available in Flowline: use the "Load Excel" node instead.');
}
module.exports = { read: unsupported, readFile: unsupported, write: unsupported, writeFile: unsupported, utils: new Proxy({}, { get: () => unsupported }) };
