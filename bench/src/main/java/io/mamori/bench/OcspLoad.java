package io.mamori.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * OCSP load: RFC 6960 requests (BouncyCastle {@code OCSPReqBuilder}, SHA-1 CertID, no nonce, as
 * most TLS stacks send them) for the certificates in a folder, POSTed over HTTP/1.1 keep-alive to
 * the responder their AIA extension names, from several concurrent clients; prints responses/s.
 *
 * <p>{@code java -cp mamori-bench.jar io.mamori.bench.OcspLoad CERT_DIR CLIENTS SECONDS}: CERT_DIR
 * holds {@code *.crt} device certificates and {@code ca.crt} (the issuing CA first), as {@code
 * mamori cert issue-bulk} writes them. Every certificate is asked once before the clock starts, so
 * the run measures the pre-signed cache; one answer per certificate is decoded and must say "good".
 *
 * <p>Each client is one thread with one blocking socket and a request written from prepared bytes,
 * so the client costs two system calls per request and leaves the cores to the hub.
 */
public final class OcspLoad {
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

  private final URI responder;
  private final List<byte[]> requests;

  private OcspLoad(URI responder, List<byte[]> requests) {
    this.responder = responder;
    this.requests = requests;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: OcspLoad CERT_DIR CLIENTS SECONDS");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int clients = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    OcspLoad load = prepare(dir);
    load.checkAnswers();
    Result result = load.run(clients, seconds);
    System.out.printf(
        "ocsp: %d responses in %.1f s from %d clients over %d certificates: %.0f responses/s"
            + " (%d errors)%n",
        result.responses(),
        result.seconds(),
        clients,
        load.requests.size(),
        result.responses() / result.seconds(),
        result.errors());
    System.exit(result.errors() == 0 ? 0 : 1);
  }

