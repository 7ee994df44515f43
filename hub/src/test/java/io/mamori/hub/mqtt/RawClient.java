package io.mamori.hub.mqtt;

import io.mamori.hub.pki.TlsIdentity;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Speaks raw MQTT bytes over mutual TLS, for edge cases a well-behaved client library never sends
 * (in the spirit of Mosquitto's broker tests).
 */
final class RawClient implements AutoCloseable {
  private final SSLSocket socket;
  private final DataInputStream in;

  RawClient(TestPki pki, TlsIdentity identity, int port, String... alpn) throws IOException {
    this(pki.clientContext(identity), port, alpn);
  }

  RawClient(SSLContext context, int port, String... alpn) throws IOException {
    socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
    socket.setSoTimeout(5000);
    if (alpn.length > 0) {
      var params = socket.getSSLParameters();
      params.setApplicationProtocols(alpn);
      socket.setSSLParameters(params);
    }
    socket.startHandshake();
    in = new DataInputStream(socket.getInputStream());
  }

  String applicationProtocol() {
    return socket.getApplicationProtocol();
  }

  RawClient send(byte[] packet) throws IOException {
    socket.getOutputStream().write(packet);
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads one whole packet (fixed header included). */
  byte[] readPacket() throws IOException {
    var out = new ByteArrayOutputStream();
    int first = in.readUnsignedByte();
    out.write(first);
    int length = 0;
    int multiplier = 1;
    int b;
    do {
      b = in.readUnsignedByte();
      out.write(b);
      length += (b & 0x7F) * multiplier;
      multiplier *= 128;
    } while ((b & 0x80) != 0);
    byte[] rest = new byte[length];
    in.readFully(rest);
    out.write(rest);
    return out.toByteArray();
  }

  /** True when the server closed the connection (end of stream or reset) within the timeout. */
  boolean closedByServer() throws IOException {
    try {
      InputStream input = socket.getInputStream();
      while (true) {
        if (input.read() < 0) {
          return true;
        }
      }
    } catch (EOFException | SocketException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static byte[] connect311(String clientId, boolean cleanSession) {
    return connect(4, clientId, cleanSession, null, null);
  }

  static byte[] connect5(String clientId) {
    return connect(5, clientId, true, null, null);
  }

  /** CONNECT, optionally with a QoS 0 will. */
  static byte[] connect(
      int version, String clientId, boolean clean, String willTopic, byte[] will) {
    var body = new ByteArrayOutputStream();
    writeString(body, "MQTT");
    body.write(version);
    int flags = (clean ? 0x02 : 0) | (willTopic != null ? 0x04 : 0);
    body.write(flags);
    body.write(0);
    body.write(60);
    if (version == 5) {
      body.write(0); // no properties
    }
    writeString(body, clientId);
    if (willTopic != null) {
      if (version == 5) {
        body.write(0); // no will properties
      }
      writeString(body, willTopic);
      body.write(will.length >> 8);
      body.write(will.length & 0xFF);
      body.writeBytes(will);
    }
    return packet(0x10, body.toByteArray());
  }

  static byte[] publish(int version, String topic, int qos, byte[] payload) {
    var body = new ByteArrayOutputStream();
    writeString(body, topic);
    if (qos > 0) {
      body.write(0);
      body.write(1);
    }
    if (version == 5) {
      body.write(0);
    }
    body.writeBytes(payload);
    return packet(0x30 | (qos << 1), body.toByteArray());
  }

  static byte[] packet(int firstByte, byte[] body) {
    var out = new ByteArrayOutputStream();
    out.write(firstByte);
    int length = body.length;
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >> 8);
    out.write(bytes.length & 0xFF);
    out.writeBytes(bytes);
  }
}
