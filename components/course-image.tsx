"use client";

import { useState } from "react";

/**
 * A course's picture, or a neutral placeholder when there is none or it does
 * not load (Coursera's image host down, a link the sync dropped): never a
 * broken-image icon. Decorative (alt=""): the course's title is always next to it.
 */
export function CourseImage({ src, className = "" }: { src: string | null | undefined; className?: string }) {
  const [failed, setFailed] = useState<string | null>(null);
  if (!src || failed === src) return <CourseImagePlaceholder className={className} />;
  return (
    // eslint-disable-next-line @next/next/no-img-element -- Coursera's image hosts are not known to next/image
    <img
      src={src}
      alt=""
      loading="lazy"
      data-testid="course-image"
      className={`bg-slate-100 object-cover ${className}`}
      onError={() => setFailed(src)}
      // An image that failed before hydration fired its error event before React listened: decode() tells.
      ref={(img) => {
        if (img?.complete) img.decode().catch(() => setFailed(src));
      }}
    />
  );
}

export function CourseImagePlaceholder({ className = "" }: { className?: string }) {
  return (
    <div
      aria-hidden="true"
      data-testid="course-image-placeholder"
      className={`flex items-center justify-center bg-gradient-to-br from-slate-100 to-slate-200 text-slate-400 ${className}`}
    >
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" className="h-8 w-8">
        <path d="M4 19.5V6a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v13.5M4 19.5A1.5 1.5 0 0 0 5.5 21H20M4 19.5A1.5 1.5 0 0 1 5.5 18H20v3" />
        <path d="M9 8h6M9 11h4" strokeLinecap="round" />
      </svg>
    </div>
  );
}
