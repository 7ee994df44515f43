package io.mamori.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobDocumentSourceTest {
  private final ClientOptions options = new ClientOptions();

  @Test
  void templatesNeedNoHubAndConfigCarriesItsSettings() {
    var config =
        JobDocumentSource.resolve(
            options,
            Optional.empty(),
            Optional.of("config"),
            Optional.empty(),
            List.of("interval=30", "url=https://x/?a=b"));
    assertThat(config.toString())
        .isEqualTo(
            "{\"operation\":\"config\",\"settings\":{\"interval\":\"30\",\"url\":\"https://x/?a=b\"}}");
    assertThat(
            JobDocumentSource.resolve(
                    options, Optional.empty(), Optional.of("reboot"), Optional.empty(), List.of())
                .toString())
        .isEqualTo("{\"operation\":\"reboot\"}");
  }

  @Test
  void ambiguousOrWrongSourcesAreClearFailures() {
    assertThatThrownBy(
            () ->
                JobDocumentSource.resolve(
                    options,
                    Optional.of(Path.of("doc.json")),
                    Optional.of("reboot"),
                    Optional.empty(),
                    List.of()))
        .isInstanceOf(CliFailure.class)
        .hasMessageContaining("exactly one of");
    assertThatThrownBy(
            () ->
                JobDocumentSource.resolve(
                    options, Optional.empty(), Optional.empty(), Optional.empty(), List.of()))
        .hasMessageContaining("exactly one of");
    assertThatThrownBy(
            () ->
                JobDocumentSource.resolve(
                    options, Optional.empty(), Optional.of("format"), Optional.empty(), List.of()))
        .hasMessageContaining("unknown template 'format'");
    assertThatThrownBy(
            () ->
                JobDocumentSource.resolve(
                    options,
                    Optional.empty(),
                    Optional.of("reboot"),
                    Optional.empty(),
                    List.of("a=b")))
        .hasMessageContaining("--setting belongs to --template config");
    assertThatThrownBy(
            () ->
                JobDocumentSource.resolve(
                    options, Optional.empty(), Optional.of("config"), Optional.empty(), List.of()))
        .hasMessageContaining("at least one setting");
    assertThatThrownBy(
            () ->
                JobDocumentSource.resolve(
                    options,
                    Optional.empty(),
                    Optional.of("config"),
                    Optional.empty(),
                    List.of("novalue")))
        .hasMessageContaining("KEY=VALUE");
  }
}
