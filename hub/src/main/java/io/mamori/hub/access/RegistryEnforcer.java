package io.mamori.hub.access;

import io.mamori.hub.registry.CaCertificateStatus;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.RegistryListener;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies committed registry changes to live connections: a certificate leaving ACTIVE is cut off
 * at once; policy, thing and thing-group changes replace the permissions of connected devices in
 * place, and a connection whose new permissions no longer allow it to connect is cut off like a
 * revoked one (it would be refused if it connected again).
 */
final class RegistryEnforcer implements RegistryListener {
  private final LivePermissions live;
  private final ConnectionContexts contexts;
  private final PolicySource policies;
  private final CertificateRepository certificates;
  private final PrincipalDisconnector disconnector;

  RegistryEnforcer(
      LivePermissions live,
      ConnectionContexts contexts,
      PolicySource policies,
      CertificateRepository certificates,
      PrincipalDisconnector disconnector) {
    this.live = live;
    this.contexts = contexts;
    this.policies = policies;
    this.certificates = certificates;
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
  public void caCertificateStatusChanged(
      String caCertificateId, CaCertificateStatus from, CaCertificateStatus to) {
    if (to == CaCertificateStatus.ACTIVE) {
      return;
    }
    // Only connected certificates are looked up: a CA may have issued millions, few are live.
    Set<String> seen = new HashSet<>();
    for (ConnectionPermissions connection : live.all()) {
      String certificateId = connection.principalId();
      if (!seen.add(certificateId)) {
        continue;
      }
      boolean issuedByCa;
      try {
        issuedByCa =
            certificates
                .find(certificateId)
                .map(DeviceCertificate::caCertificateId)
                .map(caCertificateId::equals)
                .orElse(true);
      } catch (RuntimeException e) {
        // Fail closed: when we cannot tell who issued it, the connection goes; it may reconnect.
        issuedByCa = true;
      }
      if (issuedByCa) {
        live.ofCertificate(certificateId).forEach(ConnectionPermissions::revoke);
        disconnector.disconnectPrincipal(
            certificateId, "issuing CA " + caCertificateId + " " + to.name());
      }
    }
  }

  @Override
  public void certificatePermissionsChanged(String certificateId) {
    refresh(live.ofCertificate(certificateId));
  }

  @Override
  public void thingChanged(String thingName) {
    // A connection speaks for the thing named by its client id (reference §6.3).
    List<ConnectionPermissions> affected = new ArrayList<>();
    for (ConnectionPermissions connection : live.all()) {
      if (connection.context().clientId().equals(thingName)) {
        connection.replaceContext(
            contexts.withThing(connection.context(), connection.principalId()));
        affected.add(connection);
      }
    }
    // The thing may have left its certificate (or been deleted): its group policies go with it.
    refresh(affected);
  }

  @Override
  public void thingGroupPoliciesChanged(Set<String> thingNames) {
    if (thingNames.isEmpty()) {
      return;
    }
    List<ConnectionPermissions> affected = new ArrayList<>();
    for (ConnectionPermissions connection : live.all()) {
      if (connection.context().thingName().filter(thingNames::contains).isPresent()) {
        affected.add(connection);
      }
    }
    refresh(affected);
  }

  /** Reloads the policies of each connection, then cuts off those that may no longer connect. */
  private void refresh(List<ConnectionPermissions> connections) {
    Set<String> lostCertificates = new LinkedHashSet<>();
    for (ConnectionPermissions connection : connections) {
      connection.replacePolicies(
          policies.policiesOf(connection.principalId(), connection.context().thingName()));
      var connect = connection.connectDecision();
      if (!connect.allowed()) {
        connection.revoke("iot:Connect " + connect.explanation());
        lostCertificates.add(connection.principalId());
      }
    }
    for (String certificateId : lostCertificates) {
      // The broker closes connections per certificate: only when none of them may stay.
      if (live.ofCertificate(certificateId).stream().allMatch(ConnectionPermissions::revoked)) {
        disconnector.disconnectPrincipal(certificateId, "policies no longer allow iot:Connect");
      }
    }
  }
}
