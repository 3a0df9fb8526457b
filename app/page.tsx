import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";

/** Everyone lands where their work is. */
export default async function Home() {
  const user = await requireUser();
  if (user.role === "CSM") redirect("/platforms");
  if (user.role === "ADMIN" && user.platformId) redirect(`/p/${user.platformId}`);
  redirect("/learn");
}
