// The global CustomFunctions API Excel gives custom functions (Error, ErrorCode, associate).
/// <reference types="custom-functions-runtime" />
