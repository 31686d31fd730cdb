package io.rowstream.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An answer the README shows under a command ({@code # {...}} or {@code # [...]}), read as a pattern
 * that the real answer must match.
 *
 * <p>The pattern is JSON in which {@code ...} stands for what the README leaves out: as a value
 * ({@code "timestamp":...}) it matches any value; as the last element of an array
 * ({@code [{...}, ...]}) it allows more elements after those shown; as a member of an object it allows
 * fields not shown; at the end of a string ({@code "Producer fenced: ..."}) it matches any string
 * that starts with the text before it. Without it, an array must have exactly the elements shown, in order, and an
 * object exactly the fields shown. Values of the fields in {@link #RANDOM_FIELDS}, which differ on
 * every run, are checked for their JSON type only.
 */
final class ShownAnswer {
  /** Fields whose values are random or depend on the clock: only their JSON type is compared. */
  static final Set<String> RANDOM_FIELDS =
      Set.of("producer_id", "cluster_id", "timestamp", "key_id", "token", "created_at");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String ANY = "\u0000any";
  private static final String MORE = "\u0000more";

  private final String text;
  private final JsonNode pattern;

  private ShownAnswer(String text, JsonNode pattern) {
    this.text = text;
    this.pattern = pattern;
  }

  /** The pattern written in {@code text} (JSON with {@code ...}); malformed text fails the test. */
  static ShownAnswer parse(String text) {
    try {
      return new ShownAnswer(text, MAPPER.readTree(withPlaceholders(text)));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the README shows an answer that is not JSON: " + text, e);
    }
  }

  String text() {
    return text;
  }

  /** The REST Proxy error code the pattern shows at its top level, or 0 when it shows a success. */
  int errorCode() {
    JsonNode code = pattern.path("error_code");
    return code.canConvertToInt() && code.asInt() >= 400 ? code.asInt() : 0;
  }

  /** The HTTP status the shown error code implies (40911: 409), or 0 for a success. */
  int errorStatus() {
    int code = errorCode();
    return code >= 1000 ? code / 100 : code;
  }

  /** Where {@code actual} differs from the pattern, one line per difference; empty when it matches. */
  List<String> mismatches(JsonNode actual) {
    List<String> out = new ArrayList<>();
    compare("$", pattern, actual, out);
    return out;
  }

  private static void compare(String path, JsonNode expected, JsonNode actual, List<String> out) {
    if (expected.isTextual() && expected.asText().equals(ANY)) {
      return;
    }
    if (actual == null || actual.isMissingNode()) {
      out.add(path + ": shown " + expected + ", answer has none");
    } else if (expected.isObject()) {
      compareObject(path, expected, actual, out);
    } else if (expected.isArray()) {
      compareArray(path, expected, actual, out);
    } else if (expected.isTextual() && expected.asText().endsWith("...") && actual.isTextual()) {
      String start = expected.asText().substring(0, expected.asText().length() - 3);
      if (!actual.asText().startsWith(start)) {
        out.add(path + ": shown " + expected + ", answer " + actual);
      }
    } else if (expected.isNumber() && actual.isNumber()) {
      if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
        out.add(path + ": shown " + expected + ", answer " + actual);
      }
    } else if (!expected.equals(actual)) {
      out.add(path + ": shown " + expected + ", answer " + actual);
    }
  }

  private static void compareObject(
      String path, JsonNode expected, JsonNode actual, List<String> out) {
    if (!actual.isObject()) {
      out.add(path + ": shown an object, answer " + actual);
      return;
    }
    boolean more = expected.has(MORE);
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals(MORE)) {
        continue;
      }
      JsonNode value = actual.get(name);
      if (RANDOM_FIELDS.contains(name) && value != null) {
        if (value.getNodeType() != field.getValue().getNodeType()
            && !field.getValue().asText().equals(ANY)) {
          out.add(path + "." + name + ": shown a " + field.getValue().getNodeType() + ", answer "
              + value);
        }
      } else {
        compare(path + "." + name, field.getValue(), value, out);
      }
    }
    if (!more) {
      for (Iterator<String> names = actual.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!expected.has(name)) {
          out.add(path + "." + name + ": not shown (add it, or end the object with ...), answer "
              + actual.get(name));
        }
      }
    }
  }

  private static void compareArray(
      String path, JsonNode expected, JsonNode actual, List<String> out) {
    if (!actual.isArray()) {
      out.add(path + ": shown an array, answer " + actual);
      return;
    }
    int shown = expected.size();
    boolean more = shown > 0
        && expected.get(shown - 1).isTextual()
        && expected.get(shown - 1).asText().equals(MORE);
    if (more) {
      shown--;
    }
    if (more ? actual.size() < shown : actual.size() != shown) {
      out.add(path + ": shown " + shown + (more ? " or more" : "") + " elements, answer has "
          + actual.size() + ": " + actual);
      return;
    }
    for (int i = 0; i < shown; i++) {
      compare(path + "[" + i + "]", expected.get(i), actual.get(i), out);
    }
  }

  /**
   * The pattern's text as plain JSON: {@code ...} outside strings becomes a string that stands for
   * any value, further elements, or further fields, by where it stands.
   */
  static String withPlaceholders(String text) {
    StringBuilder out = new StringBuilder();
    Deque<Character> open = new ArrayDeque<>();
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\' && i + 1 < text.length()) {
          out.append(text.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
      } else if (text.startsWith("...", i)) {
        char before = lastSignificant(out);
        if (before == ':') {
          out.append(quoted(ANY));
        } else if (!open.isEmpty() && open.peek() == '{') {
          out.append(quoted(MORE)).append(":null");
        } else {
          out.append(quoted(MORE));
        }
        i += 2;
      } else {
        if (c == '"') {
          inString = true;
        } else if (c == '{' || c == '[') {
          open.push(c);
        } else if ((c == '}' || c == ']') && !open.isEmpty()) {
          open.pop();
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /** A placeholder as a JSON string (its NUL escaped, so that no text of the README can be one). */
  private static String quoted(String placeholder) {
    return "\"\\u0000" + placeholder.substring(1) + "\"";
  }

  private static char lastSignificant(CharSequence s) {
    for (int i = s.length() - 1; i >= 0; i--) {
      if (!Character.isWhitespace(s.charAt(i))) {
        return s.charAt(i);
      }
    }
    return ' ';
  }

  @Override
  public String toString() {
    return text;
  }
}
