package io.mamori.hub.mqtt.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundTest {
  /** Counts the flushes that reach the transport. */
  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    int flushes;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes++;
      ctx.flush();
    }
  }

  private final FlushCounter counter = new FlushCounter();
  private final EmbeddedChannel channel = new EmbeddedChannel(counter);
  private final Outbound outbound = new Outbound(channel);

  private List<Object> written() {
    List<Object> out = new ArrayList<>();
    Object message;
    while ((message = channel.readOutbound()) != null) {
      out.add(message);
    }
    return out;
  }

  @Test
  void packetsHandedOverTogetherAreWrittenInOrderWithOneFlush() {
    outbound.add("first");
    outbound.add("second");
    outbound.add("third");
    assertThat(written()).isEmpty(); // nothing is written before the event loop runs the drain

    channel.runPendingTasks();

    assertThat(written()).containsExactly("first", "second", "third");
    assertThat(counter.flushes).isEqualTo(1);
  }

  @Test
  void aPacketAddedAfterADrainIsWrittenByTheNextOne() {
    outbound.add("first");
    channel.runPendingTasks();
    outbound.add("second");
    channel.runPendingTasks();

    assertThat(written()).containsExactly("first", "second");
    assertThat(counter.flushes).isEqualTo(2);
  }

  @Test
  void aLongBacklogIsWrittenInBoundedSteps() {
    int count = Outbound.MAX_PER_DRAIN + 10;
    for (int i = 0; i < count; i++) {
      outbound.add(i);
    }
    channel.runPendingTasks();

    List<Object> out = written();
    assertThat(out).hasSize(count);
    assertThat(out).isSortedAccordingTo((a, b) -> Integer.compare((int) a, (int) b));
    assertThat(counter.flushes).isEqualTo(2);
  }

  @Test
  void packetsForAClosedConnectionAreDropped() {
    channel.close();
    outbound.add("late");
    channel.runPendingTasks();

    assertThat(written()).isEmpty();
  }
}
