package dev.cotenant.placement.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.placement.model.GpuInfo;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.placement.model.PodShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The app-group index against a scan of every card: membership, size and {@link
 * AppGroup#firstFitting}, on clusters large enough for groups to span many blocks (splits and
 * removals of whole blocks), with nodes removed and added in between.
 */
class AppGroupTest {

  private static final List<String> APPS = List.of("a", "b", "c");

  @Test
  void groupsMatchAScanOfEveryCard() {
    Random rnd = new Random(7);
    List<NodeInfo> infos = new ArrayList<>();
    for (int n = 0; n < 120; n++) {
      infos.add(node("n" + n, 8));
    }
    ClusterState state = new ClusterState(infos);
    List<String> running = new ArrayList<>();
    int seq = 0;
    for (int op = 0; op < 6000; op++) {
      if (!running.isEmpty() && rnd.nextInt(3) == 0) {
        state.release(running.remove(rnd.nextInt(running.size())));
      } else {
        List<Node> nodes = new ArrayList<>(state.nodes());
        Node node = nodes.get(rnd.nextInt(nodes.size()));
        Card card = node.cards().get(rnd.nextInt(node.cards().size()));
        boolean whole = rnd.nextInt(20) == 0;
        int milli = 100 * (1 + rnd.nextInt(5));
        long mem = 1024L * (1 + rnd.nextInt(6));
        if (whole
            ? !card.isEmpty()
            : card.exclusive() || card.freeMilli() < milli || card.freeMemoryMiB() < mem) {
          continue;
        }
        String name = "p" + seq++;
        state.reserve(
            new PodReservation(
                name,
                name,
                APPS.get(rnd.nextInt(APPS.size())),
                whole ? PodShape.whole(100, 100, 1) : PodShape.share(100, 100, milli, mem),
                node.name(),
                List.of(card.index()),
                0,
                1,
                1));
        running.add(name);
      }
      if (op == 3000) {
        // A node added at the end and an empty one taken out keep the order intact.
        state.addNode(node("late", 8));
        for (Node n : new ArrayList<>(state.nodes())) {
          if (n.podCount() == 0 && !n.name().equals("late")) {
            state.removeNode(n.name());
            break;
          }
        }
      }
      if (op % 500 == 0) {
        check(state, rnd);
      }
    }
    check(state, rnd);
  }

  private static void check(ClusterState state, Random rnd) {
    Map<AppGroup.Key, List<Card>> scan = new HashMap<>();
    for (Node n : state.nodes()) {
      for (Card c : n.cards()) {
        scan.computeIfAbsent(
                new AppGroup.Key(c.tenantApps(), c.exclusive()), k -> new ArrayList<>())
            .add(c);
      }
    }
    assertThat(state.appGroups()).hasSize(scan.size());
    for (AppGroup g : state.appGroups()) {
      List<Card> cards = scan.get(g.key());
      assertThat(cards).as("group %s", g.key()).isNotNull();
      assertThat(g.size()).isEqualTo(cards.size());
      assertThat(g.first()).isSameAs(cards.get(0));
      for (Card c : cards) {
        assertThat(c.appGroup()).isSameAs(g);
      }
      for (int q = 0; q < 20; q++) {
        int milli = rnd.nextInt(1001);
        long mem = rnd.nextInt(16_385);
        int parity = rnd.nextInt(2);
        Card expected = null;
        for (Card c : cards) {
          if (c.freeMilli() >= milli && c.freeMemoryMiB() >= mem && c.index() % 2 == parity) {
            expected = c;
            break;
          }
        }
        assertThat(g.firstFitting(milli, mem, c -> c.index() % 2 == parity)).isSameAs(expected);
      }
    }
  }

  private static NodeInfo node(String name, int gpus) {
    List<GpuInfo> cards = new ArrayList<>();
    for (int g = 0; g < gpus; g++) {
      cards.add(new GpuInfo(g, name + "-" + g, "test", 16_384));
    }
    return new NodeInfo(name, 1_000_000, 1_000_000, cards);
  }
}
