package io.mamori.hub.access;

import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.RegistryListener;

/**
 * Applies committed registry changes to live connections: a certificate leaving ACTIVE is cut off
 * at once; policy and thing changes replace the permissions of connected devices in place.
 */
final class RegistryEnforcer implements RegistryListener {
  private final LivePermissions live;
  private final ConnectionContexts contexts;
  private final PolicySource policies;
  private final PrincipalDisconnector disconnector;

  RegistryEnforcer(
      LivePermissions live,
      ConnectionContexts contexts,
      PolicySource policies,
      PrincipalDisconnector disconnector) {
    this.live = live;
    this.contexts = contexts;
    this.policies = policies;
    this.disconnector = disconnector;
  }

  @Override
  public void certificateStatusChanged(
      String certificateId, CertificateStatus from, CertificateStatus to) {
    if (to == CertificateStatus.ACTIVE) {
      return;
    }
    // Deny first, then close: nothing the connection sends in between gets through.
    live.ofCertificate(certificateId).forEach(ConnectionPermissions::revoke);
    disconnector.disconnectPrincipal(certificateId, "certificate " + to.name());
  }

  @Override
  public void certificatePermissionsChanged(String certificateId) {
    var connections = live.ofCertificate(certificateId);
    if (connections.isEmpty()) {
      return;
    }
    var current = policies.policiesOf(certificateId);
    connections.forEach(c -> c.replacePolicies(current));
  }

  @Override
  public void thingChanged(String thingName) {
    // A connection speaks for the thing named by its client id (reference §6.3).
    for (ConnectionPermissions connection : live.all()) {
      if (connection.context().clientId().equals(thingName)) {
        connection.replaceContext(
            contexts.withThing(connection.context(), connection.principalId()));
      }
    }
  }
}
