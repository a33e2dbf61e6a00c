/**
 * Text that reaches PostgreSQL must be storable there: a `text` value cannot hold U+0000 (the server
 * answers "invalid byte sequence 0x00"). Such input is refused at the edge with a reason, instead of
 * surfacing as a database error (a 500, or a non-2xx that blocks MinIO's queue).
 */
export function textProblem(text: string): string | null {
  const at = text.indexOf("\u0000");
  return at === -1 ? null : `contains a NUL character (U+0000) at position ${at}`;
}
