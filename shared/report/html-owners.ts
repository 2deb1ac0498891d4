// Who to call: each owner with the findings of the apps and service principals they own, and the
// ones nobody owns (someone has to be found before the credential expires).
import type { Finding } from "../model.js";
import { html, type Markup } from "./html-escape.js";
import { severityIcon } from "./html-icons.js";
import type { NumberedFinding } from "./present.js";

function link({ n, finding: f }: NumberedFinding): Markup {
  return html`<li><a href="#f-${n}">${severityIcon(f.severity)}#${n} ${f.severity} · ${f.subject.name}</a></li>`;
}

export function ownersSection(findings: NumberedFinding[]): Markup {
  const byOwner = new Map<string, NumberedFinding[]>();
  for (const x of findings) {
    for (const owner of x.finding.owners ?? []) byOwner.set(owner, [...(byOwner.get(owner) ?? []), x]);
  }
  const unowned = findings.filter((x) => isUnowned(x.finding));
  if (byOwner.size === 0 && unowned.length === 0) return html``;
  const rows = [...byOwner.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([owner, items]) => html`<tr><th scope="row">${owner}</th><td><ul class="links">${items.map(link)}</ul></td></tr>`);
  return html`<section id="owners" aria-labelledby="owners-title">
<h2 id="owners-title">Owners</h2>
<table class="owners"><thead><tr><th scope="col">Owner</th><th scope="col">Findings</th></tr></thead><tbody>
${rows}
${unowned.length > 0 ? html`<tr><th scope="row" class="warn">No owner on record</th><td><ul class="links">${unowned.map(link)}</ul></td></tr>` : ""}
</tbody></table>
</section>`;
}

/** Owners are looked up for apps and service principals only; an empty list there means none. */
function isUnowned(f: Finding): boolean {
  return f.owners !== undefined && f.owners.length === 0;
}
