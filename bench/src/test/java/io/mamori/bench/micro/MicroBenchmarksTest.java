package io.mamori.bench.micro;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.policy.Decision;
import org.junit.jupiter.api.Test;

/** The microbenchmarks measure the path their names say (an allow is an allow, a match matches). */
class MicroBenchmarksTest {

  @Test
  void policyBenchmarksHitAllowImplicitAndExplicitDeny() {
    var bench = new PolicyDecisionBenchmark();
    bench.setUp();
    assertThat(bench.publishAllowed()).isInstanceOf(Decision.Allow.class);
    assertThat(bench.publishDeniedImplicitly()).isInstanceOf(Decision.ImplicitDeny.class);
    assertThat(bench.publishDeniedExplicitly()).isInstanceOf(Decision.ExplicitDeny.class);
    assertThat(bench.brokerPublishAllowed()).isTrue();
    assertThat(bench.brokerPublishDenied()).isFalse();
  }

  @Test
  void topicMatchingFindsTheExpectedSubscribersAmong100k() {
    var bench = new TopicMatchBenchmark();
    bench.subscriptions = 100_000;
    bench.setUp();
    int devices = (100_000 - 10) / 2;
    assertThat(bench.commandToOneDevice()).hasSize(1 + 5).containsKey(devices / 2);
    assertThat(bench.telemetryToBackends()).hasSize(10);
    assertThat(bench.noSubscriber()).isEmpty();
  }

  @Test
  void codecRoundTripsA256BytePublish() {
    var bench = new MqttCodecBenchmark();
    bench.setUp();
    try {
      var message = bench.decodePublish();
      assertThat(message.variableHeader().topicName()).isEqualTo(MqttCodecBenchmark.TOPIC);
      assertThat(message.variableHeader().packetId()).isEqualTo(42);
      assertThat(message.payload().readableBytes()).isEqualTo(256);
      assertThat(bench.decodePublish().variableHeader().topicName())
          .isEqualTo(MqttCodecBenchmark.TOPIC);
      assertThat(bench.encodePublish()).isEqualTo(bench.encodedPublish.readableBytes());
    } finally {
      bench.tearDown();
    }
  }

  @Test
  void handshakeBenchmarkCompletesAMutualTls13HandshakeWithEitherServerEngine() throws Exception {
    for (String engine : new String[] {"conscrypt", "jdk"}) {
      var bench = new TlsHandshakeBenchmark();
      bench.engine = engine;
      bench.setUp();
      try {
        assertThat(bench.handshake()).as(engine).startsWith("TLS_");
        assertThat(bench.clientTrustCheck()).as(engine).hasSize(2);
      } finally {
        bench.tearDown();
      }
    }
  }

  @Test
  void issuanceBenchmarkChecksSignsAndStoresWithEitherProvider() throws Exception {
    for (String provider : new String[] {"preferred", "bouncycastle"}) {
      var bench = new CertificateIssuanceBenchmark();
      bench.provider = provider;
      bench.setUp();
      try {
        assertThat(bench.csrCheck().getAlgorithm()).isEqualTo("EC");
        assertThat(bench.csrSignatureOnly()).isTrue();
        assertThat(bench.certificate().certificateId()).matches("[0-9a-f]{64}");
        assertThat(bench.signatureOnly()).isNotEmpty();
        assertThat(bench.batchOf500())
            .hasSize(CertificateIssuanceBenchmark.BATCH)
            .allSatisfy(
                outcome ->
                    assertThat(outcome)
                        .isInstanceOf(io.mamori.hub.registry.BatchOutcome.Issued.class));
      } finally {
        bench.tearDown();
      }
    }
  }

  @Test
  void throughputBenchmarkStoresEveryCertificateOfTwoSendersRequests() throws Exception {
    var bench = new BulkIssuanceThroughputBenchmark();
    bench.setUp();
    try {
      for (int thread = 0; thread < 2; thread++) {
        var sender = new BulkIssuanceThroughputBenchmark.Sender();
        sender.setUp(bench);
        // Twice: the second request of a sender uses its other CSRs and finds its things made.
        for (int request = 0; request < 2; request++) {
          assertThat(bench.request(sender))
              .hasSize(BulkIssuanceThroughputBenchmark.BATCH)
              .allSatisfy(
                  outcome ->
                      assertThat(outcome)
                          .isInstanceOfSatisfying(
                              io.mamori.hub.registry.BatchOutcome.Issued.class,
                              issued -> assertThat(issued.existing()).isFalse()));
        }
      }
      // Read back through a connection of its own: committed to the file on disk.
      try (var connection =
              java.sql.DriverManager.getConnection("jdbc:sqlite:" + bench.database.file());
          var statement = connection.createStatement();
          var rows = statement.executeQuery("SELECT count(*) FROM certificates")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(4 * BulkIssuanceThroughputBenchmark.BATCH);
      }
    } finally {
      bench.tearDown();
    }
  }
}
