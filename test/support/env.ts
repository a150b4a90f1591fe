// Loaded by mocha before any test (see .mocharc.json).
// The SDK warns once per process that releases after January 2027 need Node 22; the tests run on
// Node 20 on purpose (the oldest runtime the CLI supports), so the warning is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
