package io.mamori.hub.mqtt.connection;

import io.mamori.hub.config.BrokerLimits;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.mqtt.AuthenticationResult;
import io.mamori.hub.mqtt.Authenticator;
import io.mamori.hub.mqtt.InMemoryRetainedStore;
import io.mamori.hub.mqtt.InMemorySessionStore;
import io.mamori.hub.mqtt.PrefixAuthorization;
import io.mamori.hub.mqtt.persistence.StoreWriter;
import io.mamori.hub.mqtt.routing.RetainedMessages;
import io.mamori.hub.mqtt.session.Sessions;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/** The connection handlers wired on an {@link EmbeddedChannel}, without TLS or codec. */
final class EmbeddedBroker {
  final List<HubEvent> events = new CopyOnWriteArrayList<>();
  final BrokerContext context;

  EmbeddedBroker() {
    this(
        request ->
            CompletableFuture.completedFuture(
                request.clientId().startsWith("refused")
                    ? new AuthenticationResult.Refused("test: refused")
                    : new AuthenticationResult.Accepted(new PrefixAuthorization("cert-1"))));
  }

  EmbeddedBroker(Authenticator authenticator) {
    this(authenticator, BrokerLimits.defaults());
  }

  EmbeddedBroker(Authenticator authenticator, BrokerLimits limits) {
    var clock = Clock.systemUTC();
    Executor direct = Runnable::run;
    var writer = new StoreWriter(new InMemorySessionStore(), new InMemoryRetainedStore());
    var sessions = new Sessions(writer, limits, events::add, clock);
    var connectionEvents = new ConnectionEvents(events::add, clock);
    var dispatcher =
        new Dispatcher(
            sessions,
            writer,
            new RetainedMessages(writer, limits.maxRetainedMessages()),
            List.of(),
            direct,
            connectionEvents,
            clock);
    context =
        new BrokerContext(
            limits,
            authenticator,
            sessions,
            new Connections(),
            dispatcher,
            connectionEvents,
            clock,
            direct);
  }

  EmbeddedChannel channel() {
    return new EmbeddedChannel(
        new ConnectHandler(context),
        new PublishHandler(context),
        new SubscribeHandler(context),
        new ControlHandler(context),
        new ConnectionCloseHandler(context));
  }

  static MqttConnectMessage connect(MqttVersion version, String clientId) {
    return connect(version, clientId, 60);
  }

  static MqttConnectMessage connect(MqttVersion version, String clientId, int keepAlive) {
    return MqttMessageBuilders.connect()
        .protocolVersion(version)
        .clientId(clientId)
        .cleanSession(true)
        .keepAlive(keepAlive)
        .build();
  }

  List<HubEvent> events(String type) {
    return events.stream().filter(e -> e.type().equals(type)).toList();
  }
}
