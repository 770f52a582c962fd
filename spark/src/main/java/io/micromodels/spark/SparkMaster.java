package io.micromodels.spark;

import java.util.regex.Pattern;

/**
 * The {@code --spark MASTER} value: a Spark master URL that this project runs against, {@code local[N]} (N threads in
 * this JVM, or {@code local[*]}) or {@code spark://host:port} (a standalone cluster, one or more masters separated
 * by commas). Other cluster managers (YARN, Kubernetes) are reached through {@code spark-submit}, which sets the master
 * itself.
 *
 * @param url the master URL as Spark takes it
 */
public record SparkMaster(String url) {
  private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?\\])?");
  private static final Pattern STANDALONE =
      Pattern.compile("spark://[A-Za-z0-9._-]+:[0-9]{1,5}(,[A-Za-z0-9._-]+:[0-9]{1,5})*");

  public SparkMaster {
    if (url == null || !(LOCAL.matcher(url).matches() || STANDALONE.matcher(url).matches())) {
      throw new IllegalArgumentException("--spark: expected local, local[N], local[*] or spark://host:port, got "
          + (url == null ? "nothing" : "'" + url + "'"));
    }
  }

  /** Whether the executors run in this JVM ({@code local...}). */
  public boolean local() {
    return url.startsWith("local");
  }
}
