package dev.cotenant.placement.state;

import dev.cotenant.placement.model.GpuInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A GPU card's live state. Read-only outside this package; {@link ClusterState} mutates it. */
public final class Card {

  private final Node node;
  private final GpuInfo info;
  private int usedMilli;
  private long usedMemoryMiB;
  private boolean exclusive;
  private final List<ReservedPod> tenants = new ArrayList<>(4);
  private List<String> tenantApps = List.of();
  private int[] tenantAppIds = new int[0];
  private ShareClass shareClass;
  private AppGroup appGroup;

  Card(Node node, GpuInfo info) {
    this.node = node;
    this.info = info;
  }

  public Node node() {
    return node;
  }

  public int index() {
    return info.index();
  }

  public String uuid() {
    return info.uuid();
  }

  public long memoryMiB() {
    return info.memoryMiB();
  }

  public int usedMilli() {
    return usedMilli;
  }

  public long usedMemoryMiB() {
    return usedMemoryMiB;
  }

  public int freeMilli() {
    return 1000 - usedMilli;
  }

  public long freeMemoryMiB() {
    return info.memoryMiB() - usedMemoryMiB;
  }

  /** Held whole by one pod: no share pod may join. */
  public boolean exclusive() {
    return exclusive;
  }

  public boolean isEmpty() {
    return !exclusive && tenants.isEmpty();
  }

  /** The share pods on this card, in reservation order. */
  public List<ReservedPod> tenants() {
    return Collections.unmodifiableList(tenants);
  }

  /** The apps of the share pods on this card, sorted (a multiset). */
  public List<String> tenantApps() {
    return tenantApps;
  }

  /**
   * {@link AppIds} of {@link #tenantApps()}, in the same order. Shared with the card's {@link
   * AppGroup}: do not modify.
   */
  public int[] tenantAppIds() {
    return tenantAppIds;
  }

  /** The group of cards with the same tenant apps and exclusivity this card is in. */
  public AppGroup appGroup() {
    return appGroup;
  }

  void setAppGroup(AppGroup g) {
    this.appGroup = g;
  }

  AppGroup.Key groupKey() {
    return new AppGroup.Key(tenantApps, exclusive);
  }

  /** The equivalence class this card is in. */
  public ShareClass shareClass() {
    return shareClass;
  }

  CardKey key() {
    return new CardKey(info.memoryMiB(), tenantApps, usedMilli, usedMemoryMiB, exclusive);
  }

  void setShareClass(ShareClass c) {
    this.shareClass = c;
  }

  void addShare(ReservedPod pod, int milli, long mem) {
    usedMilli += milli;
    usedMemoryMiB += mem;
    tenants.add(pod);
    refreshApps();
  }

  void removeShare(ReservedPod pod, int milli, long mem) {
    usedMilli -= milli;
    usedMemoryMiB -= mem;
    tenants.remove(pod);
    refreshApps();
  }

  void setExclusive(boolean exclusive) {
    this.exclusive = exclusive;
    usedMilli = exclusive ? 1000 : 0;
    usedMemoryMiB = exclusive ? info.memoryMiB() : 0;
  }

  private void refreshApps() {
    var apps = new ArrayList<String>(tenants.size());
    for (ReservedPod p : tenants) {
      apps.add(p.app());
    }
    Collections.sort(apps);
    tenantApps = List.copyOf(apps);
    int[] ids = new int[tenantApps.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = AppIds.of(tenantApps.get(i));
    }
    tenantAppIds = ids;
  }

  @Override
  public String toString() {
    return node.name() + "/gpu" + index();
  }
}
