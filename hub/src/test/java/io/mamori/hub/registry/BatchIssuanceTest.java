package io.mamori.hub.registry;

import static io.mamori.hub.registry.RegistryFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.events.HubEvent;
import io.mamori.hub.store.SqliteCertificateBatchRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bulk issuance's one audit event per request: it must name every certificate it issued. */
class BatchIssuanceTest extends WithRegistry {
  private BatchIssuance batches;

  @BeforeEach
  void wire() {
    batches =
        new BatchIssuance(
            registry.certificateRepository,
            registry.thingRepository,
            registry.policyRepository,
            new SqliteCertificateBatchRepository(registry.db),
            registry.authority,
            RegistryFixture.DEFAULT_DAYS,
            registry.db,
            registry.events,
            registry.listener,
            Clock.systemUTC());
  }

  @Test
  void oneEventListsEveryIssuedCertificateWithItsSerialThingAndPolicy() throws Exception {
    registry.policies.create("p", PolicyDocuments.ALLOW_CONNECT, ADMIN);
    registry.thing("existing-1");
    registry.clearRecords();
    List<BatchItem> items = new ArrayList<>();
    items.add(item("existing-1", Optional.of("p")));
    items.add(item("new-1", Optional.empty()));
    items.add(new BatchItem("new-2", "not a CSR", Optional.empty(), Optional.empty()));

    List<BatchOutcome> outcomes = batches.issue("run-1", items, true, ADMIN);

    List<HubEvent> batchEvents = registry.events.ofType(BatchIssuance.BATCH_EVENT);
    assertThat(batchEvents).hasSize(1);
    HubEvent event = batchEvents.get(0);
    assertThat(event.subject()).isEqualTo("run-1");
    assertThat(event.details())
        .containsEntry("issued", "2")
        .containsEntry("thingsCreated", "new-1");
    List<String> entries = Arrays.asList(event.details().get("certificates").split(";"));
    assertThat(entries).hasSize(2);
    for (int i = 0; i < 2; i++) {
      DeviceCertificate issued = ((BatchOutcome.Issued) outcomes.get(i)).certificate();
      assertThat(entries.get(i))
          .isEqualTo(
              String.join(
                  " ",
                  issued.id(),
                  issued.serialNumber(),
                  items.get(i).thingName(),
                  issued.notAfter().toString(),
                  i == 0 ? "p" : "-"));
    }
    // The refused item keeps an event of its own, with its reason.
    assertThat(registry.events.ofType("certificate.issued"))
        .singleElement()
        .satisfies(e -> assertThat(e.outcome()).isEqualTo(HubEvent.FAILURE))
        .satisfies(e -> assertThat(e.subject()).isEqualTo("new-2"));
    assertThat(registry.events.ofType("thing.created")).isEmpty();
  }

  @Test
  void aRequestWhoseKeysWereAllIssuedBeforePublishesNoBatchEvent() throws Exception {
    List<BatchItem> items = List.of(item("device-1", Optional.empty()));
    batches.issue("run-2", items, true, ADMIN);
    registry.clearRecords();

    List<BatchOutcome> again = batches.issue("run-2", items, true, ADMIN);

    assertThat(again).singleElement().isInstanceOf(BatchOutcome.Issued.class);
    assertThat(((BatchOutcome.Issued) again.get(0)).existing()).isTrue();
    assertThat(registry.events.ofType(BatchIssuance.BATCH_EVENT)).isEmpty();
  }

  @Test
  void theStoredRecordMatchesTheCertificateAsTheJdkReadsItAndItVerifiesWithSunEc()
      throws Exception {
    List<BatchOutcome> outcomes =
        batches.issue(
            "run-3",
            List.of(item("device-a", Optional.empty()), item("device-b", Optional.empty())),
            true,
            ADMIN);

    var jdkCertificates = java.security.cert.CertificateFactory.getInstance("X.509", "SUN");
    for (BatchOutcome outcome : outcomes) {
      String id = ((BatchOutcome.Issued) outcome).certificate().id();
      DeviceCertificate stored = registry.certificateRepository.find(id).orElseThrow();
      var parsed =
          (java.security.cert.X509Certificate)
              jdkCertificates.generateCertificate(
                  new java.io.ByteArrayInputStream(
                      stored.pem().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      // Signed by Conscrypt; checked by the JDK's own EC code, which shares nothing with it.
      parsed.verify(registry.authority.issuingCertificate().getPublicKey(), "SunEC");
      // The issuer name is formatted once per batch: it must still be each certificate's own.
      assertThat(stored.issuer())
          .isEqualTo(parsed.getIssuerX500Principal().getName(X500Principal.RFC2253))
          .isEqualTo(
              registry
                  .authority
                  .issuingCertificate()
                  .getSubjectX500Principal()
                  .getName(X500Principal.RFC2253));
      assertThat(stored.subject())
          .isEqualTo(parsed.getSubjectX500Principal().getName(X500Principal.RFC2253));
      assertThat(stored.serialNumber()).isEqualTo(parsed.getSerialNumber().toString(16));
      assertThat(stored.notAfter()).isEqualTo(parsed.getNotAfter().toInstant());
    }
  }

  private static BatchItem item(String thing, Optional<String> policy) throws Exception {
    return new BatchItem(
        thing, Csrs.csrPem(Csrs.ecP256(), "CN=" + thing), policy, Optional.empty());
  }
}
