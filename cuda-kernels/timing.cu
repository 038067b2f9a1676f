// Kernels for measuring, not computing.
#include "common.cuh"

// Keeps the stream busy for about ns nanoseconds (one thread). Queued before a timing window's
// start event, it lets the host finish enqueueing the timed launches while the GPU is still
// spinning, so the window holds device work only and no host submission gaps.
P4J_KERNEL void p4j_spin(long long ns) {
  unsigned long long start, now;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(start));
  do {
    __nanosleep(500);
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
  } while (now - start < (unsigned long long)ns);
}

// Writes one float to a caller-chosen address. With a valid buffer it is the start-up check's
// "one tiny launch"; with an address nothing owns it faults on purpose, which is how the smoke
// step's self-test proves that a fault in one family costs only that family.
P4J_KERNEL void p4j_poke(float* p, float v) {
  if (threadIdx.x == 0 && blockIdx.x == 0) *(volatile float*)p = v;
}
