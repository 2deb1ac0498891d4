// Injected failures: a fault matches by method and a regular expression on the path (no query), and
// replaces the real answer (status, Retry-After, raw body) or just delays it, `times` times or forever.
import { statusError } from "./errors.js";
import { faultSchema, type Fault, type FaultInput } from "./fixture-schema.js";
import type { SandboxRequest, SandboxResponse } from "./http-types.js";

interface ArmedFault {
  fault: Fault;
  path: RegExp;
  /** Undefined: the fault never wears off. */
  remaining: number | undefined;
}

export class FaultSet {
  private readonly armed: ArmedFault[] = [];

  constructor(faults: readonly FaultInput[] = []) {
    faults.forEach((f) => this.add(f));
  }

  add(input: FaultInput): void {
    const fault = faultSchema.parse(input);
    this.armed.push({ fault, path: new RegExp(fault.path), remaining: fault.times });
  }

  /** The first live fault for this request, used up by one. */
  take(method: string, path: string): Fault | undefined {
    const hit = this.armed.find((a) => a.remaining !== 0 && a.fault.method.toUpperCase() === method.toUpperCase() && a.path.test(path));
    if (!hit) return undefined;
    if (hit.remaining !== undefined) hit.remaining -= 1;
    return hit.fault;
  }
}

export async function applyFault(fault: Fault, service: "graph" | "arm", req: SandboxRequest, real: () => Promise<SandboxResponse>): Promise<SandboxResponse> {
  if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  const retryAfter: Record<string, string> = fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) };
  let response: SandboxResponse;
  if (fault.status === undefined && fault.body === undefined) response = await real();
  else if (fault.body !== undefined) response = { status: fault.status ?? 200, rawBody: fault.body, headers: { "content-type": "application/json; charset=utf-8" } };
  else response = statusError(service, fault.status ?? 500, req);
  return { ...response, headers: { ...response.headers, ...retryAfter } };
}
