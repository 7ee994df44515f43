package io.mamori.hub.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.events.HubEvent;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Events refused because the audit queue was full, until the writer records them as one gap: how
 * many, of which types, and between which times. Only touched on overload, so a lock is cheap.
 */
final class GapCounter {
  private long lost;
  private Instant first;
  private Instant last;
  private TreeMap<String, Long> types = new TreeMap<>();

  synchronized void lost(HubEvent event) {
    lost++;
    if (first == null) {
      first = event.at();
    }
    last = event.at();
    types.merge(event.type(), 1L, Long::sum);
  }

  /** The gap so far as a record body, and starts counting afresh; empty when nothing was lost. */
  synchronized Optional<ObjectNode> take(AuditCodec codec) {
    if (lost == 0) {
      return Optional.empty();
    }
    ObjectNode body = codec.object();
    body.put("lost", lost).put("firstLostAt", first.toString()).put("lastLostAt", last.toString());
    ObjectNode byType = body.putObject("types");
    types.forEach(byType::put);
    lost = 0;
    first = null;
    last = null;
    types = new TreeMap<>();
    return Optional.of(body);
  }
}
