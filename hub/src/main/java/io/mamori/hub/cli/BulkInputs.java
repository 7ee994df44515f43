package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CSRs of a bulk issuance: the {@code *.csr} / {@code *.pem} files of a folder (the thing name
 * is the file name without extension), or the lines of a JSON-lines file ({@code {"thingName":..,
 * "csr": PEM}} or {@code {"thingName":.., "csrFile": path}}).
 */
final class BulkInputs {
  /**
   * One CSR to issue for.
   *
   * @param id stable name of the input in the results file (file name, or {@code line N})
   * @param thingName thing the certificate is for; also the name of the certificate file
   * @param csrPem the CSR, or empty with {@code problem} saying why it could not be read
   */
  record Input(String id, String thingName, String csrPem, Optional<String> problem) {}

  private BulkInputs() {}

  static List<Input> fromDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CliFailure("--csr-dir " + dir + " is not a directory");
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "*.{csr,pem}")) {
      found.forEach(files::add);
    } catch (IOException e) {
      throw new CliFailure("cannot list --csr-dir " + dir + ": " + e);
    }
    files.sort(null);
    List<Input> inputs = new ArrayList<>(files.size());
    for (Path file : files) {
      String name = file.getFileName().toString();
      String thing = name.substring(0, name.lastIndexOf('.'));
      inputs.add(read(name, thing, file));
    }
    if (inputs.isEmpty()) {
      throw new CliFailure("--csr-dir " + dir + " holds no *.csr or *.pem file");
    }
    return inputs;
  }

  static List<Input> fromJsonLines(Path file, ObjectMapper json) {
    List<Input> inputs = new ArrayList<>();
    for (JsonLine line : jsonLines(file, json)) {
      String id = "line " + line.number();
      if (line.node().isEmpty()) {
        inputs.add(new Input(id, "", "", line.problem()));
        continue;
      }
      JsonNode node = line.node().get();
      String thing = node.path("thingName").asText("");
      if (node.path("csr").isTextual()) {
        inputs.add(new Input(id, thing, node.path("csr").asText(), Optional.empty()));
      } else if (node.path("csrFile").isTextual()) {
        Path csr = file.toAbsolutePath().getParent().resolve(node.path("csrFile").asText());
        inputs.add(read(id, thing, csr));
      } else {
        inputs.add(new Input(id, thing, "", Optional.of("needs \"csr\" or \"csrFile\"")));
      }
    }
    return inputs;
  }

  /**
   * One non-blank line of a JSON-lines file: its object, or why it is not one.
   *
   * @param number 1-based line number in the file
   */
  record JsonLine(int number, Optional<JsonNode> node, Optional<String> problem) {}

  /** The non-blank lines of a JSON-lines file; a file without any is a CLI error. */
  static List<JsonLine> jsonLines(Path file, ObjectMapper json) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliFailure.unreadable("the --input file", file, e);
    }
    List<JsonLine> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        JsonNode node = json.readTree(line);
        out.add(
            node != null && node.isObject()
                ? new JsonLine(i + 1, Optional.of(node), Optional.empty())
                : new JsonLine(i + 1, Optional.empty(), Optional.of("not a JSON object")));
      } catch (IOException e) {
        out.add(
            new JsonLine(
                i + 1, Optional.empty(), Optional.of("not a JSON object: " + e.getMessage())));
      }
    }
    if (out.isEmpty()) {
      throw new CliFailure("--input " + file + " holds no line");
    }
    return out;
  }

  /**
   * A PEM given inline ({@code field}) or as a file ({@code fileField}, relative to the input
   * file's folder); empty when the line has neither.
   *
   * @throws IllegalArgumentException naming an unreadable file (the caller reports it as the line's
   *     failure)
   */
  static Optional<String> pem(JsonNode node, String field, String fileField, Path inputFile) {
    if (node.path(field).isTextual()) {
      return Optional.of(node.path(field).asText());
    }
    if (!node.path(fileField).isTextual()) {
      return Optional.empty();
    }
    Path path = inputFile.toAbsolutePath().getParent().resolve(node.path(fileField).asText());
    try {
      return Optional.of(Files.readString(path, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private static Input read(String id, String thing, Path csr) {
    try {
      return new Input(
          id, thing, Files.readString(csr, StandardCharsets.US_ASCII), Optional.empty());
    } catch (IOException e) {
      return new Input(id, thing, "", Optional.of("cannot read " + csr + ": " + e.getMessage()));
    }
  }
}
