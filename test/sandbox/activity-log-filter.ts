// The Activity Log $filter (monitor 2015-04-01, ActivityLogs_List): "very restricted", a time range
// plus one of resourceProvider / resourceUri / resourceGroupName / correlationId; "No other syntax is
// allowed" (activityLogs_API.json, $filter description).

const FILTER_FIELDS = ["resourceProvider", "resourceUri", "resourceGroupName", "correlationId"] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

export interface ActivityFilter {
  fromMs: number;
  toMs: number;
  field: FilterField;
  /** Lower-cased: the service compares these case-insensitively. */
  value: string;
}

const USAGE =
  "The $filter must be: eventTimestamp ge '<start>' and eventTimestamp le '<end>' and one of resourceProvider, resourceUri, resourceGroupName or correlationId eq '<value>'.";

/** The parsed filter, or the message of the 400 the service answers. */
export function parseActivityFilter(filter: string | null): ActivityFilter | string {
  if (!filter) return `The $filter query parameter is required. ${USAGE}`;
  let fromMs: number | undefined;
  let toMs: number | undefined;
  let scope: { field: FilterField; value: string } | undefined;
  for (const clause of filter.trim().split(/\s+and\s+/i)) {
    const time = /^eventTimestamp\s+(ge|le)\s+'([^']+)'$/i.exec(clause);
    const eq = /^(\w+)\s+eq\s+'([^']*)'$/i.exec(clause);
    const field = FILTER_FIELDS.find((f) => f.toLowerCase() === eq?.[1]?.toLowerCase());
    if (time?.[1] && time[2]) {
      const ms = Date.parse(time[2]);
      if (Number.isNaN(ms)) return `'${time[2]}' is not a valid eventTimestamp. ${USAGE}`;
      if (time[1].toLowerCase() === "ge") fromMs = ms;
      else toMs = ms;
    } else if (field && eq && scope === undefined) {
      scope = { field, value: (eq[2] ?? "").toLowerCase() };
    } else {
      return `The $filter clause '${clause}' is not supported. ${USAGE}`;
    }
  }
  if (fromMs === undefined || toMs === undefined || scope === undefined) return USAGE;
  if (fromMs > toMs) return `The start time is later than the end time. ${USAGE}`;
  return { fromMs, toMs, ...scope };
}
