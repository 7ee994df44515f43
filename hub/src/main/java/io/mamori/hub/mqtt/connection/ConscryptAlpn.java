package io.mamori.hub.mqtt.connection;

import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.conscrypt.ApplicationProtocolSelector;
import org.conscrypt.Conscrypt;

/**
 * Server-side ALPN for Conscrypt engines through Conscrypt's own selector. Netty's ALPN wrapper
 * does not drive Conscrypt on Java 15 and later (it falls back to the JDK's selector API, which
 * Conscrypt does not call), so the broker selects the protocol itself: the first client offer it
 * supports, or none, which continues the handshake without ALPN instead of failing it (AWS §7.3).
 */
final class ConscryptAlpn extends DelegatingSslContext {
  private final Selector selector;

  ConscryptAlpn(SslContext context, List<String> supported) {
    super(context);
    this.selector = new Selector(List.copyOf(supported));
  }

  @Override
  protected void initEngine(SSLEngine engine) {
    Conscrypt.setApplicationProtocolSelector(engine, selector);
  }

  private static final class Selector extends ApplicationProtocolSelector {
    private final List<String> supported;

    Selector(List<String> supported) {
      this.supported = supported;
    }

    @Override
    public String selectApplicationProtocol(SSLEngine engine, List<String> offered) {
      return select(offered);
    }

    @Override
    public String selectApplicationProtocol(SSLSocket socket, List<String> offered) {
      return select(offered);
    }

    /** The client's order decides, as in Netty's own selector; null: no ALPN in the answer. */
    private String select(List<String> offered) {
      for (String protocol : offered) {
        if (supported.contains(protocol)) {
          return protocol;
        }
      }
      return null;
    }
  }
}
