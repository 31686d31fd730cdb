package io.rowstream.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The psql walk-throughs of the README: its {@code ```sql} blocks that show what psql answers to
 * at least one of their statements, each split into statements, with the topics the section's
 * curl examples create before it.
 *
 * <p>The convention, in the README: the comment lines right under a statement show its answer
 * when the second of them is psql's rule under the column names ({@code -- ------+----}); text
 * after {@code <-} on a line of an answer is prose. Any other comment is prose.
 */
record ReadmePsqlExamples(List<Block> blocks) {
  private static final Pattern RULE = Pattern.compile("-+(\\+-+)*");
  private static final Pattern TOPIC =
      Pattern.compile("\"topic_name\":\"([^\"]+)\",\"partitions_count\":(\\d+)");

  /** A walk-through: its section, its first line's number in the README (1-based), the topics it uses, its statements. */
  record Block(String section, int firstLine, List<Topic> topics, List<Statement> statements) {}

  /** A topic the section creates before the block (with curl). */
  record Topic(String name, int partitions) {}

  /** One statement from README line {@code line}, and the answer shown for it, if any. */
  record Statement(int line, String text, Optional<List<String>> shown) {
    /** Whether it begins or ends a transaction block: its first word. */
    String firstWord() {
      return text.strip().split("[\\s;(]+", 2)[0].toLowerCase(Locale.ROOT);
    }
  }

  static ReadmePsqlExamples parse(List<String> readme) {
    List<Block> blocks = new ArrayList<>();
    for (ReadmeFences.Fence fence : ReadmeFences.of(readme, "sql")) {
      List<Statement> statements = statements(fence.lines(), fence.firstLine());
      if (statements.stream().anyMatch(s -> s.shown().isPresent())) {
        List<String> before = readme.subList(fence.sectionIndex(), fence.firstLine() - 1);
        blocks.add(new Block(fence.section(), fence.firstLine(), topics(before), statements));
      }
    }
    return new ReadmePsqlExamples(List.copyOf(blocks));
  }

  private static List<Topic> topics(List<String> lines) {
    List<Topic> topics = new ArrayList<>();
    for (String line : lines) {
      Matcher m = TOPIC.matcher(line);
      while (m.find()) {
        topics.add(new Topic(m.group(1), Integer.parseInt(m.group(2))));
      }
    }
    return topics;
  }

  /** The statements of a block whose first line is README line {@code firstLine}. */
  static List<Statement> statements(List<String> lines, int firstLine) {
    List<Statement> out = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int start = 0;
    int i = 0;
    while (i < lines.size()) {
      String code = code(lines.get(i));
      if (code.isBlank()) {
        i++;
        continue;
      }
      if (text.isEmpty()) {
        start = i;
      } else {
        text.append('\n');
      }
      text.append(code.stripTrailing());
      i++;
      if (!code.stripTrailing().endsWith(";")) {
        continue;
      }
      List<String> comments = new ArrayList<>();
      for (int j = i; j < lines.size() && lines.get(j).strip().startsWith("--"); j++) {
        comments.add(lines.get(j).strip().substring(2));
      }
      Optional<List<String>> shown = Optional.empty();
      if (comments.size() >= 2 && RULE.matcher(comments.get(1).strip()).matches()) {
        shown = Optional.of(
            comments.stream().map(c -> c.replaceFirst("\\s{2,}<-.*$", "")).toList());
        i += comments.size();
      }
      out.add(new Statement(firstLine + start, text.toString(), shown));
      text.setLength(0);
    }
    return out;
  }

  /** A line without its comment: the text before a {@code --} outside single and double quotes. */
  static String code(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '-' && i + 1 < line.length() && line.charAt(i + 1) == '-') {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /**
   * An answer as compared: its lines stripped, runs of blanks as one, psql's rule as its column
   * separators only, blank lines dropped.
   */
  static List<String> normalized(List<String> answer) {
    List<String> out = new ArrayList<>();
    for (String line : answer) {
      String s = line.strip().replaceAll("\\s+", " ");
      if (RULE.matcher(s).matches()) {
        s = s.replaceAll("-+", "-");
      }
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }
}
