/* tsan_thrd_shim.c: linked into test executables of TSan builds only.
 *
 * librdkafka starts its threads with C11 thrd_create(). Since glibc 2.34 that
 * no longer goes through pthread_create(), which is what ThreadSanitizer
 * intercepts, so TSan never sets up its per-thread state for librdkafka's
 * threads and crashes in the first allocation they make. Defining these three
 * functions in the executable interposes them for librdkafka.so (the
 * executable comes first in symbol lookup) and routes them through the
 * intercepted pthread calls. Nothing here is used outside TSan builds. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

struct sluice_thrd_start {
  thrd_start_t fn;
  void *arg;
};

static void *sluice_thrd_trampoline(void *p) {
  struct sluice_thrd_start s = *(struct sluice_thrd_start *)p;
  free(p);
  return (void *)(intptr_t)s.fn(s.arg);
}

int thrd_create(thrd_t *thr, thrd_start_t fn, void *arg) {
  struct sluice_thrd_start *s = malloc(sizeof *s);
  if (!s) return thrd_nomem;
  s->fn = fn;
  s->arg = arg;
  pthread_t t;
  if (pthread_create(&t, NULL, sluice_thrd_trampoline, s) != 0) {
    free(s);
    return thrd_error;
  }
  *thr = (thrd_t)t;
  return thrd_success;
}

int thrd_join(thrd_t thr, int *res) {
  void *r = NULL;
  if (pthread_join((pthread_t)thr, &r) != 0) return thrd_error;
  if (res) *res = (int)(intptr_t)r;
  return thrd_success;
}

int thrd_detach(thrd_t thr) {
  return pthread_detach((pthread_t)thr) == 0 ? thrd_success : thrd_error;
}
