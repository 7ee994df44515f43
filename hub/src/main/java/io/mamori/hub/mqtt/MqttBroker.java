package io.mamori.hub.mqtt;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.mqtt.connection.BrokerContext;
import io.mamori.hub.mqtt.connection.ConnectionEvents;
import io.mamori.hub.mqtt.connection.Connections;
import io.mamori.hub.mqtt.connection.Dispatcher;
import io.mamori.hub.mqtt.connection.MqttConnection;
import io.mamori.hub.mqtt.connection.PipelineInitializer;
import io.mamori.hub.mqtt.connection.ServerTls;
import io.mamori.hub.mqtt.persistence.StoreWriter;
import io.mamori.hub.mqtt.routing.RetainedMessages;
import io.mamori.hub.mqtt.routing.Topics;
import io.mamori.hub.mqtt.session.Sessions;
import io.mamori.hub.pki.TlsIdentity;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT 3.1.1/5 broker over mutual TLS: lifecycle, hub-originated publishing and revocation. It
 * knows devices only through {@link Authenticator} and {@link ClientAuthorization}, and the device
 * APIs only through {@link ReservedTopicHandler}s.
 */
public final class MqttBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttBroker.class);
  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  private final MqttBrokerSettings settings;
  private final TlsIdentity identity;
  private final X509TrustManager clientTrust;
  private final SessionStore sessionStore;
  private final RetainedMessageStore retainedStore;
  private final EventPublisher eventPublisher;
  private final Clock clock;
  private final StoreWriter writer;
  private final Sessions sessions;
  private final RetainedMessages retained;
  private final Connections connections = new Connections();
  private final Dispatcher dispatcher;
  private final BrokerContext context;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private Channel serverChannel;
  private boolean closed;

  /**
   * @param worker bounded executor for blocking work: authentication, TLS certificate checks and
   *     reserved-topic handlers; it may reject when saturated (clients then get "server
   *     unavailable")
   */
  public MqttBroker(
      MqttBrokerSettings settings,
      TlsIdentity identity,
      X509TrustManager clientTrust,
      Authenticator authenticator,
      SessionStore sessionStore,
      RetainedMessageStore retainedStore,
      EventPublisher events,
      List<ReservedTopicHandler> reservedTopicHandlers,
      Clock clock,
      Executor worker) {
    this(
        settings,
        identity,
        clientTrust,
        authenticator,
        sessionStore,
        retainedStore,
        events,
        reservedTopicHandlers,
        clock,
        worker,
        TrafficMeter.NONE);
  }

  /**
   * @param traffic told of every PUBLISH in and out (metrics)
   */
  public MqttBroker(
      MqttBrokerSettings settings,
      TlsIdentity identity,
      X509TrustManager clientTrust,
      Authenticator authenticator,
      SessionStore sessionStore,
      RetainedMessageStore retainedStore,
      EventPublisher events,
      List<ReservedTopicHandler> reservedTopicHandlers,
      Clock clock,
      Executor worker,
      TrafficMeter traffic) {
    this.settings = settings;
    this.identity = identity;
    this.clientTrust = clientTrust;
    this.sessionStore = sessionStore;
    this.retainedStore = retainedStore;
    this.eventPublisher = events;
    this.clock = clock;
    var limits = settings.limits();
    this.writer = new StoreWriter(sessionStore, retainedStore);
    this.sessions = new Sessions(writer, limits, events, clock);
    this.retained = new RetainedMessages(writer, limits.maxRetainedMessages());
    var connectionEvents = new ConnectionEvents(events, clock);
    this.dispatcher =
        new Dispatcher(
            sessions, writer, retained, reservedTopicHandlers, worker, connectionEvents, clock);
    this.context =
        new BrokerContext(
            limits,
            authenticator,
            sessions,
            connections,
            dispatcher,
            connectionEvents,
            clock,
            worker,
            traffic);
  }

  /**
   * Loads persisted sessions and retained messages, then binds. Blocks until listening.
   *
   * @throws MqttBrokerException if the port cannot be bound
   */
  public synchronized void start() {
    if (serverChannel != null || closed) {
      throw new IllegalStateException("broker already started or closed");
    }
    int restored = sessions.restore(sessionStore);
    retained.restore(retainedStore.loadAll());
    var tls = ServerTls.context(identity, clientTrust);
    boolean epoll = Epoll.isAvailable();
    bossGroup = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    workerGroup = epoll ? new EpollEventLoopGroup() : new NioEventLoopGroup();
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    try {
      serverChannel =
          new ServerBootstrap()
              .group(bossGroup, workerGroup)
              .channel(channelType)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(new PipelineInitializer(context, tls, channels))
              .bind(settings.host(), settings.port())
              .sync()
              .channel();
    } catch (Exception e) {
      shutdownGroups();
      throw new MqttBrokerException(
          "cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
    workerGroup.scheduleAtFixedRate(
        sessions::purgeExpired,
        PURGE_INTERVAL.toSeconds(),
        PURGE_INTERVAL.toSeconds(),
        TimeUnit.SECONDS);
    log.info(
        "mqtt broker listening host={} port={} restoredSessions={} retained={}",
        settings.host(),
        port(),
        restored,
        retained.size());
  }

  /** The bound port (the real one when the settings asked for 0). */
  public int port() {
    if (serverChannel == null) {
      throw new IllegalStateException("broker not started");
    }
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Number of accepted (CONNACKed) live connections. */
  public int connectionCount() {
    return connections.size();
  }

  /**
   * Closes every live connection of a principal at once (revocation or deactivation of its
   * certificate): they stop receiving immediately, MQTT 5 clients get DISCONNECT 0x87, no will is
   * published, and an authentication still in flight for that principal is refused. Any thread;
   * does not wait for the sockets to close.
   *
   * @return how many connections were closed
   */
  public int disconnectPrincipal(String principalId, String reason) {
    int closed = connections.revoke(principalId);
    log.info(
        "principal disconnected principal={} connections={} reason={}",
        principalId,
        closed,
        reason);
    eventPublisher.publish(
        new HubEvent(
            "mqtt.disconnect-principal",
            clock.instant(),
            "hub",
            principalId,
            HubEvent.SUCCESS,
            reason,
            Map.of("connections", String.valueOf(closed))));
    return closed;
  }

  /**
   * Whether a non-retained message published on this topic now would reach any subscriber: lets a
   * hub-side publisher skip building a message nobody receives.
   */
  public boolean hasSubscribers(String topic) {
    return dispatcher.hasSubscribers(topic);
  }

  /**
   * Publishes a hub-originated message to subscribers (each delivery still checked by {@code
   * iot:Receive}). Any thread; never blocks.
   *
   * @throws IllegalArgumentException for an invalid topic or a QoS other than 0 or 1
   */
  public void publish(String topic, byte[] payload, int qos, boolean retain) {
    Topics.invalidTopicName(topic, settings.limits().maxTopicLengthBytes())
        .ifPresent(
            reason -> {
              throw new IllegalArgumentException("invalid topic: " + reason);
            });
    if (qos < 0 || qos > 1) {
      throw new IllegalArgumentException("QoS must be 0 or 1, was " + qos);
    }
    dispatcher.fromHub(topic, payload.clone(), qos, retain);
  }

  /**
   * Graceful stop: no new connections, MQTT 5 clients get DISCONNECT 0x8B (server shutting down),
   * then persistent sessions and queued messages are flushed to the stores. Blocks until done.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly();
    }
    for (MqttConnection connection : connections.all()) {
      connection.channel().eventLoop().execute(connection::serverShutdown);
    }
    channels.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
    // Event loops run the close handlers (wills, session hand-back) before they terminate.
    shutdownGroups();
    sessions.saveAll();
    writer.flush(SHUTDOWN_TIMEOUT);
    log.info("mqtt broker stopped");
  }

  private void shutdownGroups() {
    for (EventLoopGroup group : new EventLoopGroup[] {bossGroup, workerGroup}) {
      if (group != null) {
        Future<?> done =
            group.shutdownGracefully(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        done.awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
      }
    }
  }
}
