package io.mamori.hub.mqtt;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What the broker knows about a client when its CONNECT arrives, handed to the {@link
 * Authenticator}.
 *
 * @param clientId MQTT client identifier (never empty: the broker assigns one if needed)
 * @param peerChain the client's TLS certificate chain, leaf first, already validated by TLS
 * @param remoteAddress the client's address
 * @param protocolVersion 4 for MQTT 3.1.1, 5 for MQTT 5
 * @param persistentSession clean session false (3.1.1) or session expiry above zero (5)
 * @param hasWill the CONNECT carries a last will
 * @param username the CONNECT user name; AWS SDKs put metrics there, never a credential
 */
public record ConnectRequest(
    String clientId,
    List<X509Certificate> peerChain,
    InetSocketAddress remoteAddress,
    int protocolVersion,
    boolean persistentSession,
    boolean hasWill,
    Optional<String> username) {
  public ConnectRequest {
    peerChain = List.copyOf(peerChain);
  }
}
