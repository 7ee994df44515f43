package io.mamori.hub.mqtt.connection;

import io.mamori.hub.mqtt.AuthenticationResult;
import io.mamori.hub.mqtt.ClientAuthorization;
import io.mamori.hub.mqtt.ConnectRequest;
import io.mamori.hub.mqtt.session.Sessions;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CONNECT step: the first packet must be CONNECT (MQTT 3.1.1 §3.1.0-1), it is checked,
 * authenticated off the event loop, and answered with CONNACK; a second CONNECT is a protocol
 * violation (§3.1.0-2). Packets arriving while authentication runs wait and are replayed after.
 */
public final class ConnectHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectHandler.class);
  private static final int MAX_EARLY_PACKETS = 16;
  private final BrokerContext broker;
  private final List<Object> early = new ArrayList<>();
  private boolean connectSeen;
  private boolean accepted;

  public ConnectHandler(BrokerContext broker) {
    this.broker = broker;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (accepted) {
      if (msg instanceof MqttConnectMessage) {
        ReferenceCountUtil.release(msg);
        MqttConnection.of(ctx.channel())
            .ifPresent(c -> c.disconnect(DisconnectReason.CLIENT_ERROR, (byte) 0x82));
        return;
      }
      ctx.fireChannelRead(msg);
      return;
    }
    if (!connectSeen) {
      if (!(msg instanceof MqttConnectMessage connect)) {
        ReferenceCountUtil.release(msg);
        log.info("first packet was not CONNECT remote={}", ctx.channel().remoteAddress());
        ctx.close();
        return;
      }
      connectSeen = true;
      onConnect(ctx, connect);
      return;
    }
    // AWS §7.1 says clients wait for CONNACK, MQTT 5 allows them not to: keep a few, replay later.
    if (msg instanceof MqttConnectMessage || early.size() >= MAX_EARLY_PACKETS) {
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    early.add(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    early.forEach(ReferenceCountUtil::release);
    early.clear();
    super.channelInactive(ctx);
  }

  private void onConnect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
    ConnectCheck check = ConnectParameters.parse(connect, broker.limits());
    if (check instanceof ConnectCheck.Refusal refusal) {
      broker
          .events()
          .connectDenied(ConnectionEvents.UNKNOWN, clientIdOf(connect), refusal.reason());
      refuse(ctx, refusal.code());
      return;
    }
    var params = (ConnectParameters) check;
    var request =
        new ConnectRequest(
            params.clientId(),
            peerChain(ctx),
            remoteAddress(ctx),
            params.protocolVersion(),
            params.persistent(),
            params.will().isPresent(),
            params.username());
    long startedNanos = System.nanoTime();
    // The authenticator does its database work on its own executor (Authenticator contract), so
    // it is called here directly: one hand-off per CONNECT instead of two (notes/conn.md).
    ctx.channel().config().setAutoRead(false);
    CompletableFuture<AuthenticationResult> result;
    try {
      result = broker.authenticator().authenticate(request).toCompletableFuture();
    } catch (RejectedExecutionException e) {
      broker.events().connectDenied(ConnectionEvents.UNKNOWN, params.clientId(), "server busy");
      refuse(ctx, serverUnavailable(params));
      return;
    } catch (RuntimeException e) {
      // Answered like a failed stage: refused with "authenticator error" (fail closed).
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete(
        (outcome, error) ->
            ctx.executor()
                .execute(() -> onAuthenticated(ctx, params, outcome, error, startedNanos)));
  }

  private void onAuthenticated(
      ChannelHandlerContext ctx,
      ConnectParameters params,
      AuthenticationResult outcome,
      Throwable error,
      long startedNanos) {
    if (!ctx.channel().isActive()) {
      if (outcome instanceof AuthenticationResult.Accepted accepted) {
        accepted.authorization().connectionClosed();
      }
      return;
    }
    if (error != null) {
      log.error("authenticator failed clientId={} reason={}", params.clientId(), error.toString());
      broker
          .events()
          .connectDenied(ConnectionEvents.UNKNOWN, params.clientId(), "authenticator error");
      refuse(ctx, serverUnavailable(params));
      return;
    }
    if (outcome instanceof AuthenticationResult.Refused refused) {
      broker
          .events()
          .connectDenied(
              refused.principalId().orElse(ConnectionEvents.UNKNOWN),
              params.clientId(),
              refused.reason());
      refuse(ctx, notAuthorized(params));
      return;
    }
    var authorization = ((AuthenticationResult.Accepted) outcome).authorization();
    if (broker.connections().revokedSince(authorization.principalId(), startedNanos)) {
      broker.events().connectDenied(authorization.principalId(), params.clientId(), "revoked");
      authorization.connectionClosed();
      refuse(ctx, notAuthorized(params));
      return;
    }
    accept(ctx, params, authorization);
  }

  private void accept(
      ChannelHandlerContext ctx, ConnectParameters params, ClientAuthorization authorization) {
    Sessions.Resumed resumed =
        broker
            .sessions()
            .resume(params.clientId(), params.cleanStart(), params.sessionExpirySeconds());
    var connection =
        new MqttConnection(
            ctx.channel(),
            params.clientId(),
            params.protocolVersion(),
            authorization,
            resumed.session(),
            params.will(),
            params.receiveMaximum());
    ctx.channel().attr(MqttConnection.KEY).set(connection);
    // AWS §7.1: a second connection with the same client id wins, the older one is closed.
    broker
        .connections()
        .register(connection)
        .ifPresent(
            old ->
                old.channel()
                    .eventLoop()
                    .execute(
                        () -> old.disconnect(DisconnectReason.DUPLICATE_CLIENTID, (byte) 0x8E)));
    if (ctx.pipeline().get(ConnectTimeoutHandler.class) != null) {
      ctx.pipeline().remove(ConnectTimeoutHandler.class);
    }
    ctx.pipeline().addFirst("keep-alive", new KeepAliveHandler(params.keepAliveSeconds()));
    ctx.writeAndFlush(
        Packets.connAck(
            MqttConnectReturnCode.CONNECTION_ACCEPTED,
            resumed.present(),
            params.isMqtt5() ? connAckProperties(params) : MqttProperties.NO_PROPERTIES));
    accepted = true;
    resumed.session().attach(connection);
    broker.events().connected(connection, resumed.present());
    ctx.channel().config().setAutoRead(true);
    List<Object> waiting = List.copyOf(early);
    early.clear();
    waiting.forEach(ctx::fireChannelRead);
  }

  /** MQTT 5 §3.2.2.3: tell the client what this server supports and what it changed. */
  private MqttProperties connAckProperties(ConnectParameters params) {
    var p = new MqttProperties();
    var limits = broker.limits();
    // AWS §7.1: QoS 2 is not supported; no shared subscriptions or subscription identifiers.
    p.add(
        new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.MAXIMUM_QOS.value(), 1));
    p.add(
        new MqttProperties.IntegerProperty(
            MqttProperties.MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
    p.add(
        new MqttProperties.IntegerProperty(
            MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 0));
    p.add(
        new MqttProperties.IntegerProperty(
            MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value(),
            limits.maxPacketSizeBytes()));
    p.add(
        new MqttProperties.IntegerProperty(
            MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value(),
            limits.maxInflightPerClient()));
    if (params.keepAliveSeconds() != params.requestedKeepAlive()) {
      p.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.MqttPropertyType.SERVER_KEEP_ALIVE.value(),
              params.keepAliveSeconds()));
    }
    if (params.sessionExpirySeconds() != params.requestedExpiry()) {
      p.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(),
              (int) params.sessionExpirySeconds()));
    }
    if (params.assignedClientId()) {
      p.add(
          new MqttProperties.StringProperty(
              MqttProperties.MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(),
              params.clientId()));
    }
    return p;
  }

  private static MqttConnectReturnCode notAuthorized(ConnectParameters params) {
    return params.isMqtt5()
        ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
  }

  private static MqttConnectReturnCode serverUnavailable(ConnectParameters params) {
    return params.isMqtt5()
        ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
        : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
  }

  private void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code) {
    early.forEach(ReferenceCountUtil::release);
    early.clear();
    ctx.writeAndFlush(Packets.connAck(code, false, MqttProperties.NO_PROPERTIES))
        .addListener(f -> ctx.close());
  }

  private static String clientIdOf(MqttConnectMessage connect) {
    String id = connect.payload().clientIdentifier();
    return id == null ? "" : id;
  }

  private static InetSocketAddress remoteAddress(ChannelHandlerContext ctx) {
    // Always an InetSocketAddress on TCP; in-memory channels (tests) have none.
    return ctx.channel().remoteAddress() instanceof InetSocketAddress address
        ? address
        : new InetSocketAddress(0);
  }

  private static List<X509Certificate> peerChain(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return List.of();
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
        chain.add((X509Certificate) c);
      }
      return chain;
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }
}
