package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

class CertificateFieldsTest {

  @Test
  void subjectIssuerAlternativeNamesAndSerialAreExtracted() {
    TestPki.ForeignCa issuer = TestPki.ForeignCa.create("C=JP,O=Acme Factory,CN=Acme Device CA");
    KeyPair keys = TestPki.SIGNER.generateEcP256();
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.C, "JP")
            .addRDN(BCStyle.O, "Acme")
            .addRDN(BCStyle.OU, "Sensors")
            .addRDN(BCStyle.OU, "Line 2")
            .addRDN(BCStyle.SERIALNUMBER, "SN-0042")
            .addRDN(BCStyle.CN, "sensor-42")
            .build();
    GeneralNames sans =
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "sensor-42.acme.example"),
              new GeneralName(GeneralName.dNSName, "alt.acme.example"),
              new GeneralName(GeneralName.iPAddress, "192.0.2.7"),
              new GeneralName(GeneralName.rfc822Name, "ops@acme.example"),
              new GeneralName(GeneralName.uniformResourceIdentifier, "urn:acme:sensor:42"),
              new GeneralName(
                  new X500NameBuilder(BCStyle.INSTANCE)
                      .addRDN(BCStyle.O, "Acme")
                      .addRDN(BCStyle.CN, "dir")
                      .build())
            });
    Instant now = Instant.now();
    X509Certificate certificate =
        TestPki.SIGNER.endEntity(
            keys.getPublic(),
            subject,
            issuer.certificate(),
            issuer.keys().getPrivate(),
            now,
            now.plus(Duration.ofDays(1)),
            KeyPurposeId.id_kp_clientAuth,
            Optional.of(sans));

    Map<String, List<String>> fields = CertificateFields.of(certificate);

    assertThat(fields)
        .containsEntry("Subject.CommonName", List.of("sensor-42"))
        .containsEntry("Subject.Organization", List.of("Acme"))
        .containsEntry("Subject.OrganizationalUnit", List.of("Sensors", "Line 2"))
        .containsEntry("Subject.Country", List.of("JP"))
        .containsEntry("Subject.SerialNumber", List.of("SN-0042"))
        .containsEntry("Issuer.CommonName", List.of("Acme Device CA"))
        .containsEntry("Issuer.Organization", List.of("Acme Factory"))
        .containsEntry("Issuer.Country", List.of("JP"))
        .containsEntry(
            "Subject.AlternativeName.DNSName",
            List.of("sensor-42.acme.example", "alt.acme.example"))
        .containsEntry("Subject.AlternativeName.IPAddress", List.of("192.0.2.7"))
        .containsEntry("Subject.AlternativeName.RFC822Name", List.of("ops@acme.example"))
        .containsEntry(
            "Subject.AlternativeName.UniformResourceIdentifier", List.of("urn:acme:sensor:42"))
        .containsEntry("Subject.AlternativeName.DirectoryName", List.of("CN=dir,O=Acme"))
        .containsEntry("SerialNumber", List.of(certificate.getSerialNumber().toString(16)))
        .doesNotContainKey("Subject.State")
        .doesNotContainKey("Issuer.AlternativeName.DNSName");
    assertThat(fields.get("SerialNumber").get(0)).matches("[0-9a-f]+");
  }
}
