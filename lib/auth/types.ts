import type { Role } from "@/lib/generated/prisma/enums";

/** Who is signed in: shared by server code and the UI that shows it. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  platformId: string | null;
}

/** The signed-in user of a request, with their platform's name for the header. */
export interface SessionUser extends AuthUser {
  platformName: string | null;
}
