// How the C test guests print what they see: one JSON line per observation, with the keys the
// TypeScript test guests use (test/guests/datamodel/report.ts), so that tests read both alike.
#ifndef REPORT_H
#define REPORT_H

#include "guest.h"

/** A JSON text being written; commas are placed by the writer. */
typedef struct json {
  char *buf;
  size_t len, cap;
  /** Per nesting level: whether a value was written at that level (a comma comes first). */
  bool written[32];
  int depth;
  bool after_key;
} json_t;

void j_init(json_t *j);
void j_free(json_t *j);
void j_open(json_t *j);   // {
void j_close(json_t *j);  // }
void j_open_array(json_t *j);
void j_close_array(json_t *j);
void j_key(json_t *j, const char *key);
void j_str(json_t *j, const char *s);
void j_strn(json_t *j, const uint8_t *s, size_t n);
void j_u64(json_t *j, uint64_t v);
void j_bool(json_t *j, bool v);
void j_null(json_t *j);
/** A JSON value already written elsewhere (e.g. a drain's items). */
void j_raw(json_t *j, const json_t *value);
void j_bytes(json_t *j, const command_list_u8_t *data);
void j_list_u32(json_t *j, const command_list_u32_t *list);
void j_address(json_t *j, const sctp_address_t *a);
/** { "case": name, ...: the observation's other keys follow. */
void j_case(json_t *j, const char *name);
/** Closes the observation and prints it as one line. */
void j_report(json_t *j);

/** A key and its value, in an object. */
void put_u64(json_t *j, const char *key, uint64_t v);
void put_bool(json_t *j, const char *key, bool v);
void put_str(json_t *j, const char *key, const char *v);

/** An error code as { "error": name }. */
void j_error(json_t *j, sctp_error_t e);
/** "ok" or the error's name: what `codeOf` gives in the TypeScript guests. */
const char *code_of(bool ok, sctp_error_t err);
/** What PR-SCTP abandoned: { "abandonedUnsent", "abandonedSent" }. */
void j_pr_status(json_t *j, const sctp_sockets_sctp_pr_status_t *st);

/** What a guest sees of an incoming item: notifications with every field, messages by text. */
void describe(json_t *j, const sctp_incoming_t *item);

/** What a drain saw, besides the JSON: enough to decide when to stop and to find associations. */
typedef struct seen {
  json_t items;          // a JSON array of described items
  int count;
  int kinds[16];         // per notification kind (the variant's case index)
  bool states[8];        // assoc-change states seen
  uint32_t association_of[16]; // the association of the first notification of each kind
  int messages;
  bool ended;            // end-of-stream, or receive failed
  struct { char text[64]; uint32_t association; uint16_t stream; uint32_t ppid; bool complete; } message[512];
} seen_t;

typedef enum { UNTIL_KIND, UNTIL_STATE, UNTIL_MESSAGES, UNTIL_ENDED, UNTIL_ANY } until_t;

/**
 * Receives and describes items until the condition holds (`n` notifications of kind `arg`, the
 * assoc-change state `arg`, `n` messages, the end, anything), the socket stays quiet for `quiet_ms`,
 * or receive fails (recorded as { "error": ... }).
 */
seen_t *drain(sctp_t sock, until_t until, int arg, int n, uint64_t quiet_ms, uint64_t max);
void seen_free(seen_t *s);
/** The items a drain saw, under `key`. */
void put_seen(json_t *j, const char *key, const seen_t *s);

/** Drains as `drain` does (quiet for 3 s, 64 items a receive) and puts the items under `key`. */
void put_drained(json_t *j, const char *key, sctp_t sock, until_t until, int arg, int n);
/** Drains as `put_drained` does and reports { "case": name, "seen": [...] }. */
void report_drained(const char *name, sctp_t sock, until_t until, int arg, int n);

#endif
