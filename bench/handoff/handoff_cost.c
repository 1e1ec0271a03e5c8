/* handoff_cost.c: what one thread handing work to a sleeping thread costs on
 * this machine, in wall time and in CPU time (both threads, user + system).
 *
 * Why: between sluice's fetch thread and the host (pull) or a worker (push),
 * a batch that finds its receiver asleep costs one such handoff. At
 * batch.size 100 that is one per 100 records, and on a small VM it is the
 * largest per-batch cost left (bench/results/e2e-2026-11-22-session3.txt).
 *
 *   sluice_handoff_cost [ROUND_TRIPS]     (default 100000)
 *
 * Two threads pass a token back and forth through POSIX semaphores, each
 * sleeping while the other runs: every pass is a futex wake of a sleeping
 * thread, as in sluice when the receiver is idle. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static sem_t to_other, to_main;
static long round_trips;

static void *other(void *unused) {
  (void)unused;
  for (long i = 0; i < round_trips; ++i) {
    sem_wait(&to_other);
    sem_post(&to_main);
  }
  return NULL;
}

static double seconds(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

int main(int argc, char **argv) {
  round_trips = argc > 1 ? atol(argv[1]) : 100000;
  if (round_trips <= 0) {
    fprintf(stderr, "usage: sluice_handoff_cost [ROUND_TRIPS]\n");
    return 2;
  }
  sem_init(&to_other, 0, 0);
  sem_init(&to_main, 0, 0);
  pthread_t t;
  if (pthread_create(&t, NULL, other, NULL) != 0) return 1;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long i = 0; i < round_trips; ++i) {
    sem_post(&to_other);
    sem_wait(&to_main);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  pthread_join(t, NULL);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  const double cpu = seconds(ru.ru_utime) + seconds(ru.ru_stime);
  const double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  const double handoffs = 2.0 * (double)round_trips;
  printf("%ld round trips: %.2f us wall, %.2f us CPU per handoff to a sleeping thread\n", round_trips,
         wall / handoffs * 1e6, cpu / handoffs * 1e6);
  return 0;
}
