package io.mamori.hub.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import io.mamori.hub.config.BrokerLimits;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.pki.TlsIdentity;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;

/**
 * Starts a real broker on an ephemeral port with a test CA, a test authenticator (principal = the
 * client certificate's common name; names starting with {@code refused} are refused) and in-memory
 * stores that survive {@link #restart()}.
 */
final class BrokerFixture implements AutoCloseable {
  final TestPki pki = new TestPki("Mamori Test CA");
  final TlsIdentity serverIdentity = pki.serverIdentity();
  final InMemorySessionStore sessionStore = new InMemorySessionStore();
  final InMemoryRetainedStore retainedStore = new InMemoryRetainedStore();
  final List<HubEvent> events = new CopyOnWriteArrayList<>();
  final List<ReservedTopicHandler> handlers = new ArrayList<>();
  final ThreadPoolExecutor worker =
      new ThreadPoolExecutor(2, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1000));
  private final List<Runnable> cleanups = new ArrayList<>();
  BrokerLimits limits = BrokerLimits.defaults();
  MqttBroker broker;

  BrokerFixture start() {
    broker =
        new MqttBroker(
            new MqttBrokerSettings("127.0.0.1", 0, limits),
            serverIdentity,
            pki.trustManager(),
            BrokerFixture::authenticate,
            sessionStore,
            retainedStore,
            events::add,
            handlers,
            Clock.systemUTC(),
            worker);
    broker.start();
    return this;
  }

  /** Stops the broker gracefully and starts a new one on the same stores. */
  BrokerFixture restart() {
    broker.close();
    return start();
  }

  static CompletableFuture<AuthenticationResult> authenticate(ConnectRequest request) {
    if (request.peerChain().isEmpty()) {
      return CompletableFuture.completedFuture(new AuthenticationResult.Refused("no certificate"));
    }
    String cn = commonName(request.peerChain().get(0));
    if (cn.startsWith("refused")) {
      return CompletableFuture.completedFuture(new AuthenticationResult.Refused("test: refused"));
    }
    return CompletableFuture.completedFuture(
        new AuthenticationResult.Accepted(new PrefixAuthorization(cn)));
  }

  static String commonName(X509Certificate certificate) {
    String dn = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    return dn.replaceFirst("^CN=", "").replaceFirst(",.*$", "");
  }

  Mqtt5BlockingClient client5(String clientId, String principal) {
    Mqtt5BlockingClient client = builder5(clientId, principal).buildBlocking();
    cleanups.add(() -> disconnectQuietly(() -> client.disconnect()));
    return client;
  }

  /** A client builder for this broker, for tests that set more (the caller disconnects it). */
  Mqtt5ClientBuilder builder5(String clientId, String principal) {
    return MqttClient.builder()
        .useMqttVersion5()
        .identifier(clientId)
        .serverHost("localhost")
        .serverPort(broker.port())
        .sslConfig()
        .keyManagerFactory(TestPki.keyManagerFactory(pki.clientIdentity(principal)))
        .trustManagerFactory(pki.trustManagerFactory())
        .applySslConfig();
  }

  Mqtt3BlockingClient client3(String clientId, String principal) {
    Mqtt3BlockingClient client =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier(clientId)
            .serverHost("localhost")
            .serverPort(broker.port())
            .sslConfig()
            .keyManagerFactory(TestPki.keyManagerFactory(pki.clientIdentity(principal)))
            .trustManagerFactory(pki.trustManagerFactory())
            .applySslConfig()
            .buildBlocking();
    cleanups.add(() -> disconnectQuietly(() -> client.disconnect()));
    return client;
  }

  /** Events of a type, in publication order. */
  List<HubEvent> events(String type) {
    return events.stream().filter(e -> e.type().equals(type)).toList();
  }

  private static void disconnectQuietly(Runnable disconnect) {
    try {
      disconnect.run();
    } catch (RuntimeException ignored) {
      // already disconnected
    }
  }

  @Override
  public void close() {
    cleanups.forEach(Runnable::run);
    if (broker != null) {
      broker.close();
    }
    worker.shutdownNow();
  }
}
