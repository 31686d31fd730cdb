package io.rowstream.cleaner;

import static io.rowstream.cleaner.TestBatches.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OffsetMapTest {

  @Test
  void an_absent_key_has_no_offset() {
    assertThat(OffsetMap.withCapacity(4).latestOffset(key("a"))).isEqualTo(-1);
  }

  @Test
  void put_keeps_the_larger_offset_whatever_the_order() {
    OffsetMap map = OffsetMap.withCapacity(4);
    map.put(key("a"), 5);
    map.put(key("a"), 3);
    assertThat(map.latestOffset(key("a"))).isEqualTo(5);
    map.put(key("a"), 9);
    assertThat(map.latestOffset(key("a"))).isEqualTo(9);
    assertThat(map.size()).isEqualTo(1);
  }

  @Test
  void offset_zero_is_an_offset_not_an_empty_slot() {
    OffsetMap map = OffsetMap.withCapacity(1);
    assertThat(map.put(key("a"), 0)).isTrue();
    assertThat(map.latestOffset(key("a"))).isZero();
    assertThat(map.isFull()).isTrue();
  }

  @Test
  void keys_are_compared_by_content_not_by_buffer() {
    OffsetMap map = OffsetMap.withCapacity(4);
    ByteBuffer padded = ByteBuffer.wrap("xxkeyyy".getBytes(), 2, 3);
    map.put(padded, 7);
    assertThat(map.latestOffset(key("key"))).isEqualTo(7);
    assertThat(padded.position()).as("the caller's buffer is not consumed").isEqualTo(2);
    assertThat(map.latestOffset(ByteBuffer.allocate(0))).isEqualTo(-1);
  }

  @Test
  void a_full_map_refuses_new_keys_but_still_updates_known_ones() {
    OffsetMap map = OffsetMap.withCapacity(2);
    assertThat(map.put(key("a"), 1)).isTrue();
    assertThat(map.put(key("b"), 2)).isTrue();
    assertThat(map.isFull()).isTrue();
    assertThat(map.put(key("c"), 3)).isFalse();
    assertThat(map.latestOffset(key("c"))).isEqualTo(-1);
    assertThat(map.put(key("a"), 4)).isTrue();
    assertThat(map.latestOffset(key("a"))).isEqualTo(4);
    assertThat(map.size()).isEqualTo(2);
  }

  @Test
  void clear_forgets_every_key_and_keeps_the_capacity() {
    OffsetMap map = OffsetMap.withCapacity(2);
    map.put(key("a"), 1);
    map.put(key("b"), 2);
    map.clear();
    assertThat(map.size()).isZero();
    assertThat(map.latestOffset(key("a"))).isEqualTo(-1);
    assertThat(map.put(key("c"), 3)).isTrue();
    assertThat(map.capacity()).isEqualTo(2);
  }

  @Test
  void a_memory_budget_gives_three_quarters_of_its_24_byte_slots() {
    OffsetMap map = OffsetMap.withMemory(24 * 1000);
    assertThat(map.memoryBytes()).isEqualTo(24_000);
    assertThat(map.capacity()).isEqualTo(750);
    assertThat(OffsetMap.withCapacity(750).memoryBytes()).isLessThanOrEqualTo(24_000);
    assertThatThrownBy(() -> OffsetMap.withMemory(24)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OffsetMap.withCapacity(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void holds_as_many_keys_as_its_capacity_and_agrees_with_a_hash_map() {
    SplittableRandom random = new SplittableRandom(7);
    OffsetMap map = OffsetMap.withCapacity(20_000);
    Map<String, Long> expected = new HashMap<>();
    for (long offset = 0; expected.size() < 20_000; offset++) {
      String k = "key-" + random.nextInt(25_000);
      if (expected.containsKey(k) || expected.size() < 20_000) {
        expected.merge(k, offset, Math::max);
        assertThat(map.put(key(k), offset)).isTrue();
      }
    }
    assertThat(map.size()).isEqualTo(20_000);
    assertThat(map.isFull()).isTrue();
    expected.forEach((k, offset) -> assertThat(map.latestOffset(key(k))).as(k).isEqualTo(offset));
    assertThat(map.latestOffset(key("not-a-key"))).isEqualTo(-1);
  }
}
