package io.mamori.hub.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.pki.ManufacturerCa;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reference §1.4: the JITP pseudo parameters come from the device certificate's subject. */
class CertificateParametersTest {
  @Test
  void everySubjectAttributeBecomesItsPseudoParameterAndMissingOnesAreAbsent() throws Exception {
    var ca = ManufacturerCa.create("Factory");
    var full =
        ca.deviceWithSubject(
            ManufacturerCa.p256(),
            "CN=sensor\\, north,SERIALNUMBER=SN-1,O=Acme,OU=Line 2,C=JP,ST=Tokyo,2.5.4.46=q1",
            Duration.ofDays(1));

    var values = CertificateParameters.of(full, "ab".repeat(32));

    assertThat(values)
        .containsEntry("AWS::IoT::Certificate::CommonName", "sensor, north")
        .containsEntry("AWS::IoT::Certificate::SerialNumber", "SN-1")
        .containsEntry("AWS::IoT::Certificate::Organization", "Acme")
        .containsEntry("AWS::IoT::Certificate::OrganizationalUnit", "Line 2")
        .containsEntry("AWS::IoT::Certificate::Country", "JP")
        .containsEntry("AWS::IoT::Certificate::StateName", "Tokyo")
        .containsEntry("AWS::IoT::Certificate::DistinguishedNameQualifier", "q1")
        .containsEntry("AWS::IoT::Certificate::Id", "ab".repeat(32))
        .hasSize(8);

    var bare = ca.device(ManufacturerCa.p256(), "sensor-2", Duration.ofDays(1));
    assertThat(CertificateParameters.of(bare, "cd".repeat(32)))
        .containsOnlyKeys("AWS::IoT::Certificate::CommonName", "AWS::IoT::Certificate::Id");
  }

  @Test
  void onlyCertificateParametersArePseudo() {
    assertThat(CertificateParameters.isPseudo("AWS::IoT::Certificate::SerialNumber")).isTrue();
    assertThat(CertificateParameters.isPseudo("AWS::IoT::Certificate::Id")).isTrue();
    assertThat(CertificateParameters.isPseudo("SerialNumber")).isFalse();
    assertThat(CertificateParameters.isPseudo("AWS::IoT::Certificate::Site")).isFalse();
  }
}
