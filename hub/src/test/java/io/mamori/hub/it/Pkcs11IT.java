package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mamori.hub.pki.Openssl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issuing CA's key in a PKCS#11 token (SoftHSM2, a throwaway token in a temporary folder): the
 * hub generates it inside the token, signs with it there, and finds it again after a restart.
 */
class Pkcs11IT {
  private static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

  @TempDir Path temp;

  /** Skips locally when SoftHSM2 is missing; on CI (which installs it) that is a failure. */
  static void requireSoftHsm() {
    boolean present =
        Files.isReadable(LIBRARY) && Files.isExecutable(Path.of("/usr/bin/softhsm2-util"));
    if (!present && "true".equals(System.getenv("CI"))) {
      fail("softhsm2 must be installed on CI (.ci/run installs it)");
    }
    Assumptions.assumeTrue(present, "softhsm2 not installed");
  }

  @Test
  void issuingCaKeyLivesInTheTokenAndSignsCertificatesOpensslVerifies() throws Exception {
    requireSoftHsm();
    Openssl.requireInstalled();
    Path conf = temp.resolve("softhsm2.conf");
    long slot = initToken(conf);
    Path pin = temp.resolve("pin");
    Files.writeString(pin, "1234\n");
    Path data = temp.resolve("data");
    String[] flags = {
      "--ca-pkcs11-library", LIBRARY.toString(),
      "--ca-pkcs11-slot", Long.toString(slot),
      "--ca-pkcs11-pin-file", pin.toString()
    };
    Map<String, String> env = Map.of("SOFTHSM2_CONF", conf.toString());

    String chain;
    try (HubProcess hub = HubProcess.start(data, env, flags)) {
      hub.awaitRunning();
      assertThat(hub.output()).contains("issuing CA created with its key in PKCS#11 token");
      assertThat(data.resolve("pki/issuing-ca.key")).as("no key file").doesNotExist();
      assertThat(data.resolve("pki/root-ca.key")).exists();
      chain = Files.readString(data.resolve("pki/ca-chain.pem"));
      issueAndVerify(hub, data, "sensor-1");
    }

    try (HubProcess again = HubProcess.start(data, env, flags)) {
      again.awaitRunning();
      assertThat(again.output()).contains("issuing CA key in PKCS#11 token");
      assertThat(Files.readString(data.resolve("pki/ca-chain.pem"))).isEqualTo(chain);
      issueAndVerify(again, data, "sensor-2");
    }

    Files.writeString(pin, "9999\n");
    HubProcess wrongPin = HubProcess.start(data, env, flags);
    assertThat(wrongPin.awaitExit()).isNotZero();
    assertThat(CaKeysIT.lastLine(wrongPin.output()))
        .startsWith("mamori: cannot log in to PKCS#11 token")
        .doesNotContain("9999");

    // Without the token the hub does not quietly make a new issuing CA.
    HubProcess withoutToken = HubProcess.start(data, Map.of());
    assertThat(withoutToken.awaitExit()).isNotZero();
    assertThat(CaKeysIT.lastLine(withoutToken.output())).contains("issuing-ca.key is missing");
  }

  private void issueAndVerify(HubProcess hub, Path data, String thing) throws Exception {
    Path certs = temp.resolve("certs");
    Files.createDirectories(certs);
    Path csr = certs.resolve(thing + ".csr");
    var made =
        Openssl.run(
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            certs.resolve(thing + ".key").toString(),
            "-out",
            csr.toString(),
            "-subj",
            "/CN=" + thing);
    assertThat(made.exitCode()).as(made.output()).isZero();
    assertThat(hub.cli("thing", "create", thing).exitCode()).isZero();
    var issued =
        hub.cli(
            "cert", "issue", "--thing", thing, "--csr", csr.toString(), "--out", certs.toString());
    assertThat(issued.exitCode()).as(issued.err()).isZero();
    var verified =
        Openssl.run(
            "verify",
            "-purpose",
            "sslclient",
            "-CAfile",
            data.resolve("pki/ca-chain.pem").toString(),
            certs.resolve(thing + ".crt").toString());
    assertThat(verified.output()).contains(": OK");
    assertThat(verified.exitCode()).isZero();
  }

  /** A SoftHSM2 configuration with its own token folder, and one token initialised in it. */
  private long initToken(Path conf) throws Exception {
    Path tokens = temp.resolve("tokens");
    Files.createDirectories(tokens);
    Files.writeString(
        conf,
        "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    String output =
        softhsm(
            conf,
            "--init-token",
            "--free",
            "--label",
            "mamori-test",
            "--pin",
            "1234",
            "--so-pin",
            "5678");
    Matcher slot = SLOT.matcher(output);
    if (!slot.find()) {
      fail("softhsm2-util did not name the token's slot: " + output);
    }
    return Long.parseLong(slot.group(1));
  }

  private static String softhsm(Path conf, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("softhsm2-util"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("SOFTHSM2_CONF", conf.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
