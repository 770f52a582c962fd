package io.micromodels.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class SparkMasterTest {
  @Test
  void acceptsLocalAndStandaloneUrls() {
    for (String url : List.of("local", "local[2]", "local[*]", "local[2,3]", "spark://127.0.0.1:7077",
        "spark://a.example:7077,b.example:7077")) {
      assertEquals(url, new SparkMaster(url).url());
    }
    assertTrue(new SparkMaster("local[2]").local());
    assertFalse(new SparkMaster("spark://h:1").local());
  }

  @Test
  void refusesOtherValuesNamingTheFlag() {
    for (String url : List.of("", "local[0]", "local[x]", "yarn", "spark://host", "http://h:1")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkMaster(url));
      assertTrue(e.getMessage().startsWith("--spark: expected"), e.getMessage());
      assertTrue(e.getMessage().contains("'" + url + "'"), e.getMessage());
    }
  }

  /** Spark 3.5 starts on Java 17 with the JVM options of the pom, and runs tasks: sum of 1..1000 is 500500. */
  @Test
  void sparkRunsTasksOnJava17() {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("SparkMasterTest")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      long sum = sc.parallelize(IntStream.rangeClosed(1, 1000).boxed().toList(), 4).map(Integer::longValue)
          .reduce(Long::sum);
      assertEquals(500_500L, sum);
    }
  }
}
