package io.mamori.hub.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The device metrics document of reference §8.4: long and short keys, and what is refused. */
class ReportParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static DeviceReport parse(String json) throws Exception {
    return ReportParser.parse("t", JSON.readTree(json), Instant.EPOCH);
  }

  @Test
  void shortKeysGiveTheSameValuesAsLongKeys() throws Exception {
    var report =
        parse(
            """
            {"hed": {"rid": 5, "v": "1.0"},
             "met": {"tp": {"pts": [{"if": "eth0", "pt": 22}, {"pt": 80}]},
                     "up": {"pts": [], "t": 0},
                     "ns": {"bi": 1, "bo": 2, "pi": 3, "po": 4},
                     "tc": {"ec": {"cs": [{"rad": "[::1]:443", "lp": 1}]}}},
             "cmet": {"temp": [{"number": 21.5}], "seen": [{"ip_list": ["10.0.0.1"]}]}}
            """);
    assertThat(report.reportId()).isEqualTo(5);
    assertThat(report.values())
        .containsEntry(MetricNames.LISTENING_TCP_PORTS, 2.0)
        .containsEntry(MetricNames.LISTENING_UDP_PORTS, 0.0)
        .containsEntry(MetricNames.ALL_BYTES_IN, 1.0)
        .containsEntry(MetricNames.ALL_PACKETS_OUT, 4.0)
        .containsEntry(MetricNames.ESTABLISHED_TCP, 1.0)
        .containsEntry("cmet:temp", 21.5);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"metrics\": {}}|header is required",
        "{\"header\": {\"report_id\": \"7\", \"version\": \"1.0\"}, \"metrics\": {}}|report_id",
        "{\"header\": {\"report_id\": 7, \"version\": \"one\"}, \"metrics\": {}}|header.version",
        "{\"header\": {\"report_id\": 7, \"version\": \"1.0\"}}|metrics or a custom_metrics",
        "{\"hed\": {\"rid\": 7, \"v\": \"1.0\"}, \"met\": {\"ns\": {\"bi\": -1}}}|bytes_in must be between",
        "{\"hed\": {\"rid\": 7, \"v\": \"1.0\"}, \"met\": {\"tp\": {\"pts\": [{\"pt\": 0}]}}}|port must be between 1",
        "{\"hed\": {\"rid\": 7, \"v\": \"1.0\"}, \"met\": {\"tc\": {\"ec\": {\"cs\": [{\"rad\": \"nowhere\"}]}}}}|remote_addr",
        "{\"hed\": {\"rid\": 7, \"v\": \"1.0\"}, \"cmet\": {\"x\": [{\"colour\": \"red\"}]}}|needs number"
      })
  void malformedReportsAreRejectedNamingTheField(String json, String reason) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(ReportRejection.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(((ReportRejection) e).errorCode()).isEqualTo("InvalidPayload"));
  }

  @Test
  void thingNamesOver128BytesOrWithControlCharactersAreRefused() {
    assertThat(DeviceMetricsHandler.validThingName("sensor-1")).isTrue();
    assertThat(DeviceMetricsHandler.validThingName("a".repeat(129))).isFalse();
    assertThat(DeviceMetricsHandler.validThingName("bad\u0007name")).isFalse();
  }
}
