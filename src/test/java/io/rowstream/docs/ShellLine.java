package io.rowstream.docs;

/**
 * One README line as bash reads it, far enough to split commands: the code, the comment after it,
 * and whether the command goes on on the next line (a trailing backslash, or a quote left open).
 */
record ShellLine(String code, String comment, State endState, boolean continues) {
  /** Where a line starts or ends: outside quotes, or inside single or double quotes. */
  enum State {
    PLAIN,
    SINGLE,
    DOUBLE
  }

  static ShellLine scan(String line, State start) {
    State state = start;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      switch (state) {
        case SINGLE -> state = c == '\'' ? State.PLAIN : State.SINGLE;
        case DOUBLE -> {
          if (c == '\\') {
            i++;
          } else if (c == '"') {
            state = State.PLAIN;
          }
        }
        case PLAIN -> {
          if (c == '\\') {
            i++;
          } else if (c == '\'') {
            state = State.SINGLE;
          } else if (c == '"') {
            state = State.DOUBLE;
          } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
            return new ShellLine(
                line.substring(0, i), line.substring(i + 1).strip(), State.PLAIN, false);
          }
        }
      }
    }
    boolean backslash = state == State.PLAIN && line.endsWith("\\");
    return new ShellLine(line, "", state, state != State.PLAIN || backslash);
  }
}
