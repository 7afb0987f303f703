package dev.cotenant.fragmentation.policy;

/** The largest node spec FGD's baselines normalise by: 128 cores and 8 GPUs. */
final class MaxSpec {

  static final double CPU_MILLI = 128_000;
  static final double GPU_MILLI = 8_000;
  static final long GPU_MILLI_LONG = 8_000;

  private MaxSpec() {}
}
