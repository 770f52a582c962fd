/**
 * Micromodels on Apache Spark: tuning trials run as Spark tasks while the driver keeps the study and the sampler.
 * Depends on core; core never depends on this package.
 */
package io.micromodels.spark;
