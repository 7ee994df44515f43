package io.mamori.hub.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for an operator's webhook receiver: records every request (raw
 * body and headers, as received) and answers with the status it is told to.
 */
final class WebhookReceiver implements AutoCloseable {
  /** One request as it arrived. */
  record Received(Map<String, String> headers, byte[] body, long nanoTime, int answered) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final java.util.concurrent.ExecutorService executor = Executors.newFixedThreadPool(2);
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private volatile boolean alwaysFail;

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          var headers = new java.util.HashMap<String, String>();
          exchange
              .getRequestHeaders()
              .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
          boolean fail = alwaysFail || failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
          int status = fail ? failureStatus : 204;
          received.add(new Received(Map.copyOf(headers), body, System.nanoTime(), status));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The next {@code n} requests are answered with an error. */
  void failNext(int n) {
    failuresLeft.set(n);
  }

  void failAlways(boolean fail) {
    alwaysFail = fail;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<Received> ofType(String eventType) {
    return received.stream().filter(r -> eventType.equals(r.header("X-Mamori-Event"))).toList();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
