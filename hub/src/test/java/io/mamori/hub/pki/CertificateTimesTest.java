package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

class CertificateTimesTest {

  @Test
  void encodesLikeBouncyCastleOnBothSidesOfThe2050Switch() throws Exception {
    for (String at :
        new String[] {
          "2026-11-23T15:31:07Z",
          "1999-01-02T03:04:05Z",
          "2049-12-31T23:59:59Z",
          "2050-01-01T00:00:00Z",
          "2126-06-30T12:00:00Z"
        }) {
      Instant instant = Instant.parse(at);
      assertThat(CertificateTimes.of(instant).getEncoded())
          .as(at)
          .isEqualTo(new Time(Date.from(instant)).getEncoded());
      assertThat(CertificateTimes.of(instant).getDate().toInstant()).isEqualTo(instant);
    }
  }

  @Test
  void dropsFractionsOfASecondAsX509Requires() {
    Instant instant = Instant.parse("2026-11-23T15:31:07.999Z");
    assertThat(CertificateTimes.of(instant).getDate().toInstant())
        .isEqualTo(Instant.parse("2026-11-23T15:31:07Z"));
  }
}
