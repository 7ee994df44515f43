package io.mamori.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @Test
  void readsShortFormsAndIso8601() {
    assertThat(converter.convert("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(converter.convert("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(converter.convert("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(converter.convert("PT1H")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void refusesAnythingElseNamingTheForms() {
    assertThatThrownBy(() -> converter.convert("a week"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'a week' is not a duration; use e.g. 7d");
    assertThatThrownBy(() -> converter.convert("7w")).isInstanceOf(TypeConversionException.class);
  }
}
