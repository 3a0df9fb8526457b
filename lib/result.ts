/**
 * What every domain mutation returns: `{ ok: true, … }` or a Failure. The
 * code is for programs (tests, the alerts), the message for people, the field
 * errors for forms. Server actions pass a Failure through unchanged.
 */
export type Failure<Code extends string = string> = {
  ok: false;
  code: Code;
  message: string;
  fieldErrors?: Record<string, string>;
};

/** Who did something, as the audit log records it. */
export interface Actor {
  id: string;
  email: string;
}
