package io.rowstream.docs;

import java.util.ArrayList;
import java.util.List;

/** The fenced code blocks of a Markdown file, each with the section it stands in. */
final class ReadmeFences {
  private ReadmeFences() {}

  /**
   * A {@code ```language} block: the heading it stands under and that heading's line index
   * (0-based; 0 before any heading), its first line's number (1-based), its lines.
   */
  record Fence(String section, int sectionIndex, int firstLine, List<String> lines) {}

  /** Every block fenced as {@code ```language}, in order. */
  static List<Fence> of(List<String> markdown, String language) {
    List<Fence> fences = new ArrayList<>();
    String open = "```" + language;
    String section = "";
    int sectionIndex = 0;
    for (int i = 0; i < markdown.size(); i++) {
      String line = markdown.get(i);
      if (line.startsWith("#")) {
        section = line.replaceFirst("^#+\\s*", "");
        sectionIndex = i;
      } else if (line.equals(open)) {
        int start = i + 1;
        int end = start;
        while (end < markdown.size() && !markdown.get(end).equals("```")) {
          end++;
        }
        fences.add(
            new Fence(section, sectionIndex, start + 1, List.copyOf(markdown.subList(start, end))));
        i = end;
      }
    }
    return fences;
  }
}
