// CommonJS stand-in for the ESM-only `uuid` that office-addin-manifest (under office-addin-mock)
// requires; jest's native-ESM mode cannot require() an ESM package. Only v4 is used there.
module.exports = { v4: () => globalThis.crypto.randomUUID() };
