/**
 * The runtime forms the emitter writes by itself, outside the keyword table (emit-statements.ts,
 * emit-expressions.ts): each must be in force in the runtime profile, which keyword-forms.test.ts checks.
 */
export const EMITTER_SYNTAX = [
  "FOR EACH $ident$ IN $expr$ $block$ NEXT $ident$", // FOR EACH … NEXT with no EXIT out of it
  "CALL $ident$", // CALL of another script
  "TALK $expr$", // BEGIN TALK lines
  "ADD_SUGGESTION_TEXT $expr$ as $expr$", // PARAM … ENUM suggestions
] as const;

/** `name/arity` of the functions the emitter calls by itself. */
export const EMITTER_FUNCTIONS = [
  "send_mail/4", // BEGIN MAIL
  "USE_WEBSITE/2", // USE WEBSITE
  "range/2", // FOR … TO
  "range/3", // FOR … TO … STEP
  "ISNULL/1", // IS [NOT] NULL
  "ISEMPTY/1", // IS [NOT] EMPTY
] as const;
