package io.rowstream.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An {@code Accept} header as RFC 9110 reads it: media ranges ({@code type/subtype}, {@code type/*},
 * {@code *}/{@code *}) with quality values. A type the client gave {@code q=0} is not acceptable; of
 * the types a route can answer, the one with the highest quality wins (the route's order breaks ties),
 * each type taking the quality of the most specific range that matches it. No header accepts anything.
 */
final class AcceptHeader {
  private record Range(String type, String subtype, double quality) {
    /** How specifically this range names {@code mediaType}: 3 exact, 2 type/*, 1 any, 0 no match. */
    int specificity(String mediaType) {
      int slash = mediaType.indexOf('/');
      String t = mediaType.substring(0, slash);
      String s = mediaType.substring(slash + 1);
      if (type.equals("*")) {
        return subtype.equals("*") ? 1 : 0;
      }
      if (!type.equals(t)) {
        return 0;
      }
      return subtype.equals("*") ? 2 : subtype.equals(s) ? 3 : 0;
    }
  }

  private final List<Range> ranges;

  private AcceptHeader(List<Range> ranges) {
    this.ranges = ranges;
  }

  static AcceptHeader parse(String header) {
    List<Range> ranges = new ArrayList<>();
    if (header == null || header.isBlank()) {
      ranges.add(new Range("*", "*", 1));
      return new AcceptHeader(ranges);
    }
    for (String element : header.split(",")) {
      String[] parts = element.split(";");
      String range = parts[0].trim().toLowerCase(Locale.ROOT);
      int slash = range.indexOf('/');
      if (range.isEmpty()) {
        continue;
      }
      String type = slash < 0 ? range : range.substring(0, slash);
      String subtype = slash < 0 ? "*" : range.substring(slash + 1);
      ranges.add(new Range(type, subtype, quality(parts)));
    }
    return new AcceptHeader(ranges);
  }

  /** {@code q} of one media range; a malformed value counts as 1, as most servers read it. */
  private static double quality(String[] parameters) {
    for (int i = 1; i < parameters.length; i++) {
      String p = parameters[i].trim();
      if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
        try {
          double q = Double.parseDouble(p.substring(2).trim());
          return Math.max(0, Math.min(1, q));
        } catch (NumberFormatException e) {
          return 1;
        }
      }
    }
    return 1;
  }

  /** The quality the client gives {@code mediaType} (lower case {@code type/subtype}); 0 when not acceptable. */
  double quality(String mediaType) {
    int best = 0;
    double quality = 0;
    for (Range r : ranges) {
      int specificity = r.specificity(mediaType);
      if (specificity > best || (specificity == best && specificity > 0 && r.quality() > quality)) {
        best = specificity;
        quality = r.quality();
      }
    }
    return best == 0 ? 0 : quality;
  }

  /** Of the types a route answers, in its order of preference, the one the client prefers; empty when none. */
  Optional<String> preferred(List<String> offered) {
    String chosen = null;
    double top = 0;
    for (String type : offered) {
      double q = quality(type);
      if (q > top) {
        top = q;
        chosen = type;
      }
    }
    return Optional.ofNullable(chosen);
  }
}
