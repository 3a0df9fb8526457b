/**
 * How the secret-hygiene specs search text for a secret (the production
 * server's pages and log: secret-hygiene.spec.ts; the development server's log:
 * secret-hygiene-dev.spec.ts).
 */

/** Every form the secret could leak in: plain, URL-encoded, base64 at any byte alignment, and all but the 4 characters the UI may show. */
export function needlesFor(secret: string): { name: string; value: string }[] {
  const needles = [
    { name: "plain", value: secret },
    { name: "url-encoded", value: encodeURIComponent(secret) },
    { name: "form-encoded", value: new URLSearchParams({ s: secret }).toString().slice(2) },
    { name: "all but the last 4", value: secret.slice(0, -4) },
  ];
  for (let offset = 0; offset < 3; offset++) {
    // Only the characters fully decided by the secret's own bytes, whatever surrounds it.
    const bytes = Buffer.from(secret.slice(offset));
    const whole = bytes.subarray(0, bytes.length - (bytes.length % 3));
    const b64 = whole.toString("base64");
    needles.push({ name: `base64@${offset}`, value: b64 }, { name: `base64url@${offset}`, value: whole.toString("base64url") });
    // Text after the secret's first byte group when it does not start on a boundary.
    if (offset > 0) needles.push({ name: `base64-inner@${offset}`, value: b64.slice(4) });
  }
  return needles.filter((n, i, all) => n.value.length >= 12 && all.findIndex((m) => m.value === n.value) === i);
}

export function leaksIn(text: string, needles: { name: string; value: string }[]): string[] {
  return needles.filter((n) => text.includes(n.value)).map((n) => n.name);
}
