"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { buttonClasses } from "@/components/button";

/**
 * START: a plain form posting to the start route in a new tab, which records
 * the learner's intent and redirects to Coursera. A form (not a link) because
 * it writes; a new tab so the learner keeps their place here. When they come
 * back to this tab (or shortly after), the page refreshes so a session's next
 * step shows as unlocked. Once the learner has started the course it reads
 * "Continue": the same request, which Coursera answers with where they left off.
 */
export function StartCourseForm({
  courseId,
  sessionId,
  courseTitle,
  started = false,
}: {
  courseId: string;
  sessionId?: string;
  courseTitle: string;
  started?: boolean;
}) {
  const router = useRouter();
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);

  useEffect(() => {
    const refreshWhenBack = () => {
      if (document.visibilityState === "visible") router.refresh();
    };
    document.addEventListener("visibilitychange", refreshWhenBack);
    const pending = timers.current;
    return () => {
      document.removeEventListener("visibilitychange", refreshWhenBack);
      pending.forEach(clearTimeout);
    };
  }, [router]);

  const verb = started ? "Continue" : "Start";
  const action = `/learn/courses/${encodeURIComponent(courseId)}/start${sessionId ? `?session=${encodeURIComponent(sessionId)}` : ""}`;
  return (
    <form
      method="post"
      action={action}
      target="_blank"
      rel="noopener"
      onSubmit={() => {
        timers.current.push(
          setTimeout(() => router.refresh(), 1500),
          setTimeout(() => router.refresh(), 5000),
        );
      }}
    >
      <button
        type="submit"
        className={buttonClasses("primary", "w-full sm:w-auto")}
        aria-label={`${verb} ${courseTitle} on Coursera (opens in a new tab)`}
      >
        {verb} on Coursera
        <span aria-hidden="true">↗</span>
      </button>
    </form>
  );
}

/** The sentence that goes with START everywhere. */
export function CourseraAccessNote() {
  return (
    <p className="text-sm text-slate-600">
      Coursera grants access to this course through your organisation&apos;s Coursera program. It opens on Coursera in a new tab; your
      progress there appears here after the next daily update.
    </p>
  );
}
