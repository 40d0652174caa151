// CommonJS stand-in for the ESM-only `strip-bom` required under office-addin-mock's dependencies.
function stripBom(text) {
  if (typeof text !== 'string') throw new TypeError(`Expected a string, got ${typeof text}`);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

module.exports = stripBom;
module.exports.default = stripBom;
