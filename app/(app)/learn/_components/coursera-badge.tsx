/** Marks a Coursera course wherever a course is listed. */
export function CourseraBadge() {
  return (
    <span className="inline-flex items-center rounded-full border border-brand-600 bg-brand-50 px-2 py-0.5 text-xs font-semibold text-brand-800">
      Coursera
    </span>
  );
}
