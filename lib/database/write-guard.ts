import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * A check that runs inside a write transaction before it commits, set by
 * whoever runs the code on the process's behalf. The embedded job runner sets
 * one per step that confirms, in the same transaction, that this process still
 * owns the job: a worker that stalled past its lease and woke up after another
 * one took the run over has its late writes refused (the transaction rolls
 * back) instead of racing the new owner. The domain only calls
 * `assertWriteAllowed`; it never knows who set the guard.
 */
export type WriteGuard = (tx: Prisma.TransactionClient) => Promise<void>;

const storage = new AsyncLocalStorage<WriteGuard>();

export function runWithWriteGuard<T>(guard: WriteGuard, work: () => Promise<T>): Promise<T> {
  return storage.run(guard, work);
}

export async function assertWriteAllowed(tx: Prisma.TransactionClient): Promise<void> {
  const guard = storage.getStore();
  if (guard) await guard(tx);
}
