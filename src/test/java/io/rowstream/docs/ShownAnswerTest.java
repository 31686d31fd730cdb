package io.rowstream.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.docs.ReadmeExamples.Block;
import io.rowstream.docs.ReadmeExamples.Command;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShownAnswerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text);
  }

  @Test
  void a_shown_answer_matches_only_the_answer_it_shows() throws Exception {
    ShownAnswer shown = ShownAnswer.parse("{\"offsets\":[{\"partition\":0,\"offset\":1}]}");
    assertThat(shown.mismatches(json("{\"offsets\":[{\"partition\":0,\"offset\":1}]}")))
        .isEmpty();
    assertThat(shown.mismatches(json("{\"offsets\":[{\"partition\":0,\"offset\":2}]}")))
        .containsExactly("$.offsets[0].offset: shown 1, answer 2");
    assertThat(
            shown.mismatches(json("{\"offsets\":[{\"partition\":0,\"offset\":1,\"error\":null}]}")))
        .singleElement()
        .asString()
        .startsWith("$.offsets[0].error: not shown");
    assertThat(shown.mismatches(json("{\"offsets\":[]}"))).isNotEmpty();
    assertThat(shown.mismatches(json("{\"error_code\":42203}"))).isNotEmpty();
  }

  @Test
  void an_ellipsis_stands_for_any_value_further_elements_or_further_fields() throws Exception {
    ShownAnswer shown = ShownAnswer.parse("[{\"offset\":0,\"timestamp\":..., ...}, ...]");
    assertThat(
            shown.mismatches(json("[{\"offset\":0,\"timestamp\":5,\"key\":\"k\"},{\"offset\":1}]")))
        .isEmpty();
    assertThat(shown.mismatches(json("[{\"offset\":1,\"timestamp\":5}]"))).isNotEmpty();
    assertThat(shown.mismatches(json("[]"))).isNotEmpty();
    assertThat(ShownAnswer.parse("{\"kind\":\"KafkaTopic\", ..., \"partitions_count\":3, ...}")
            .mismatches(
                json("{\"kind\":\"KafkaTopic\",\"topic_name\":\"t\",\"partitions_count\":3}")))
        .isEmpty();
    assertThat(ShownAnswer.parse("{\"text\":\"a...b\"}").mismatches(json("{\"text\":\"a...b\"}")))
        .isEmpty();
    assertThat(ShownAnswer.parse("{\"text\":\"a...b\"}").mismatches(json("{\"text\":\"axb\"}")))
        .isNotEmpty();
    ShownAnswer start = ShownAnswer.parse("{\"message\":\"Producer fenced: ...\"}");
    assertThat(start.mismatches(json("{\"message\":\"Producer fenced: epoch 0\"}")))
        .isEmpty();
    assertThat(start.mismatches(json("{\"message\":\"Out of sequence: 4\"}"))).isNotEmpty();
  }

  @Test
  void random_fields_are_compared_by_type_only() throws Exception {
    ShownAnswer shown =
        ShownAnswer.parse("{\"producer_id\":6022751489411239081,\"producer_epoch\":0}");
    assertThat(shown.mismatches(json("{\"producer_id\":17,\"producer_epoch\":0}")))
        .isEmpty();
    assertThat(shown.mismatches(json("{\"producer_id\":\"17\",\"producer_epoch\":0}")))
        .isNotEmpty();
    assertThat(shown.mismatches(json("{\"producer_id\":17,\"producer_epoch\":1}")))
        .isNotEmpty();
  }

  @Test
  void a_shown_error_names_the_status_it_comes_with() {
    assertThat(ShownAnswer.parse("{\"error_code\":40911,\"message\":...}").errorStatus())
        .isEqualTo(409);
    assertThat(ShownAnswer.parse("{\"error_code\":404,\"message\":...}").errorStatus())
        .isEqualTo(404);
    assertThat(ShownAnswer.parse("{\"error_code\":200,\"offset\":2}").errorStatus())
        .isZero();
    assertThatThrownBy(() -> ShownAnswer.parse("{not json"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void commands_carry_the_answer_shown_on_their_last_line_or_under_them() {
    Block block = new Block(
        "Try it with curl",
        10,
        List.of(
            "X=1   # prose",
            "curl -s -X POST localhost:8082/topics/t -H 'Content-Type: a' \\",
            "  -d '{\"records\":[",
            "  {\"value\":1}]}'",
            "# {\"offsets\":[{\"partition\":0,",
            "#   \"offset\":0}]}   (prose after the answer)",
            "curl -s localhost:8082/x   # {\"a\":1}",
            "# a comment that is prose",
            "curl -s localhost:8082/y"));
    List<Command> commands = ReadmeExamples.commands(block);
    assertThat(commands).extracting(Command::first).containsExactly(10, 11, 16, 18);
    assertThat(commands).extracting(Command::last).containsExactly(10, 13, 16, 18);
    assertThat(commands.get(0).shown()).isEmpty();
    assertThat(commands.get(1).shown())
        .hasValueSatisfying(s ->
            assertThat(s.text()).isEqualTo("{\"offsets\":[{\"partition\":0,\n\"offset\":0}]}"));
    assertThat(commands.get(2).shown())
        .hasValueSatisfying(s -> assertThat(s.text()).isEqualTo("{\"a\":1}"));
    assertThat(commands.get(3).shown()).isEmpty();
  }
}