  /** The requests for every certificate in {@code dir} and the responder URL they name. */
  static OcspLoad prepare(Path dir) throws Exception {
    X509CertificateHolder issuer = readPem(dir.resolve("ca.crt"));
    DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
    List<byte[]> requests = new ArrayList<>();
    URI responder = null;
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .filter(p -> p.getFileName().toString().endsWith(".crt"))
              .filter(p -> !p.getFileName().toString().equals("ca.crt"))
              .sorted()
              .toList();
    }
    for (Path file : files) {
      X509CertificateHolder certificate = readPem(file);
      if (responder == null) {
        responder = ocspUrl(certificate);
      }
      CertificateID id =
          new CertificateID(
              digests.get(CertificateID.HASH_SHA1), issuer, certificate.getSerialNumber());
      requests.add(new OCSPReqBuilder().addRequest(id).build().getEncoded());
    }
    if (requests.isEmpty() || responder == null) {
      throw new IllegalArgumentException("no device certificates with an OCSP URL in " + dir);
    }
    return new OcspLoad(responder, requests);
  }

  private static X509CertificateHolder readPem(Path file) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
      return (X509CertificateHolder) parser.readObject();
    }
  }

  private static URI ocspUrl(X509CertificateHolder certificate) {
    var access = AuthorityInformationAccess.fromExtensions(certificate.getExtensions());
    if (access != null) {
      for (AccessDescription description : access.getAccessDescriptions()) {
        if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)
            && description.getAccessLocation().getTagNo()
                == GeneralName.uniformResourceIdentifier) {
          return URI.create(description.getAccessLocation().getName().toString());
        }
      }
    }
    throw new IllegalArgumentException(
        "certificate has no OCSP URL (" + Extension.authorityInfoAccess + ")");
  }

  /** Asks for every certificate once (this fills the responder's cache) and checks each answer. */
  private void checkAnswers() throws Exception {
    try (Client client = new Client()) {
      for (byte[] request : requests) {
        OCSPResp response = new OCSPResp(client.exchange(request));
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
          throw new IllegalStateException("OCSP response status " + response.getStatus());
        }
        var basic = (BasicOCSPResp) response.getResponseObject();
        if (basic.getResponses()[0].getCertStatus() != CertificateStatus.GOOD) {
          throw new IllegalStateException("a freshly issued certificate is not 'good'");
        }
      }
    }
  }

  record Result(long responses, long errors, double seconds) {}

  private Result run(int clients, int seconds) throws Exception {
    LongAdder responses = new LongAdder();
    LongAdder errors = new LongAdder();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      int first = c * requests.size() / clients;
      Thread thread =
          new Thread(
              () -> {
                try (Client client = new Client()) {
                  for (int i = first; !stop.get(); i = (i + 1) % requests.size()) {
                    client.exchange(requests.get(i));
                    if (measuring.get()) {
                      responses.increment();
                    }
                  }
                } catch (IOException | RuntimeException e) {
                  errors.increment();
                  System.err.println("ocsp client failed: " + e);
                } finally {
                  done.countDown();
                }
              },
              "ocsp-client-" + c);
      thread.setDaemon(true);
      thread.start();
    }
    // One second for every connection to open and the JIT of both sides to settle.
    Thread.sleep(1_000);
    long before = responses.sum();
    measuring.set(true);
    long started = System.nanoTime();
    Thread.sleep(seconds * 1_000L);
    measuring.set(false);
    double elapsed = (System.nanoTime() - started) / 1e9;
    long counted = responses.sum() - before;
    stop.set(true);
    done.await();
    return new Result(counted, errors.sum(), elapsed);
  }

  /** One keep-alive HTTP/1.1 connection to the responder. */
  private final class Client implements AutoCloseable {
    private final Socket socket = new Socket();
    private final OutputStream out;
    private final InputStream in;
    private final byte[] head;
    private byte[] buffer = new byte[8192];

    Client() throws IOException {
      int port = responder.getPort() < 0 ? 80 : responder.getPort();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(responder.getHost(), port), 5_000);
      socket.setSoTimeout(30_000);
      out = socket.getOutputStream();
      in = socket.getInputStream();
      String path = responder.getRawPath().isEmpty() ? "/" : responder.getRawPath();
      head =
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + responder.getHost()
                  + ":"
                  + port
                  + "\r\nContent-Type: application/ocsp-request\r\nContent-Length: ")
              .getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends one request and returns the response body (HTTP 200 required). */
    byte[] exchange(byte[] request) throws IOException {
      ByteArrayOutputStream message = new ByteArrayOutputStream(head.length + request.length + 8);
      message.writeBytes(head);
      message.writeBytes((request.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      message.writeBytes(request);
      out.write(message.toByteArray());
      return readResponse();
    }

    private byte[] readResponse() throws IOException {
      int filled = 0;
      int headerEnd;
      while ((headerEnd = indexOf(buffer, filled, HEADER_END)) < 0) {
        filled = readMore(filled);
      }
      String headers = new String(buffer, 0, headerEnd, StandardCharsets.US_ASCII);
      if (!headers.startsWith("HTTP/1.1 200")) {
        throw new IOException("responder answered " + headers.lines().findFirst().orElse(""));
      }
      int length = contentLength(headers);
      int bodyStart = headerEnd + HEADER_END.length;
      while (filled < bodyStart + length) {
        filled = readMore(filled);
      }
      if (filled != bodyStart + length) {
        throw new IOException("unexpected bytes after the response (no pipelining here)");
      }
      return java.util.Arrays.copyOfRange(buffer, bodyStart, bodyStart + length);
    }

    private int readMore(int filled) throws IOException {
      if (filled == buffer.length) {
        buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
      }
      int n = in.read(buffer, filled, buffer.length - filled);
      if (n < 0) {
        throw new IOException("responder closed the connection");
      }
      return filled + n;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static int contentLength(String headers) throws IOException {
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        return Integer.parseInt(line.substring(colon + 1).trim());
      }
    }
    throw new IOException("response without Content-Length");
  }

  private static int indexOf(byte[] data, int length, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
