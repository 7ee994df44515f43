package io.mamori.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.hub.api.ApiTestHub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI against a live admin API, as a user runs it: discovery through the data directory. */
class CliRoundTripIT {
  private static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:*\","
          + "\"Resource\":\"*\"}]}";

  @TempDir Path dir;
  private Path data;
  private ApiTestHub hub;
  private final ObjectMapper json = new ObjectMapper();

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    data = dir.resolve("data");
    hub = new ApiTestHub(data);
    new HubEndpoint("0.0.0.0", 8883, hub.url()).write(data.resolve("endpoint.json"));
  }

  @AfterEach
  void stop() throws Exception {
    hub.close();
  }

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.newCommandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Runs with {@code --data} discovery, the way the README shows it. */
  private Run mamori(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data");
    all.add(data.toString());
    return run(all.toArray(String[]::new));
  }

  private Run ok(String... args) {
    Run result = mamori(args);
    assertThat(result.exit()).as("%s: %s", List.of(args), result.err()).isZero();
    assertThat(result.err()).isEmpty();
    return result;
  }

  @Test
  void thingsPoliciesAndCertificatesRoundTripThroughTheCli() throws Exception {
    assertThat(ok("ca", "cert").out()).isEqualTo(hub.authority.chainPem());

    assertThat(ok("thing", "create", "t1", "--attr", "floor=2", "--attr", "color=red").out())
        .isEqualTo("created thing t1\n");
    ok("thing-type", "create", "gateway", "--searchable-attr", "site");
    ok("thing", "create", "gateway-0001", "--type", "gateway");
    assertThat(ok("thing", "list").out())
        .isEqualTo(
            "NAME          TYPE     ATTRIBUTES          VERSION\n"
                + "gateway-0001  gateway  -                   1\n"
                + "t1            -        color=red, floor=2  1\n");
    assertThat(ok("thing", "show", "t1").out())
        .startsWith(
            "name:         t1\ntype:         -\nattributes:   color=red, floor=2\n"
                + "certificates: -\nversion:      1\n");
    assertThat(json.readTree(ok("thing", "show", "t1", "--json").out()))
        .isEqualTo(hub.get("/api/v1/things/t1").json());

    Path document = dir.resolve("policy.json");
    Files.writeString(document, POLICY);
    assertThat(ok("policy", "create", "p1", "--document", document.toString()).out())
        .isEqualTo("created policy p1 (version 1)\n");
    assertThat(ok("policy", "list").out()).startsWith("NAME  VERSION  UPDATED\np1    1        ");
    assertThat(ok("policy", "show", "p1").out())
        .contains("version:      1\n")
        .endsWith(POLICY + "\n");

    Path out = dir.resolve("device");
    Run issued = ok("cert", "issue", "--thing", "t1", "--out", out.toString(), "--policy", "p1");
    String id = issued.out().strip();
    assertThat(issued.out()).isEqualTo(id + "\n");
    assertThat(id).matches("[0-9a-f]{64}");
    assertThat(Files.readString(out.resolve("t1.crt"))).contains("BEGIN CERTIFICATE");
    assertThat(Files.readString(out.resolve("t1.key"))).contains("PRIVATE KEY");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("t1.key"))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(out.resolve("ca.crt"))).isEqualTo(hub.authority.chainPem());

    assertThat(ok("cert", "list").out()).contains(id + "  ACTIVE  t1      p1");
    assertThat(ok("thing", "show", "t1").out()).contains("certificates: " + id + "\n");
    assertThat(ok("cert", "show", id).out())
        .contains("status:         ACTIVE\n")
        .contains("things:         t1\n")
        .endsWith(Files.readString(out.resolve("t1.crt")));
    assertThat(
            json.readTree(ok("cert", "show", id, "--json").out()).path("policies").get(0).asText())
        .isEqualTo("p1");

    Run test = ok("policy", "test", "--cert", id, "--action", "iot:Publish", "--resource", "a/b");
    assertThat(test.out()).startsWith("result:      allow\ndecision:    allow\npolicy:      p\n");
    assertThat(hub.testerCalls.get(0)).containsExactly(id, "iot:Publish", "topic/a/b", "");
    ok(
        "policy",
        "test",
        "--cert",
        id,
        "--action",
        "iot:Connect",
        "--resource",
        "t1",
        "--client-id",
        "t1");
    assertThat(hub.testerCalls.get(1)).containsExactly(id, "iot:Connect", "client/t1", "t1");

    Run attachedDelete = mamori("policy", "delete", "p1");
    assertThat(attachedDelete.exit()).isEqualTo(1);
    assertThat(attachedDelete.err()).startsWith("mamori: ").endsWith("\n");
    assertThat(attachedDelete.err().strip()).doesNotContain("\n");
    ok("policy", "detach", "p1", "--cert", id);
    assertThat(ok("policy", "delete", "p1").out()).isEqualTo("deleted policy p1\n");
    ok("policy", "create", "p1", "--document", document.toString());
    assertThat(ok("policy", "attach", "p1", "--cert", id).out())
        .isEqualTo("attached policy p1 to certificate " + id + "\n");

    assertThat(ok("cert", "deactivate", id).out())
        .isEqualTo("certificate " + id + " is now INACTIVE\n");
    assertThat(ok("cert", "activate", id).out())
        .isEqualTo("certificate " + id + " is now ACTIVE\n");
    assertThat(ok("cert", "revoke", id).out()).isEqualTo("certificate " + id + " is now REVOKED\n");
    Run reactivate = mamori("cert", "activate", id);
    assertThat(reactivate.exit()).isEqualTo(1);
    assertThat(reactivate.err()).startsWith("mamori: ");

    assertThat(ok("thing", "delete", "t1").out()).isEqualTo("deleted thing t1\n");
    Run gone = mamori("thing", "show", "t1");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).isEqualTo("mamori: thing t1 not found\n");
  }

  @Test
  void listsPrintTheApisJsonWhenAsked() throws Exception {
    ok("thing", "create", "t1");

    for (String[] command :
        new String[][] {{"thing", "list"}, {"policy", "list"}, {"cert", "list"}, {"ca", "cert"}}) {
      String api =
          switch (command[0]) {
            case "thing" -> "/api/v1/things";
            case "policy" -> "/api/v1/policies";
            case "cert" -> "/api/v1/certificates";
            default -> "/api/v1/ca";
          };
      Run result = ok(command[0], command[1], "--json");
      assertThat(json.readTree(result.out())).isEqualTo(hub.get(api).json());
      assertThat(result.out()).contains("\n  "); // pretty
    }
  }

  @Test
  void explicitUrlTokenAndCacertNeedNoDataDirectory() throws Exception {
    Path elsewhere = dir.resolve("empty");
    Run result =
        run(
            "thing",
            "create",
            "t9",
            "--data",
            elsewhere.toString(),
            "--url",
            hub.url(),
            "--token",
            hub.token,
            "--cacert",
            hub.caChain().toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(hub.things.get("t9").name()).isEqualTo("t9");
  }

  @Test
  void issuingFromACsrWritesNoKeyFile() throws Exception {
    ok("thing", "create", "t2");
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    var keys = generator.generateKeyPair();
    var request =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=t2"), keys.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(request);
    }
    Path csr = dir.resolve("t2.csr");
    Files.writeString(csr, pem.toString());
    Path out = dir.resolve("out");

    Run issued =
        ok(
            "cert",
            "issue",
            "--thing",
            "t2",
            "--out",
            out.toString(),
            "--csr",
            csr.toString(),
            "--days",
            "30");

    assertThat(issued.out().strip()).matches("[0-9a-f]{64}");
    assertThat(out.resolve("t2.crt")).exists();
    assertThat(out.resolve("ca.crt")).exists();
    assertThat(out.resolve("t2.key")).doesNotExist();
  }

  @Test
  void aWrongTokenFailsWithOneLineAndExitCode1() {
    Run result = mamori("thing", "list", "--token", "wrong");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .isEqualTo(
            "mamori: a valid admin token is required (check --token, MAMORI_TOKEN or"
                + " DATA/admin.token)\n");
  }

  @Test
  void anUnreachableHubIsExplained() throws Exception {
    int freePort;
    try (ServerSocket socket = new ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    Run result = mamori("thing", "list", "--url", "https://127.0.0.1:" + freePort);

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "mamori: cannot reach the hub at https://127.0.0.1:"
                + freePort
                + ": is `mamori serve` running with --data "
                + data
                + "?\n");
  }

  @Test
  void aHubCertificateFromAnotherCaIsNotTrusted() {
    Path otherPki = dir.resolve("other/pki");
    new io.mamori.hub.pki.CertificateAuthorityFiles(otherPki, java.time.Clock.systemUTC())
        .loadOrCreate(List.of());

    Run result = mamori("thing", "list", "--cacert", otherPki.resolve("ca-chain.pem").toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("mamori: TLS with the hub at " + hub.url() + " failed");
    assertThat(result.err().strip()).doesNotContain("\n");
  }

  @Test
  void theHubsCertificateNamesLocalhostToo() {
    String url = hub.url().replace("127.0.0.1", "localhost");

    Run result = mamori("thing", "list", "--url", url);

    assertThat(result.exit()).as(result.err()).isZero();
  }

  @Test
  void aMissingInputFileIsExplainedWithoutJavaNames() {
    Path missing = dir.resolve("no-such-policy.json");

    Run result = mamori("policy", "create", "p1", "--document", missing.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo("mamori: cannot read the policy document " + missing + ": no such file\n");
  }

  @Test
  void aMissingEndpointFileIsExplained() {
    Run result = run("thing", "list", "--data", dir.resolve("nowhere").toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("mamori: no hub endpoint at ").contains("mamori serve");
  }

  @Test
  void usageErrorsExitWith2AndOneLine() {
    Run missing = mamori("cert", "issue", "--out", "x");
    Run group = run("policy");

    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo(
            "mamori: Missing required option: '--thing=NAME' (see 'mamori cert issue --help')\n");
    assertThat(group.exit()).isEqualTo(2);
    assertThat(group.err()).isEqualTo("mamori: missing subcommand (see 'mamori policy --help')\n");
  }

  @Test
  void everyCommandHasHelp() {
    List<String> paths = new ArrayList<>();
    collect(Main.newCommandLine(), List.of(), paths);

    assertThat(paths).contains("cert issue", "policy test", "thing create", "ca cert");
    for (String path : paths) {
      List<String> args = new ArrayList<>(List.of(path.split(" ")));
      args.add("--help");
      Run help = run(args.toArray(String[]::new));
      assertThat(help.exit()).as(path).isZero();
      assertThat(help.out()).as(path).startsWith("Usage: mamori " + path);
    }
  }

  private static void collect(CommandLine command, List<String> prefix, List<String> paths) {
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              List<String> path = new ArrayList<>(prefix);
              path.add(name);
              paths.add(String.join(" ", path));
              collect(sub, path, paths);
            });
  }
}
