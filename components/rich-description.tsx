import "server-only";
import { describeDescription } from "@/lib/catalogue/description-html";

// The sanitizer's output carries no classes: the few elements it allows are styled from here.
const RICH =
  "space-y-2 text-slate-800 [&_a]:text-brand-700 [&_a]:underline [&_ol]:list-decimal [&_ol]:space-y-1 [&_ol]:pl-5 [&_ul]:list-disc [&_ul]:space-y-1 [&_ul]:pl-5";

/**
 * A course description as Coursera wrote it: HTML through the allow-list of
 * lib/catalogue/description-html.ts (sanitized here, on the server), plain text
 * with its line breaks, or `empty` when there is nothing to show.
 */
export function RichDescription({
  description,
  empty = "No description.",
  className = "",
  testId,
}: {
  description: string | null | undefined;
  empty?: string;
  className?: string;
  testId?: string;
}) {
  const view = describeDescription(description);
  if (view.kind === "html") {
    return (
      // Safe: sanitized by an allow-list (p, br, lists, emphasis, https links) in describeDescription.
      <div className={`${RICH} ${className}`} data-testid={testId} dangerouslySetInnerHTML={{ __html: view.html }} />
    );
  }
  return (
    <p className={`whitespace-pre-line text-slate-800 ${className}`} data-testid={testId}>
      {view.kind === "text" ? view.text : empty}
    </p>
  );
}
