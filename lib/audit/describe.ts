/**
 * The audit log in words, for its page and its CSV alike: an action's label and what an entry
 * changed. Never a credential value (none is stored in the log).
 */

const ACTION_LABEL: Record<string, string> = {
  "connector.enabled": "Enabled the connector",
  "connector.disabled": "Disabled the connector",
  "connector.sync_group_changed": "Moved the synchronized group",
  "connector.sync_group_move_undone": "Undid a move of the synchronized group",
  "credentials.replaced": "Replaced the Coursera credentials",
  "skills.changed": "Changed skills",
  "sync.started": "Started a sync",
  "catalogue.retirements-applied": "Applied held retirements",
  "catalogue.retirements-dismissed": "Dismissed held retirements",
  "statistics.identity-linked": "Linked a Coursera identity",
  "statistics.unmatched-dismissed": "Dismissed unmatched records",
  "connector.schedule_changed": "Changed the sync schedule",
  "connector.import_selection_changed": "Changed what is imported",
  "credentials.shared_org_allowed": "Allowed a Coursera organisation shared with another platform",
  "account.unlocked": "Unlocked a sign-in",
  "credentials.rejected": "Tried credentials Coursera refused",
  "access.denied": "Was refused an action",
};

/** An action in words; an action this list does not know yet, as recorded. */
export function auditActionLabel(action: string): string {
  return ACTION_LABEL[action] ?? action;
}

const REFUSAL: Record<string, string> = {
  BAD_CREDENTIALS: "wrong client id or secret",
  UNKNOWN_ORG: "unknown organisation",
  API_ACCESS_DISABLED: "API access not enabled",
};

/** What changed, in words; never a credential value (none is stored in the log). */
export function describeAuditEntry(action: string, details: unknown): string {
  const d = (details ?? {}) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.join(", ") : "");
  switch (action) {
    case "connector.enabled":
      return d.groupName ? `Group: ${d.groupName}` : "";
    case "connector.sync_group_changed":
    case "connector.sync_group_move_undone": {
      const move = d.fromGroupName ? `${d.fromGroupName} → ${d.groupName}` : d.groupName ? `Group: ${d.groupName}` : "";
      if (typeof d.learnersLosing !== "number") return move;
      const n = (v: unknown) => (typeof v === "number" ? v : 0);
      return (
        `${move}; ${n(d.groupsGaining)} group(s) gained and ${n(d.groupsLosing)} lost the courses; ` +
        `${n(d.learnersLosing)} learner(s) lost access (${n(d.learnersLosingInProgress)} with a course in progress), ${n(d.learnersGaining)} gained it`
      );
    }
    case "credentials.replaced":
      return [
        d.first ? "first credentials" : null,
        d.orgIdChanged ? "organisation id" : null,
        d.clientIdChanged ? "client id" : null,
        d.secretChanged ? "client secret" : null,
      ]
        .filter(Boolean)
        .join(", ");
    case "skills.changed":
      return [
        d.added ? `added ${list(d.added)}` : null,
        d.removed ? `removed ${list(d.removed)}` : null,
        d.bulk ? `on ${Array.isArray(d.courseIds) ? d.courseIds.length : "?"} courses` : d.courseTitle ? `on “${d.courseTitle}”` : null,
      ]
        .filter(Boolean)
        .join(" ");
    case "sync.started":
      return `${String(d.kind ?? "").toLowerCase()} (${String(d.trigger ?? "").toLowerCase()})`;
    case "statistics.identity-linked":
      return `${d.identityKey} → ${d.userEmail}`;
    case "connector.schedule_changed": {
      const names: Record<string, string> = { timeZone: "time zone", catalogueTime: "catalogue time", statisticsTime: "statistics time" };
      return Object.entries(d)
        .map(([key, change]) => {
          const c = (change ?? {}) as { from?: unknown; to?: unknown };
          return `${names[key] ?? key}: ${String(c.from ?? "default")} → ${String(c.to ?? "default")}`;
        })
        .join("; ");
    }
    case "connector.import_selection_changed":
      return `${String(d.summary ?? "")}; dry run: ${String(d.add ?? 0)} to add, ${String(d.retire ?? 0)} to retire (${String(d.retireInUse ?? 0)} in use), ${String(d.keep ?? 0)} kept`;
    case "account.unlocked":
      return String(d.email ?? "");
    case "credentials.shared_org_allowed":
      return `organisation ${String(d.orgId ?? "")}`;
    case "credentials.rejected":
      return `organisation ${String(d.orgId ?? "")}: ${REFUSAL[String(d.courseraCode)] ?? String(d.courseraCode ?? "refused")}${d.secretFromForm === false ? " (with the stored secret)" : ""}`;
    case "access.denied":
      return `${String(d.permission ?? "")} on ${String(d.target ?? "a platform")} (${String(d.role ?? "").toLowerCase()})`;
    default:
      return "";
  }
}
