import { forbidden } from "next/navigation";
import { requireRole } from "@/lib/auth/session";

/** Pages: a signed-in learner and their platform (a learner without one has nothing to see). */
export async function requireLearner() {
  const user = await requireRole("LEARNER");
  if (!user.platformId) forbidden();
  return { user, platformId: user.platformId };
}
