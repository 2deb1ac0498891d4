// Credential findings: classification + rotated + impact + severity + message + fix, one finding
// per in-scope credential at most.

import type { CollectionError, Finding, FindingCredential } from "../model.js";
import type { Context } from "./context.js";
import { classify, credentialsBySubject, isRotated, unparsableEndError } from "./credential-expiry.js";
import { credentialFindingId } from "./finding-id.js";
import { directoryCredentialFix, tokenPasswordFix } from "./fix-commands.js";
import { credentialImpact, hasImpact } from "./impact.js";
import { credentialMessage } from "./messages.js";
import { credentialSeverity } from "./severity.js";

export function credentialFindings(ctx: Context): { findings: Finding[]; errors: CollectionError[] } {
  const findings: Finding[] = [];
  const errors: CollectionError[] = [];
  for (const group of credentialsBySubject(ctx.inventory)) {
    for (const record of group) {
      if (record.endUnparsable) {
        errors.push(unparsableEndError(record));
        continue;
      }
      const c = classify(record, ctx.policy, ctx.now);
      if (!c) continue;
      const rotated = c.kind !== "credential-long-lived" && isRotated(record, group, ctx.policy, ctx.now);
      const { impact, clusterRecords } = credentialImpact(ctx, record);
      const credential: FindingCredential = {
        type: record.type,
        id: record.id,
        name: record.name,
        startDateTime: record.startDateTime,
        endDateTime: record.endDateTime,
        daysLeft: c.daysLeft,
        window: c.window,
        rotated,
      };
      const appId = record.subject.appId ?? record.subject.id;
      findings.push({
        id: credentialFindingId(record.subject.type, record.subject.id, record.id),
        kind: c.kind,
        severity: credentialSeverity({ kind: c.kind, window: c.window, impacted: hasImpact(impact), rotated }),
        subject: { ...record.subject },
        credential,
        impact,
        message: credentialMessage(record, c, impact, rotated, ctx.now, ctx.policy),
        fix:
          record.owner.kind === "acrToken"
            ? tokenPasswordFix(record, group, rotated, ctx.now)
            : directoryCredentialFix(record, appId, clusterRecords, rotated),
      });
    }
  }
  return { findings, errors };
}
