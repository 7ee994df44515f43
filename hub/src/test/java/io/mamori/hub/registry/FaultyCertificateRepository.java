package io.mamori.hub.registry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Delegates to a real repository and, when told to, throws right after one named write has reached
 * the database: the way to make a transaction fail after it changed something.
 */
final class FaultyCertificateRepository implements CertificateRepository {
  private final CertificateRepository delegate;
  private volatile String failAfter = "";

  FaultyCertificateRepository(CertificateRepository delegate) {
    this.delegate = delegate;
  }

  void failAfter(String method) {
    failAfter = method;
  }

  private void maybeFail(String method) {
    if (failAfter.equals(method)) {
      throw new IllegalStateException("injected failure after " + method);
    }
  }

  @Override
  public void insert(DeviceCertificate certificate) {
    delegate.insert(certificate);
    maybeFail("insert");
  }

  @Override
  public boolean delete(String id) {
    boolean deleted = delegate.delete(id);
    maybeFail("delete");
    return deleted;
  }

  @Override
  public void update(DeviceCertificate certificate) {
    delegate.update(certificate);
    maybeFail("update");
  }

  @Override
  public Optional<DeviceCertificate> find(String id) {
    return delegate.find(id);
  }

  @Override
  public List<DeviceCertificate> list() {
    return delegate.list();
  }

  @Override
  public void attachThing(String certificateId, String thingName) {
    delegate.attachThing(certificateId, thingName);
    maybeFail("attachThing");
  }

  @Override
  public boolean detachThing(String certificateId, String thingName) {
    boolean detached = delegate.detachThing(certificateId, thingName);
    maybeFail("detachThing");
    return detached;
  }

  @Override
  public List<String> thingsOf(String certificateId) {
    return delegate.thingsOf(certificateId);
  }

  @Override
  public List<String> certificatesOf(String thingName) {
    return delegate.certificatesOf(thingName);
  }

  @Override
  public List<DeviceCertificate> expiringBefore(Instant before) {
    return delegate.expiringBefore(before);
  }

  @Override
  public Optional<DeviceCertificate> findBySerial(String caCertificateId, String serialNumber) {
    return delegate.findBySerial(caCertificateId, serialNumber);
  }

  @Override
  public List<RevokedSerial> revokedBy(String caCertificateId) {
    return delegate.revokedBy(caCertificateId);
  }
}
