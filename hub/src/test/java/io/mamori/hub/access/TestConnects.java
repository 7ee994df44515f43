package io.mamori.hub.access;

import io.mamori.hub.mqtt.AuthenticationResult;
import io.mamori.hub.mqtt.ConnectRequest;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** Test helper: a device's CONNECT through {@link DeviceAccess}'s authenticator, waited for. */
public final class TestConnects {
  private TestConnects() {}

  /**
   * Authenticates {@code clientId} presenting only {@code leaf}, from 127.0.0.1:40000, keep-alive 5
   * s, no clean start, no will: the plain device connection the access and group tests compare
   * against.
   */
  public static AuthenticationResult connect(
      DeviceAccess access, String clientId, X509Certificate leaf) {
    return access
        .authenticator()
        .authenticate(
            new ConnectRequest(
                clientId,
                List.of(leaf),
                new InetSocketAddress("127.0.0.1", 40000),
                5,
                false,
                false,
                Optional.empty()))
        .toCompletableFuture()
        .join();
  }
}
