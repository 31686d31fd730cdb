package io.rowstream.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdvisoryLocksTest {

  @Test
  void every_key_of_a_key_space_is_used_once() throws IllegalAccessException {
    List<Long> keys = new ArrayList<>();
    List<Integer> classes = new ArrayList<>();
    for (Field field : AdvisoryLocks.class.getDeclaredFields()) {
      if (!Modifier.isStatic(field.getModifiers()) || !Modifier.isPublic(field.getModifiers())) {
        continue;
      }
      if (field.getType() == long.class) {
        keys.add(field.getLong(null));
      } else if (field.getType() == int.class) {
        classes.add(field.getInt(null));
      }
    }
    assertThat(keys).isNotEmpty().doesNotHaveDuplicates();
    assertThat(classes).isNotEmpty().doesNotHaveDuplicates();
  }
}
