package io.rowstream.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shell examples of the README: its {@code ```sh} blocks whose code (not only a comment) calls a
 * node at {@code localhost:8082} (the build and psql blocks do not), each split into commands, with the
 * answer the README shows under a command.
 *
 * <p>The convention, in the README: a comment whose text starts with <code>{</code> or {@code [},
 * on the command's last line or on the lines right after it, shows the command's answer; it may go
 * on over further {@code #} lines until its brackets close, and text after them is prose. Any other
 * comment is prose.
 */
record ReadmeExamples(List<Block> blocks) {
  static final String NODE = "localhost:8082";

  /** A runnable block: the section it stands in, its first line's number in the README (1-based), its lines. */
  record Block(String section, int firstLine, List<String> lines) {
    int lastLine() {
      return firstLine + lines.size() - 1;
    }
  }

  /** One command: README lines {@code first..last}, and the answer shown for it, if any. */
  record Command(int first, int last, String text, Optional<ShownAnswer> shown) {
    boolean covers(int line) {
      return line >= first && line <= last;
    }
  }

  static ReadmeExamples parse(List<String> readme) {
    List<Block> blocks = new ArrayList<>();
    for (ReadmeFences.Fence fence : ReadmeFences.of(readme, "sh")) {
      if (fence.lines().stream()
          .anyMatch(l -> ShellLine.scan(l, ShellLine.State.PLAIN).code().contains(NODE))) {
        blocks.add(new Block(fence.section(), fence.firstLine(), fence.lines()));
      }
    }
    return new ReadmeExamples(List.copyOf(blocks));
  }

  /** The commands of one block, in order, each with the answer the README shows for it. */
  static List<Command> commands(Block block) {
    List<Command> out = new ArrayList<>();
    List<String> lines = block.lines();
    int i = 0;
    while (i < lines.size()) {
      ShellLine first = ShellLine.scan(lines.get(i), ShellLine.State.PLAIN);
      if (first.code().isBlank()) {
        i++;
        continue;
      }
      int start = i;
      StringBuilder text = new StringBuilder(lines.get(i));
      ShellLine current = first;
      while (current.continues() && i + 1 < lines.size()) {
        i++;
        text.append('\n').append(lines.get(i));
        current = ShellLine.scan(lines.get(i), current.endState());
      }
      int end = i;
      i++;
      StringBuilder answer = new StringBuilder();
      if (startsAnswer(current.comment())) {
        answer.append(current.comment());
      } else if (i < lines.size()
          && commentOf(lines.get(i)).filter(ReadmeExamples::startsAnswer).isPresent()) {
        answer.append(commentOf(lines.get(i++)).orElseThrow());
      }
      while (!answer.isEmpty()
          && !Brackets.closed(answer)
          && i < lines.size()
          && commentOf(lines.get(i)).isPresent()) {
        answer.append('\n').append(commentOf(lines.get(i++)).orElseThrow());
      }
      Optional<ShownAnswer> shown = answer.isEmpty()
          ? Optional.empty()
          : Optional.of(ShownAnswer.parse(Brackets.leading(answer.toString())));
      out.add(
          new Command(block.firstLine() + start, block.firstLine() + end, text.toString(), shown));
    }
    return out;
  }

  private static boolean startsAnswer(String comment) {
    return comment.startsWith("{") || comment.startsWith("[");
  }

  /** The text of a line that is only a comment, without its {@code #} and the blanks around it. */
  private static Optional<String> commentOf(String line) {
    String t = line.strip();
    return t.startsWith("#") ? Optional.of(t.substring(1).strip()) : Optional.empty();
  }
}
