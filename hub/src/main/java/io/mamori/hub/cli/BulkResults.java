package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The results file of a bulk issuance, one JSON line per input: {@code {"input", "thingName",
 * "certificateId", "file"}} or {@code {"input", "thingName", "error"}}. Appended and flushed to
 * disk after each batch's certificate files are written, so after an interruption it tells which
 * inputs are done; a failed input is tried again on the next run and its newer line wins.
 */
final class BulkResults implements AutoCloseable {
  private final Path file;
  private final ObjectMapper json;
  private final FileChannel channel;

  BulkResults(Path file, ObjectMapper json) {
    this.file = file;
    this.json = json;
    try {
      this.channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      endLineCutShort();
    } catch (IOException e) {
      throw new CliFailure("cannot open results file " + file + ": " + e);
    }
  }

  /** A crash may have cut the last line short: new lines must not be glued to it. */
  private void endLineCutShort() throws IOException {
    long size = channel.size();
    if (size == 0) {
      return;
    }
    try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      reader.read(last, size - 1);
      if (last.get(0) != '\n') {
        channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
      }
    }
  }

  /** Inputs whose certificate is recorded (and whose certificate file still exists). */
  static Set<String> done(Path file, Path out, ObjectMapper json) {
    Set<String> done = new HashSet<>();
    if (!Files.exists(file)) {
      return done;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliFailure.unreadable("the results file", file, e);
    }
    for (String line : lines) {
      JsonNode node;
      try {
        node = json.readTree(line);
      } catch (IOException e) {
        continue; // a line cut short by a crash: that input is simply not done
      }
      if (node == null || !node.path("input").isTextual()) {
        continue;
      }
      String input = node.path("input").asText();
      if (node.path("certificateId").isTextual()
          && Files.exists(out.resolve(node.path("file").asText("")))) {
        done.add(input);
      } else {
        done.remove(input);
      }
    }
    return done;
  }

  ObjectNode line(String input, String thingName) {
    return json.createObjectNode().put("input", input).put("thingName", thingName);
  }

  /** Appends the lines and forces them to disk. */
  synchronized void append(List<ObjectNode> lines) {
    StringBuilder text = new StringBuilder();
    for (ObjectNode line : lines) {
      text.append(line.toString()).append('\n');
    }
    try {
      ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new CliFailure("cannot write results file " + file + ": " + e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // every append was forced already
    }
  }
}
