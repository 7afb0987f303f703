package dev.cotenant.placement.rest;

import dev.cotenant.placement.mapping.NodeMapper;
import dev.cotenant.placement.service.PlacementService;
import dev.cotenant.placement.service.Scheduler;
import dev.cotenant.placement.state.Card;
import dev.cotenant.placement.state.Node;
import dev.cotenant.placement.state.ReservedPod;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The operator's view of the cluster, read from the scheduler between two of its batches. */
@Path("/api/v1/cluster")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.USER, Caller.ADMIN})
public class ClusterResource {
  private final PlacementService service;
  private final Caller caller;

  public ClusterResource(PlacementService service, Caller caller) {
    this.service = service;
    this.caller = caller;
  }

  @GET
  @Operation(summary = "Nodes, cards, their pods and free capacity (a tenant sees its own pods)")
  public ClusterView cluster() throws Exception {
    boolean admin = caller.admin();
    String tenant = caller.tenant();
    Scheduler scheduler = service.scheduler();
    if (scheduler == null) {
      throw new ServiceUnavailableException("placement is starting");
    }
    return scheduler.ask(view -> view(view, admin, tenant)).get(10, TimeUnit.SECONDS);
  }

  static ClusterView view(Scheduler.View view, boolean admin, String tenant) {
    double now = view.now();
    List<ClusterView.NodeView> nodes = new ArrayList<>();
    for (NodeMapper.Result r : new TreeMap<>(view.nodes()).values()) {
      Node node = view.state().node(r.name()).orElse(null);
      if (node == null) {
        nodes.add(
            new ClusterView.NodeView(
                r.name(),
                false,
                r.excludedBecause(),
                0,
                0,
                0,
                0,
                null,
                0,
                List.of(),
                List.of(),
                0));
        continue;
      }
      int[] others = {0};
      List<ClusterView.PodView> cpuPods = new ArrayList<>();
      for (ReservedPod p : view.podsOn(node.name())) {
        if (p.cards().isEmpty()) {
          add(cpuPods, p, view, admin, tenant, now, others);
        }
      }
      List<ClusterView.GpuView> gpus = new ArrayList<>();
      for (Card c : node.cards()) {
        List<ClusterView.PodView> pods = new ArrayList<>();
        for (ReservedPod p : view.podsOn(node.name())) {
          if (p.cards().contains(c)) {
            add(pods, p, view, admin, tenant, now, others);
          }
        }
        gpus.add(
            new ClusterView.GpuView(
                c.index(),
                c.uuid(),
                node.info().gpus().stream()
                    .filter(g -> g.index() == c.index())
                    .findFirst()
                    .map(g -> g.model())
                    .orElse(""),
                c.memoryMiB(),
                c.usedMilli(),
                c.usedMemoryMiB(),
                c.exclusive(),
                pods));
      }
      int maxPods = node.info().maxPods();
      nodes.add(
          new ClusterView.NodeView(
              node.name(),
              true,
              null,
              node.info().cpuMilli(),
              node.freeCpuMilli(),
              node.info().memoryMiB(),
              node.freeMemoryMiB(),
              maxPods == Integer.MAX_VALUE ? null : maxPods,
              node.podCount(),
              cpuPods,
              gpus,
              others[0]));
    }
    return new ClusterView(view.active() ? "leader" : "standby", view.pending(), nodes);
  }

  private static void add(
      List<ClusterView.PodView> out,
      ReservedPod p,
      Scheduler.View view,
      boolean admin,
      String tenant,
      double now,
      int[] others) {
    String owner = view.tenantOf(p);
    if (!admin && !owner.equals(tenant)) {
      others[0]++;
      return;
    }
    out.add(
        new ClusterView.PodView(
            p.podName(), p.jobId(), owner, p.app(), Math.max(0, p.predictedEndSeconds() - now)));
  }
}
