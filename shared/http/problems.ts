// What the HTTP functions answer when they cannot do their job: a JSON body naming every problem,
// never a stack trace (the function log keeps the details).
import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { ConfigError, loadConfig, type Config } from "../config/index.js";

export function problem(status: number, error: string, problems: string[]): HttpResponseInit {
  return { status, jsonBody: { error, problems } };
}

/** The settings, or the 500 that names each bad one (secret values hidden by ConfigError). */
export function configOrProblem(context: InvocationContext): { config: Config } | { response: HttpResponseInit } {
  try {
    return { config: loadConfig(process.env) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    context.error(error.message);
    return { response: problem(500, "credwatch is misconfigured", error.problems.map((p) => `${p.setting} ${p.message}`)) };
  }
}

/** A failure's own words for the caller; the object itself goes to the log. */
export function failure(context: InvocationContext, what: string, error: unknown): HttpResponseInit {
  context.error(what, error);
  return problem(500, what, [error instanceof Error ? error.message : String(error)]);
}
