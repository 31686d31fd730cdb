package io.rowstream.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a command prints on stdout: rows as an aligned table for people, or, with {@code --output
 * json}, as one JSON array of objects for scripts (the same columns as keys). Nothing else goes to
 * stdout; messages go to stderr ({@link #note}).
 */
final class Printer {
  /** The {@code --output} formats. */
  enum Format {
    table,
    json
  }

  private final PrintStream out;
  private final PrintStream err;
  private final Format format;

  Printer(PrintStream out, PrintStream err, Format format) {
    this.out = out;
    this.err = err;
    this.format = format;
  }

  PrintStream out() {
    return out;
  }

  boolean json() {
    return format == Format.json;
  }

  /** One row: column name to value, in column order. */
  static Map<String, Object> row(Object... namesAndValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      row.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return row;
  }

  /** Rows with the same columns: a table (a header, then one line a row), or a JSON array. */
  void rows(List<String> columns, List<Map<String, Object>> rows) {
    if (json()) {
      ArrayNode array = Api.JSON.createArrayNode();
      rows.forEach(r -> array.add(Api.JSON.valueToTree(r)));
      json(array);
      return;
    }
    List<List<String>> cells = new ArrayList<>();
    cells.add(
        columns.stream().map(c -> c.toUpperCase(Locale.ROOT).replace('_', '-')).toList());
    rows.forEach(r -> cells.add(columns.stream().map(c -> cell(r.get(c))).toList()));
    int[] widths = new int[columns.size()];
    cells.forEach(line -> {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    });
    for (List<String> line : cells) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.size(); i++) {
        text.append(line.get(i));
        if (i < line.size() - 1) {
          text.append(" ".repeat(widths[i] - line.get(i).length() + 2));
        }
      }
      out.println(text.toString().stripTrailing());
    }
  }

  /** One object: {@code key  value} lines for people, a JSON object for scripts. */
  void object(Map<String, Object> fields) {
    if (json()) {
      json(Api.JSON.valueToTree(fields));
      return;
    }
    int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
    fields.forEach((k, v) -> out.println(k + " ".repeat(width - k.length() + 2) + cell(v)));
  }

  void json(JsonNode node) {
    try {
      out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree that is no JSON indicates a bug", e);
    }
  }

  /** A message for the person at the terminal, on stderr (never mixed into the data). */
  void note(String message) {
    err.println(message);
  }

  private static String cell(Object value) {
    if (value == null) {
      return "-";
    }
    if (value instanceof JsonNode node) {
      return node.isNull() || node.isMissingNode()
          ? "-"
          : node.isTextual() ? node.asText() : node.toString();
    }
    return value.toString();
  }
}
