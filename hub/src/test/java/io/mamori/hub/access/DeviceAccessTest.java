package io.mamori.hub.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.api.PolicyTestResult;
import io.mamori.hub.events.EventBus;
import io.mamori.hub.mqtt.AuthenticationResult;
import io.mamori.hub.mqtt.ClientAuthorization;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.policy.PolicyEvaluator;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.IssueRequest;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.ThingService;
import io.mamori.hub.store.SqliteCaCertificateRepository;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqlitePolicyRepository;
import io.mamori.hub.store.SqliteThingRepository;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates, registry and policies decide CONNECTs, and registry changes reach live ones. */
class DeviceAccessTest {
  static final String DEVICE_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect",
        "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
        "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": "arn:aws:iot:*:*:topic/devices/${iot:Connection.Thing.ThingName}/${iot:Connection.Thing.Attributes[zone]}/*"},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": "arn:aws:iot:*:*:topicfilter/devices/${iot:Connection.Thing.ThingName}/*"}]}
      """;

  @TempDir Path dir;
  private SqliteDatabase database;
  private DeviceAccess access;
  private ThingService things;
  private CertificateService certificates;
  private PolicyService policies;
  private final List<String> disconnected = new CopyOnWriteArrayList<>();
  private String certificateId;
  private X509Certificate leaf;

  @BeforeEach
  void registryWithOneDevice() {
    Clock clock = Clock.systemUTC();
    database = SqliteDatabase.open(dir.resolve("hub.db"));
    var thingRepository = new SqliteThingRepository(database);
    var certificateRepository = new SqliteCertificateRepository(database);
    var policyRepository = new SqlitePolicyRepository(database);
    var authority =
        new CertificateAuthorityFiles(dir.resolve("pki"), clock).loadOrCreate(List.of());
    access =
        new DeviceAccess(
            certificateRepository,
            thingRepository,
            policyRepository,
            GroupPolicies.NONE,
            new PolicyEvaluator("local", "000000000000"),
            Runnable::run,
            clock,
            new RegisteredIssuers(
                Set.of(authority.issuingCertificateId()),
                new SqliteCaCertificateRepository(database)),
            UnregisteredCertificates.REFUSE);
    var enforcer =
        access.enforcer(
            (principal, reason) -> {
              disconnected.add(principal + " " + reason);
              return 1;
            });
    EventBus events = new EventBus();
    things =
        new ThingService(thingRepository, certificateRepository, database, events, enforcer, clock);
    certificates =
        new CertificateService(
            certificateRepository,
            thingRepository,
            policyRepository,
            authority,
            30,
            database,
            events,
            enforcer,
            clock);
    policies =
        new PolicyService(
            policyRepository, certificateRepository, database, events, enforcer, clock);
    policies.create("device", DEVICE_POLICY, "test");
    things.create("sensor-1", Map.of("zone", "north"), Optional.empty(), "test");
    var issued =
        certificates.issue(
            new IssueRequest("sensor-1", Optional.empty(), Optional.of("device"), Optional.empty()),
            "test");
    certificateId = issued.certificate().id();
    leaf = Pem.parseCertificate(issued.certificate().pem());
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void attachedThingConnectsUnderItsOwnNameOnly() {
    assertThat(connect("sensor-1")).isInstanceOf(AuthenticationResult.Accepted.class);
    assertThat(connect("sensor-2"))
        .isInstanceOfSatisfying(
            AuthenticationResult.Refused.class,
            r -> assertThat(r.reason()).startsWith("iot:Connect"));
  }

  @Test
  void policyVariablesResolveToTheConnectionsThingAndAttributes() {
    ClientAuthorization permissions = accepted("sensor-1");
    assertThat(permissions.mayPublish("devices/sensor-1/north/temp", false).allowed()).isTrue();
    assertThat(permissions.mayPublish("devices/sensor-1/south/temp", false).allowed()).isFalse();
    assertThat(permissions.mayPublish("devices/sensor-2/north/temp", false).allowed()).isFalse();
    assertThat(permissions.maySubscribe("devices/sensor-1/#").allowed()).isTrue();
    // iot:RetainPublish is not granted, so a retained publish is refused.
    assertThat(permissions.mayPublish("devices/sensor-1/north/temp", true).allowed()).isFalse();
  }

  @Test
  void inactiveAndUnregisteredCertificatesAreRefused() {
    certificates.setStatus(certificateId, CertificateStatus.INACTIVE, "test");
    assertThat(connect("sensor-1"))
        .isInstanceOfSatisfying(
            AuthenticationResult.Refused.class, r -> assertThat(r.reason()).contains("INACTIVE"));
  }

  @Test
  void revocationDeniesEverythingAndAsksTheBrokerToDisconnect() {
    ClientAuthorization permissions = accepted("sensor-1");
    certificates.setStatus(certificateId, CertificateStatus.REVOKED, "test");
    assertThat(disconnected).containsExactly(certificateId + " certificate REVOKED");
    assertThat(permissions.mayPublish("devices/sensor-1/north/temp", false).allowed()).isFalse();
    assertThat(permissions.mayReceive("devices/sensor-1/north/temp").allowed()).isFalse();
  }

  @Test
  void registryChangesReachALiveConnection() {
    ClientAuthorization permissions = accepted("sensor-1");
    things.updateAttributes("sensor-1", Map.of("zone", "south"), true, "test");
    assertThat(permissions.mayPublish("devices/sensor-1/south/temp", false).allowed()).isTrue();
    assertThat(permissions.mayPublish("devices/sensor-1/north/temp", false).allowed()).isFalse();

    policies.detach("device", certificateId, "test");
    assertThat(permissions.mayPublish("devices/sensor-1/south/temp", false).allowed()).isFalse();
  }

  @Test
  void closedConnectionsAreForgotten() {
    ClientAuthorization permissions = accepted("sensor-1");
    permissions.connectionClosed();
    certificates.setStatus(certificateId, CertificateStatus.REVOKED, "test");
    // The broker is still asked (it owns the sockets), but the index no longer holds the
    // closed connection's permissions, so the revocation did not reach (or pin) them.
    assertThat(disconnected).hasSize(1);
    assertThat(permissions.mayPublish("devices/sensor-1/north/temp", false).allowed()).isTrue();
  }

  @Test
  void simulatorExplainsWhichStatementDecided() {
    PolicyTestResult allowed =
        access
            .tester()
            .test(certificateId, "iot:Publish", "topic/devices/sensor-1/north/t", Optional.empty());
    assertThat(allowed.allowed()).isTrue();
    assertThat(allowed.policyName()).contains("device");
    assertThat(allowed.statementIndex()).contains(1);
    assertThat(allowed.explanation()).contains("devices/sensor-1/north/*");

    PolicyTestResult denied =
        access
            .tester()
            .test(
                certificateId,
                "iot:Publish",
                "arn:aws:iot:local:000000000000:topic/devices/sensor-2/north/t",
                Optional.empty());
    assertThat(denied.decision()).isEqualTo(PolicyTestResult.IMPLICIT_DENY);
    assertThat(denied.resource())
        .isEqualTo("arn:aws:iot:local:000000000000:topic/devices/sensor-2/north/t");
  }

  private ClientAuthorization accepted(String clientId) {
    var result = connect(clientId);
    assertThat(result).isInstanceOf(AuthenticationResult.Accepted.class);
    return ((AuthenticationResult.Accepted) result).authorization();
  }

  private AuthenticationResult connect(String clientId) {
    return TestConnects.connect(access, clientId, leaf);
  }
}
