package io.mamori.hub.groups;

import static io.mamori.hub.groups.GroupsFixture.ACTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.mqtt.AuthenticationResult;
import io.mamori.hub.mqtt.ClientAuthorization;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reference §5.1: a connection's policies are its certificate's plus those of its thing's groups
 * and their ancestors; changes reach live connections, and one that may no longer connect is cut.
 */
class GroupPoliciesTest {
  static final String DEVICE_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect",
        "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
        "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": "arn:aws:iot:*:*:topic/devices/${iot:Connection.Thing.ThingName}/*"}]}
      """;

  @TempDir Path dir;
  private GroupsFixture hub;
  private X509Certificate leaf;

  @BeforeEach
  void deviceInASubGroupWhosePolicyIsOnTheParent() {
    hub = new GroupsFixture(dir);
    hub.policies.create("fleet", DEVICE_POLICY, ACTOR);
    hub.groups.createStatic("fleet", Optional.empty(), Optional.empty(), Map.of(), ACTOR);
    hub.groups.createStatic("cameras", Optional.of("fleet"), Optional.empty(), Map.of(), ACTOR);
    hub.groups.attachPolicy("fleet", "fleet", ACTOR);
    hub.thing("cam-1");
    leaf = hub.certificateFor("cam-1");
  }

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void outsideTheGroupTheDeviceHasNoPolicyAtAll() {
    assertThat(hub.connect("cam-1", leaf)).isInstanceOf(AuthenticationResult.Refused.class);
  }

  @Test
  void theParentsPolicyLetsAMemberOfTheSubGroupConnectAndPublish() {
    hub.groups.addThing("cameras", "cam-1", ACTOR);
    ClientAuthorization device = hub.accepted("cam-1", leaf);
    assertThat(device.mayPublish("devices/cam-1/temp", false).allowed()).isTrue();
    assertThat(device.mayPublish("devices/cam-2/temp", false).allowed()).isFalse();
  }

  @Test
  void detachingTheGroupPolicyCutsTheLiveConnection() {
    hub.groups.addThing("cameras", "cam-1", ACTOR);
    ClientAuthorization device = hub.accepted("cam-1", leaf);

    hub.groups.detachPolicy("fleet", "fleet", ACTOR);

    assertThat(device.mayPublish("devices/cam-1/temp", false).allowed()).isFalse();
    assertThat(hub.disconnected).hasSize(1);
    assertThat(hub.disconnected.get(0)).contains("no longer allow iot:Connect");
  }

  @Test
  void leavingTheGroupCutsTheLiveConnection() {
    hub.groups.addThing("cameras", "cam-1", ACTOR);
    ClientAuthorization device = hub.accepted("cam-1", leaf);

    hub.groups.removeThing("cameras", "cam-1", ACTOR);

    assertThat(device.mayPublish("devices/cam-1/temp", false).allowed()).isFalse();
    assertThat(hub.disconnected).hasSize(1);
  }

  @Test
  void joiningAGroupAndEditingItsPolicyReachALiveConnection() {
    hub.policies.create("own", DEVICE_POLICY.replace("devices/", "own/"), ACTOR);
    var id = hub.certificates.get(io.mamori.hub.pki.CertificateIds.of(leaf)).id();
    hub.policies.attach("own", id, ACTOR);
    ClientAuthorization device = hub.accepted("cam-1", leaf);
    assertThat(device.mayPublish("devices/cam-1/temp", false).allowed()).isFalse();

    hub.groups.addThing("cameras", "cam-1", ACTOR);
    assertThat(device.mayPublish("devices/cam-1/temp", false).allowed()).isTrue();

    hub.policies.update("fleet", DEVICE_POLICY.replace("devices/", "fleet/"), ACTOR);
    assertThat(device.mayPublish("devices/cam-1/temp", false).allowed()).isFalse();
    assertThat(device.mayPublish("fleet/cam-1/temp", false).allowed()).isTrue();
    assertThat(hub.disconnected).isEmpty();
  }

  @Test
  void aPolicyAttachedToAGroupCannotBeDeleted() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> hub.policies.delete("fleet", ACTOR))
        .isInstanceOfSatisfying(
            io.mamori.hub.registry.RegistryException.class,
            e ->
                assertThat(e.kind())
                    .isEqualTo(io.mamori.hub.registry.RegistryException.Kind.CONFLICT))
        .hasMessageContaining("thing groups");
    assertThat(hub.policies.get("fleet").name()).isEqualTo("fleet");
  }
}
