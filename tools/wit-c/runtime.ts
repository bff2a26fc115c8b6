// The C that every world's glue has, whatever its functions: the string type and its helpers, the
// `cabi_realloc` export the host allocates through, and the bit casts variant payloads need.

/** The string type `s` (`<world>_string_t`), declared before every other type. */
export function stringTypedef(s: string): string {
  return `typedef struct ${s.replace(/_t$/, '')} { uint8_t *ptr; size_t len; } ${s};`;
}

export function stringLayoutCheck(s: string): string {
  return `_Static_assert(sizeof(${s}) == 8 && _Alignof(${s}) == 4, "${s}: canonical ABI layout");`;
}

/** Header lines: the prototypes of the string helpers. */
export function stringPrototypes(w: string, s: string): string[] {
  return [
    `// Strings: ${w}_string_set points at a C string (no copy); ${w}_string_dup copies it (release with ${w}_string_free).`,
    `void ${w}_string_set(${s} *ret, const char *s);`,
    `void ${w}_string_dup(${s} *ret, const char *s);`,
    `void ${w}_string_free(${s} *ret);`,
  ];
}

/** Source lines: cabi_realloc, the bit casts and the string helpers. */
export function runtimeSource(w: string, s: string): string[] {
  return [
    '// The host allocates what it returns (lists, strings) through this export.',
    '__attribute__((__weak__, __export_name__("cabi_realloc")))',
    'void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {',
    '  (void) old_size;',
    '  if (new_size == 0) return (void *) align;',
    '  void *ret = realloc(ptr, new_size);',
    '  if (!ret) abort();',
    '  return ret;',
    '}',
    '',
    '// Variant payloads share core values: the bits of a float travel in an integer.',
    'static inline __attribute__((unused)) int32_t __wit_f32_to_i32(float f) { int32_t i; memcpy(&i, &f, 4); return i; }',
    'static inline __attribute__((unused)) float __wit_i32_to_f32(int32_t i) { float f; memcpy(&f, &i, 4); return f; }',
    'static inline __attribute__((unused)) int64_t __wit_f64_to_i64(double f) { int64_t i; memcpy(&i, &f, 8); return i; }',
    'static inline __attribute__((unused)) double __wit_i64_to_f64(int64_t i) { double f; memcpy(&f, &i, 8); return f; }',
    '',
    `void ${w}_string_set(${s} *ret, const char *s) {`,
    '  ret->ptr = (uint8_t *) s;',
    '  ret->len = strlen(s);',
    '}',
    '',
    `void ${w}_string_dup(${s} *ret, const char *s) {`,
    '  ret->len = strlen(s);',
    '  ret->ptr = (uint8_t *) malloc(ret->len > 0 ? ret->len : 1);',
    '  if (!ret->ptr) abort();',
    '  memcpy(ret->ptr, s, ret->len);',
    '}',
    '',
    `void ${w}_string_free(${s} *ret) {`,
    '  if (ret->len > 0) free(ret->ptr);',
    '  ret->ptr = NULL;',
    '  ret->len = 0;',
    '}',
  ];
}
