package io.mamori.hub.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BulkRegistrationTest {
  private static final String PEM =
      "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\nAAAA\n-----END CERTIFICATE REQUEST-----\n";

  private static BulkRegistration.Line line(Map<String, String> parameters, String csr) {
    return new BulkRegistration.Line(1, parameters, Optional.of(csr), Optional.empty());
  }

  @Test
  void aLineIsRecognisedWhateverItsParameterOrderLayoutOrLineNumber() {
    var ab = new LinkedHashMap<String, String>();
    ab.put("A", "1");
    ab.put("B", "2");
    var ba = new LinkedHashMap<String, String>();
    ba.put("B", "2");
    ba.put("A", "1");
    String hash = BulkRegistration.hash(line(ab, PEM));
    assertThat(BulkRegistration.hash(line(ba, PEM.replace("\n", "\r\n") + "\n"))).isEqualTo(hash);
    assertThat(
            BulkRegistration.hash(
                new BulkRegistration.Line(7, ab, Optional.of(PEM), Optional.empty())))
        .isEqualTo(hash);
  }

  @Test
  void anyChangeOfParametersKeyOrKindIsANewLine() {
    String hash = BulkRegistration.hash(line(Map.of("A", "1"), PEM));
    assertThat(BulkRegistration.hash(line(Map.of("A", "2"), PEM))).isNotEqualTo(hash);
    assertThat(BulkRegistration.hash(line(Map.of("A", "1"), PEM.replace("AAAA", "AAAB"))))
        .isNotEqualTo(hash);
    assertThat(
            BulkRegistration.hash(
                new BulkRegistration.Line(1, Map.of("A", "1"), Optional.empty(), Optional.of(PEM))))
        .isNotEqualTo(hash);
  }
}
