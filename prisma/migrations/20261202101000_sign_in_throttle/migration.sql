-- Failed sign-ins per account and per client address, shared by every web process (issue 14 #5).
CREATE TYPE "SignInThrottleKind" AS ENUM ('ACCOUNT', 'ADDRESS');

CREATE TABLE "SignInThrottle" (
    "kind" "SignInThrottleKind" NOT NULL,
    "subject" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lastFailureAt" TIMESTAMP(3) NOT NULL,
    "lockedUntil" TIMESTAMP(3),

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("kind","subject")
);

CREATE INDEX "SignInThrottle_lockedUntil_idx" ON "SignInThrottle"("lockedUntil");
