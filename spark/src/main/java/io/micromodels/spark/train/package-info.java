/**
 * Data-parallel training of one micromodel on Apache Spark through DL4J's own Spark integration
 * ({@code SparkDl4jMultiLayer} with {@code ParameterAveragingTrainingMaster}): the driver prepares the CSV as a local
 * run does (the same {@link io.micromodels.data.DataPipeline}, so the same split and the same fitted pipeline), the
 * executors read the CSV as an RDD of lines and turn the training rows into minibatches through that pipeline
 * ({@link io.micromodels.spark.train.CsvDataSets}), and {@link io.micromodels.spark.train.SparkTraining} runs the
 * epochs with early stopping on the driver and returns a {@link io.micromodels.train.TrainedModel} saved like any
 * other.
 */
package io.micromodels.spark.train;
