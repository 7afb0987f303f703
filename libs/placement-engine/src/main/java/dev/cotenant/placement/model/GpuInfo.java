package dev.cotenant.placement.model;

/**
 * One GPU card of a node.
 *
 * @param index the card's index on its node (what {@code NVIDIA_VISIBLE_DEVICES} counts)
 * @param uuid the card's UUID, pinned on the pod so the device plugin picks this very card
 * @param model the product name, informational
 * @param memoryMiB the card's memory, the hard limit for the GPU memory of its share pods
 */
public record GpuInfo(int index, String uuid, String model, long memoryMiB) {

  public GpuInfo {
    if (index < 0) {
      throw new IllegalArgumentException("gpu index must be >= 0, got " + index);
    }
    if (uuid == null || uuid.isBlank()) {
      throw new IllegalArgumentException("gpu uuid must not be blank");
    }
    if (model == null) {
      throw new IllegalArgumentException("gpu model must not be null (use \"\" when unknown)");
    }
    if (memoryMiB <= 0) {
      throw new IllegalArgumentException("gpu memoryMiB must be > 0, got " + memoryMiB);
    }
  }
}
