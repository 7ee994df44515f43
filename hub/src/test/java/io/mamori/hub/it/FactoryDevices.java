package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.ManufacturerCa;
import io.mamori.hub.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A test manufacturer: registers its CA with the hub through the CLI (with proof of possession) and
 * makes device certificates as its production line would, written as NAME.crt / NAME.key next to
 * the hub's ca.crt so that HiveMQ and mosquitto clients can use them.
 */
final class FactoryDevices {
  final ManufacturerCa ca;
  final Path certs;
  private final HubFixture hub;

  FactoryDevices(HubFixture hub, Path certs, String caName) throws Exception {
    this.hub = hub;
    this.certs = certs;
    this.ca = ManufacturerCa.create(caName);
    Files.createDirectories(certs);
    Files.writeString(certs.resolve("ca.crt"), hub.cli("ca", "cert").out());
  }

  /** {@code mamori ca register} with a verification certificate and {@code extra} options. */
  String registerCa(String... extra) throws Exception {
    String code = hub.cli("ca", "registration-code").id();
    Path caFile = Files.writeString(certs.resolve("factory-ca.pem"), ca.pem());
    Path verification =
        Files.writeString(
            certs.resolve("verification.pem"),
            Pem.encodeCertificate(ca.verificationCertificate(code)));
    List<String> args =
        new ArrayList<>(
            List.of(
                "ca",
                "register",
                "--cert",
                caFile.toString(),
                "--verification-cert",
                verification.toString()));
    args.addAll(List.of(extra));
    var result = hub.cli(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.err()).isZero();
    return result.id();
  }

  /** Makes NAME.crt / NAME.key with {@code subject}; returns the certificate id. */
  String device(String name, String subject) throws Exception {
    KeyPair keys = ManufacturerCa.p256();
    X509Certificate certificate = ca.deviceWithSubject(keys, subject, Duration.ofDays(365));
    TestCertificates.write(certs, name, certificate, keys.getPrivate());
    return CertificateIds.of(certificate);
  }

  Path write(String name, String content) throws Exception {
    return Files.writeString(certs.resolve(name), content);
  }
}
