import { z } from "zod";

/** The sign-in form, used by the form in the browser and by the credentials provider. */
export const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email").max(320).email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password").max(1024),
});

export type SignInInput = z.infer<typeof signInSchema>;
