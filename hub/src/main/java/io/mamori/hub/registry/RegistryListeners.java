package io.mamori.hub.registry;

import java.util.List;

/** Tells several listeners of each change, in order; one failing does not silence the others. */
public final class RegistryListeners implements RegistryListener {
  private final List<RegistryListener> listeners;

  public RegistryListeners(List<RegistryListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void certificateStatusChanged(
      String certificateId, CertificateStatus from, CertificateStatus to) {
    each(l -> l.certificateStatusChanged(certificateId, from, to));
  }

  @Override
  public void certificateRegisteredWithoutCa(String certificateId) {
    each(l -> l.certificateRegisteredWithoutCa(certificateId));
  }

  @Override
  public void certificatePermissionsChanged(String certificateId) {
    each(l -> l.certificatePermissionsChanged(certificateId));
  }

  @Override
  public void thingChanged(String thingName) {
    each(l -> l.thingChanged(thingName));
  }

  @Override
  public void thingGroupPoliciesChanged(java.util.Set<String> thingNames) {
    each(l -> l.thingGroupPoliciesChanged(thingNames));
  }

  @Override
  public void caCertificateStatusChanged(
      String caCertificateId, CaCertificateStatus from, CaCertificateStatus to) {
    each(l -> l.caCertificateStatusChanged(caCertificateId, from, to));
  }

  private void each(java.util.function.Consumer<RegistryListener> call) {
    RuntimeException first = null;
    for (RegistryListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first; // RegistryChanges logs it loudly
    }
  }
}
