package io.mamori.hub.groups;

import io.mamori.hub.access.DeviceAccess;
import io.mamori.hub.access.RegisteredIssuers;
import io.mamori.hub.access.TestConnects;
import io.mamori.hub.access.UnregisteredCertificates;
import io.mamori.hub.events.EventBus;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.mqtt.AuthenticationResult;
import io.mamori.hub.mqtt.ClientAuthorization;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.policy.PolicyEvaluator;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.IssueRequest;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.ThingService;
import io.mamori.hub.store.SqliteCaCertificateRepository;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqlitePolicyRepository;
import io.mamori.hub.store.SqliteThingGroupRepository;
import io.mamori.hub.store.SqliteThingRepository;
import io.mamori.hub.store.SqliteThingTypeRepository;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Registry, groups and device access over one real SQLite file, wired as the Hub wires them. */
final class GroupsFixture implements AutoCloseable {
  static final String ACTOR = "test";

  final SqliteDatabase database;
  final EventBus events = new EventBus();
  final List<String> disconnected = new CopyOnWriteArrayList<>();
  final List<MembershipChange> changes = new CopyOnWriteArrayList<>();
  final DeviceAccess access;
  final ThingService things;
  final CertificateService certificates;
  final PolicyService policies;
  final ThingTypeService types;
  final ThingGroupService groups;
  final FleetMembership membership;

  GroupsFixture(Path dir) {
    Clock clock = Clock.systemUTC();
    database = SqliteDatabase.open(dir.resolve("hub.db"));
    var thingRepository = new SqliteThingRepository(database);
    var certificateRepository = new SqliteCertificateRepository(database);
    var policyRepository = new SqlitePolicyRepository(database);
    var groupRepository = new SqliteThingGroupRepository(database);
    var authority =
        new CertificateAuthorityFiles(dir.resolve("pki"), clock).loadOrCreate(List.of());
    access =
        new DeviceAccess(
            certificateRepository,
            thingRepository,
            policyRepository,
            groupRepository::policiesOfThing,
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
    membership = new FleetMembership(groupRepository, thingRepository, ShadowValues.NONE);
    membership.addListener(changes::add);
    events.subscribe(membership);
    types = new ThingTypeService(new SqliteThingTypeRepository(database), database, events, clock);
    things =
        new ThingService(
            thingRepository, certificateRepository, database, events, enforcer, clock, types);
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
    groups =
        new ThingGroupService(
            groupRepository,
            thingRepository,
            policyRepository,
            membership,
            database,
            events,
            enforcer,
            clock);
    events.subscribe(groups);
  }

  void thing(String name, String... attributes) {
    var map = new java.util.TreeMap<String, String>();
    for (String attribute : attributes) {
      String[] kv = attribute.split("=", 2);
      map.put(kv[0], kv[1]);
    }
    things.create(name, map, Optional.empty(), ACTOR);
  }

  /** Issues the thing a certificate with no policy of its own; returns the leaf. */
  X509Certificate certificateFor(String thing) {
    var issued =
        certificates.issue(
            new IssueRequest(thing, Optional.empty(), Optional.empty(), Optional.empty()), ACTOR);
    return Pem.parseCertificate(issued.certificate().pem());
  }

  AuthenticationResult connect(String clientId, X509Certificate leaf) {
    return TestConnects.connect(access, clientId, leaf);
  }

  ClientAuthorization accepted(String clientId, X509Certificate leaf) {
    var result = connect(clientId, leaf);
    if (!(result instanceof AuthenticationResult.Accepted accepted)) {
      throw new AssertionError("refused: " + result);
    }
    return accepted.authorization();
  }

  /** What the broker reports when a client connects or disconnects. */
  void brokerEvent(String type, String clientId, String session) {
    events.publish(
        new HubEvent(
            type,
            java.time.Instant.now(),
            "principal",
            clientId,
            HubEvent.SUCCESS,
            type.equals("mqtt.disconnect") ? "CLIENT_INITIATED_DISCONNECT" : "",
            Map.of("sessionIdentifier", session)));
  }

  @Override
  public void close() {
    membership.close();
    database.close();
  }
}
