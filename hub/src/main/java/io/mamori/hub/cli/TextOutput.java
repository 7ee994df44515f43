package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Human output: aligned tables for lists and aligned {@code key: value} lines for one object. */
final class TextOutput {
  private TextOutput() {}

  /** Columns separated by two spaces, each as wide as its widest cell; no trailing blanks. */
  static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    int[] widths = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** One line per element of a JSON array of strings (names), for piping into other tools. */
  static void lines(PrintWriter out, JsonNode array) {
    array.forEach(element -> out.println(element.asText()));
  }

  /** {@code key: value} lines, values aligned after the longest key. */
  static void fields(PrintWriter out, List<String[]> pairs) {
    int width = pairs.stream().mapToInt(p -> p[0].length()).max().orElse(0);
    for (String[] pair : pairs) {
      out.println(
          (pair[0] + ":" + " ".repeat(width - pair[0].length() + 1) + pair[1]).stripTrailing());
    }
  }

  static String[] field(String key, String value) {
    return new String[] {key, value};
  }
}
