package io.mamori.hub.events;

import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes every event as one structured key=value line on the {@code mamori.events} logger. */
public final class EventLog implements Consumer<HubEvent> {
  private static final Logger log = LoggerFactory.getLogger("mamori.events");

  @Override
  public void accept(HubEvent e) {
    if (!log.isInfoEnabled()) {
      return;
    }
    String details =
        e.details().entrySet().stream()
            .map(d -> " " + d.getKey() + "=" + quote(d.getValue()))
            .collect(Collectors.joining());
    log.info(
        "event={} outcome={} actor={} subject={} reason={}{}",
        e.type(),
        e.outcome(),
        quote(e.actor()),
        quote(e.subject()),
        quote(e.reason()),
        details);
  }

  /** Quotes values with spaces or quotes so that a line always parses back into its fields. */
  static String quote(String value) {
    if (value.isEmpty()) {
      return "\"\"";
    }
    boolean plain = value.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\');
    if (plain) {
      return value;
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
