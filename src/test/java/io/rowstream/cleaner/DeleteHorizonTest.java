package io.rowstream.cleaner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeleteHorizonTest {

  @Test
  void tombstones_go_once_delete_retention_has_passed_since_the_chunk_was_appended() {
    assertThat(DeleteHorizon.of(1_000, 500, 1_499)).isEqualTo(new DeleteHorizon(1_500, false));
    assertThat(DeleteHorizon.of(1_000, 500, 1_500)).isEqualTo(new DeleteHorizon(1_500, true));
    assertThat(DeleteHorizon.of(1_000, 0, 1_000).passed()).isTrue();
  }

  @Test
  void an_endless_retention_never_passes() {
    assertThat(DeleteHorizon.of(1_000, Long.MAX_VALUE, Long.MAX_VALUE - 1))
        .isEqualTo(new DeleteHorizon(Long.MAX_VALUE, false));
    assertThatThrownBy(() -> DeleteHorizon.of(1_000, -1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
