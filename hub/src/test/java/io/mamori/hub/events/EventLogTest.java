package io.mamori.hub.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One event, one line of key=value fields that parses back unambiguously. */
class EventLogTest {
  @Test
  void lineCarriesEveryFieldAndQuotesWhatNeedsIt() {
    var event =
        new HubEvent(
            "mqtt.publish",
            Instant.EPOCH,
            "abc123",
            "sensor-1",
            HubEvent.DENIED,
            "no statement allows \"iot:Publish\"",
            Map.of("topic", "devices/sensor-2/cmd"));
    assertThat(EventLog.format(event))
        .isEqualTo(
            "event=mqtt.publish outcome=denied actor=abc123 subject=sensor-1"
                + " reason=\"no statement allows \\\"iot:Publish\\\"\" topic=devices/sensor-2/cmd");
  }

  @Test
  void valuesThatCouldForgeFieldsAreQuoted() {
    assertThat(EventLog.quote("a b=c")).isEqualTo("\"a b=c\"");
    assertThat(EventLog.quote("line\nevent=forged")).isEqualTo("\"line\\nevent=forged\"");
    assertThat(EventLog.quote("")).isEqualTo("\"\"");
    assertThat(EventLog.quote("plain")).isEqualTo("plain");
  }
}
