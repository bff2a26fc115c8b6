// The C side of the canonical ABI round trip (test/c-abi.test.ts): every export passes what it was
// given to the host's echo through the generated glue and returns what came back, so that a value
// crosses the boundary four times (host -> guest export, guest -> host import, and back).
// Ownership as the glue documents it: an export's parameters are the guest's (freed here), its
// result is released by the post-return function; an import's result is the caller's.
#include "abi.h"
#include <stdlib.h>

static uint32_t notes_sent;

static void note(const char *text) {
  abi_string_t s;
  abi_string_set(&s, text);
  abi_note(&s);
  notes_sent++;
}

void exports_test_abi_guest_roundtrip_point(test_abi_guest_point_t *p, test_abi_guest_point_t *ret) {
  test_abi_host_echo_point(p, ret);
  test_abi_types_point_free(p);
}

void exports_test_abi_guest_roundtrip_shape(test_abi_guest_shape_t *s, test_abi_guest_shape_t *ret) {
  test_abi_host_echo_shape(s, ret);
  test_abi_types_shape_free(s);
}

void exports_test_abi_guest_roundtrip_shapes(test_abi_types_list_shape_t *s, test_abi_types_list_shape_t *ret) {
  test_abi_host_echo_shapes(s, ret);
  test_abi_types_list_shape_free(s);
}

void exports_test_abi_guest_roundtrip_many(test_abi_guest_many_t *m, test_abi_guest_many_t *ret) {
  test_abi_host_echo_many(m, ret);
}

void exports_test_abi_guest_roundtrip_scalars(uint8_t a, int8_t b, uint16_t c, int16_t d, uint32_t e, int32_t f, uint64_t g, int64_t h,
    float i, double j, uint32_t k, bool l, abi_tuple12_u8_s8_u16_s16_u32_s32_u64_s64_f32_f64_char_bool_t *ret) {
  test_abi_host_echo_scalars(a, b, c, d, e, f, g, h, i, j, k, l, ret);
}

bool exports_test_abi_guest_roundtrip_option(abi_option_option_string_t *o, abi_option_string_t *ret) {
  abi_option_option_string_t back;
  bool some = test_abi_host_echo_option(o, &back.val);
  abi_option_option_string_free(o);
  if (some) *ret = back.val;
  return some;
}

bool exports_test_abi_guest_roundtrip_result(test_abi_types_result_shape_string_t *r, test_abi_guest_shape_t *ret, abi_string_t *err) {
  bool ok = test_abi_host_echo_result(r, ret, err);
  test_abi_types_result_shape_string_free(r);
  return ok;
}

void exports_test_abi_guest_roundtrip_nested(abi_list_list_string_t *l, abi_list_list_string_t *ret) {
  test_abi_host_echo_nested(l, ret);
  abi_list_list_string_free(l);
}

uint64_t exports_test_abi_guest_sum_many(test_abi_guest_many_t *m, uint32_t extra) {
  return test_abi_host_sum_many(m, extra);
}

uint64_t exports_test_abi_guest_count(abi_list_u32_t *starts, uint32_t step) {
  uint64_t total = 0;
  test_abi_types_own_counter_t previous = { -1 };
  for (size_t i = 0; i < starts->len; i++) {
    // Odd ones from the constructor, even ones from a host function returning an owned handle.
    test_abi_types_own_counter_t c = i % 2 ? test_abi_types_constructor_counter(starts->ptr[i]) : test_abi_host_make_counter(starts->ptr[i]);
    test_abi_types_method_counter_add(test_abi_types_borrow_counter(c), step);
    if (previous.__handle >= 0) {
      total += test_abi_types_static_counter_total(test_abi_types_borrow_counter(previous), test_abi_types_borrow_counter(c));
      test_abi_types_counter_drop_own(previous);
    }
    previous = c;
  }
  if (previous.__handle >= 0) test_abi_types_counter_drop_own(previous);
  abi_list_u32_free(starts);
  note("counted");
  return total;
}

uint32_t exports_abi_notes(void) {
  note("asked");
  return notes_sent;
}

uint32_t exports_abi_memory_pages(void) {
  return (uint32_t) __builtin_wasm_memory_size(0);
}
