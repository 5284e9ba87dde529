// C11 atomics for the SDK's few lock-free flags and counters. Swift's `Synchronization.Atomic` would
// set the Apple platform floor to iOS 18 / macOS 15; these compile wherever C11 does, ThreadSanitizer
// understands them, and Swift inlines the static functions at the call site.
#ifndef CATOMICS_H
#define CATOMICS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct { _Atomic(intptr_t) value; } catomics_int;
typedef struct { _Atomic(bool) value; } catomics_bool;

static inline void catomics_int_init(catomics_int *atomic, intptr_t value) { atomic_init(&atomic->value, value); }
static inline intptr_t catomics_int_load_relaxed(catomics_int *atomic) {
    return atomic_load_explicit(&atomic->value, memory_order_relaxed);
}
static inline void catomics_int_add_relaxed(catomics_int *atomic, intptr_t delta) {
    atomic_fetch_add_explicit(&atomic->value, delta, memory_order_relaxed);
}

static inline void catomics_bool_init(catomics_bool *atomic, bool value) { atomic_init(&atomic->value, value); }
static inline bool catomics_bool_load_relaxed(catomics_bool *atomic) {
    return atomic_load_explicit(&atomic->value, memory_order_relaxed);
}
static inline void catomics_bool_store_relaxed(catomics_bool *atomic, bool value) {
    atomic_store_explicit(&atomic->value, value, memory_order_relaxed);
}
/// Sets the flag if it was false; returns whether this call set it. `acq_rel` when `ordered`.
static inline bool catomics_bool_claim(catomics_bool *atomic, bool ordered) {
    bool expected = false;
    return atomic_compare_exchange_strong_explicit(
        &atomic->value, &expected, true, ordered ? memory_order_acq_rel : memory_order_relaxed,
        ordered ? memory_order_acquire : memory_order_relaxed);
}

#endif
