/**
 * What a route shows while its page loads (the route groups' loading.tsx):
 * grey blocks in the page's shape instead of a blank page. Busy for assistive
 * technology, with one polite "Loading…" status; the blocks themselves are
 * hidden from it. Server-rendered, no script: it shows at once.
 */
export function PageSkeleton({ className = "space-y-6", blocks = 3 }: { className?: string; blocks?: number }) {
  return (
    <main className={className} aria-busy="true" data-testid="page-skeleton">
      <p role="status" className="sr-only">
        Loading…
      </p>
      <div aria-hidden="true" className="animate-pulse space-y-6 motion-reduce:animate-none">
        <div className="space-y-2">
          <div className="h-7 w-64 max-w-full rounded bg-slate-200" />
          <div className="h-4 w-96 max-w-full rounded bg-slate-100" />
        </div>
        {Array.from({ length: blocks }, (_, i) => (
          <div key={i} className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
            <div className="h-5 w-40 rounded bg-slate-200" />
            <div className="h-4 w-full rounded bg-slate-100" />
            <div className="h-4 w-5/6 rounded bg-slate-100" />
          </div>
        ))}
      </div>
    </main>
  );
}
