// The host side of @azure/functions: the Functions Node worker provides the virtual module
// `@azure/functions-core`, through which an app registers its functions. This preload stands in for
// the worker (as the sandbox stands in for Azure), records each registration and prints them as
// JSON on exit, so a test can see what the deployed app would register.
const Module = require("node:module");

const registrations = [];
const core = {
  version: "4.0.0",
  setProgrammingModel() {},
  getProgrammingModel() {
    return undefined;
  },
  registerHook() {
    return { dispose() {} };
  },
  registerFunction(metadata) {
    registrations.push(metadata);
    return { dispose() {} };
  },
};

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "@azure/functions-core") return core;
  return load.call(this, request, ...rest);
};

process.on("exit", () => {
  process.stdout.write(`${JSON.stringify(registrations)}\n`);
});
