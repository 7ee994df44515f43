package io.mamori.hub.mqtt.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports failed TLS handshakes (no or untrusted client certificate) as {@code mqtt.tls}. */
public final class TlsEventHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TlsEventHandler.class);
  private final ConnectionEvents events;

  public TlsEventHandler(ConnectionEvents events) {
    this.events = events;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        log.debug(
            "tls established remote={} alpn={}",
            ctx.channel().remoteAddress(),
            // The engine's own answer: Netty's accessor knows only engines it wrapped for ALPN.
            ssl == null ? null : ssl.engine().getApplicationProtocol());
        ctx.pipeline().remove(this);
      } else if (done.cause() instanceof ClosedChannelException) {
        // The peer (or the connection limit) closed the socket before the handshake finished:
        // a port scan or health check, not a certificate failure.
        log.debug(
            "connection closed during tls handshake remote={}", ctx.channel().remoteAddress());
      } else {
        String reason = reasonOf(done.cause());
        log.info("tls handshake failed remote={} reason={}", ctx.channel().remoteAddress(), reason);
        events.tlsFailed(String.valueOf(ctx.channel().remoteAddress()), reason);
        ctx.close();
      }
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // The handshake completion event above already reported it; nothing else may leak upwards.
    ctx.close();
  }

  /**
   * A short reason naming the certificate problem, without echoing attacker-chosen text at length.
   */
  static String reasonOf(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      // JDK engine's words, then BoringSSL's (Conscrypt engine).
      if (message.contains("Empty client certificate chain")
          || message.contains("certificate_required")
          || message.contains("peer not authenticated")
          || message.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE")) {
        return "no client certificate";
      }
      if (t instanceof CertificateException
          || message.contains("PKIX")
          || message.contains("CERTIFICATE_VERIFY_FAILED")) {
        return "untrusted client certificate";
      }
    }
    Throwable root = cause;
    while (root != null && root.getCause() != null) {
      root = root.getCause();
    }
    return "handshake failed: " + (root == null ? "unknown" : root.getClass().getSimpleName());
  }
}
